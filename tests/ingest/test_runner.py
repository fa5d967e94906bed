"""Ingesting folders into real Chroma: idempotency, updates, deletions and bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ingest.runner import ingest_folder
from rag.errors import BriefqaError, NoUsableDocumentsError
from rag.pipeline import build_pipeline
from rag.settings import Settings
from tests.conftest import HashingEmbedding, store_snapshot, write_brief

LONG = " ".join(
    f"Paragraph sentence {i} about the Lumo-{i} program and its trial." for i in range(30)
)


def _folder(tmp_path: Path) -> Path:
    root = tmp_path / "briefs"
    write_brief(root, "a/2024-01-alpha.md", "Alpha deal", "Alpha receives USD 10m upfront. " + LONG)
    write_brief(root, "2024-02-beta.md", "Beta approval", "NMPA approved Beta's BX-7 tablet.")
    (root / "2023-05-gamma.txt").write_text("Gamma raises RMB 300 million\n\nSeries C closed.")
    return root


def test_ingest_folder_twice_is_idempotent(fake_pipeline: Any, tmp_path: Path) -> None:
    root = _folder(tmp_path)
    first = ingest_folder(fake_pipeline, root, progress=False)
    assert sorted(first.added) == ["2023-05-gamma", "2024-02-beta", "a/2024-01-alpha"]
    snapshot = store_snapshot(fake_pipeline)
    calls = fake_pipeline.embed_model.calls

    second = ingest_folder(fake_pipeline, root, progress=False)
    assert (second.added, second.updated, second.deleted) == ([], [], [])
    assert len(second.unchanged) == 3 and second.embedded == 0
    assert fake_pipeline.embed_model.calls == calls  # nothing was embedded again
    assert store_snapshot(fake_pipeline) == snapshot
    assert second.chunks == len(snapshot) == first.chunks


def test_ingest_folder_unchanged_run_loads_no_model(settings: Settings, tmp_path: Path) -> None:
    root = _folder(tmp_path)
    with build_pipeline(settings, embed_model=HashingEmbedding()) as pipeline:
        ingest_folder(pipeline, root, progress=False)
    with build_pipeline(settings) as fresh:
        report = ingest_folder(fresh, root, progress=False)
        assert "embed_model" not in fresh.__dict__  # the model was never loaded
    assert len(report.unchanged) == 3


def test_ingest_folder_replaces_changed_document_whole(fake_pipeline: Any, tmp_path: Path) -> None:
    root = _folder(tmp_path)
    ingest_folder(fake_pipeline, root, progress=False)
    old_ids = {i for i in store_snapshot(fake_pipeline) if i.startswith("a/2024-01-alpha#")}
    assert len(old_ids) > 2
    write_brief(root, "a/2024-01-alpha.md", "Alpha deal", "Alpha now receives USD 14m upfront.")

    report = ingest_folder(fake_pipeline, root, progress=False)
    assert report.updated == ["a/2024-01-alpha"] and len(report.unchanged) == 2
    snap = store_snapshot(fake_pipeline)
    alpha = {i: text for i, (text, _) in snap.items() if i.startswith("a/2024-01-alpha#")}
    assert list(alpha) == ["a/2024-01-alpha#0"]  # stale chunks #1.. are gone
    assert "USD 14m" in alpha["a/2024-01-alpha#0"]
    assert not any("USD 10m" in text for text, _ in snap.values())


def test_ingest_folder_deletes_removed_documents(fake_pipeline: Any, tmp_path: Path) -> None:
    root = _folder(tmp_path)
    ingest_folder(fake_pipeline, root, progress=False)
    (root / "2024-02-beta.md").unlink()
    report = ingest_folder(fake_pipeline, root, progress=False)
    assert report.deleted == ["2024-02-beta"]
    assert not any(i.startswith("2024-02-beta#") for i in store_snapshot(fake_pipeline))
    assert set(fake_pipeline.store.documents()) == {"a/2024-01-alpha", "2023-05-gamma"}


def test_ingest_folder_skips_bad_files_and_keeps_the_rest(
    fake_pipeline: Any, tmp_path: Path
) -> None:
    root = _folder(tmp_path)
    (root / "empty.txt").write_bytes(b"")
    (root / "photo.txt").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4)
    (root / "broken.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\ntrailer<<>>")
    (root / "deck.pptx").write_bytes(b"PK\x03\x04zip")
    (root / "2023-05-gamma.md").write_text("# Same id as the .txt\n\nText.")
    with (root / "huge.txt").open("wb") as out:
        out.write(b"x" * 6_000_000)

    report = ingest_folder(fake_pipeline, root, progress=False)
    reasons = {s["path"]: s["reason"] for s in report.skipped}
    assert set(reasons) == {
        "empty.txt",
        "photo.txt",
        "broken.pdf",
        "deck.pptx",
        "2023-05-gamma.txt",
        "huge.txt",
    }
    assert "same id as 2023-05-gamma.md" in reasons["2023-05-gamma.txt"]
    assert "binary" in reasons["photo.txt"] and "too large" in reasons["huge.txt"]
    assert len(report.added) == 3  # every good brief made it in


def test_ingest_folder_with_nothing_usable_leaves_index_alone(
    fake_pipeline: Any, tmp_path: Path
) -> None:
    root = _folder(tmp_path)
    ingest_folder(fake_pipeline, root, progress=False)
    before = store_snapshot(fake_pipeline)
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "a.docx").write_bytes(b"PK")
    with pytest.raises(NoUsableDocumentsError, match="left as it was"):
        ingest_folder(fake_pipeline, junk, progress=False)
    with pytest.raises(BriefqaError, match="not a folder"):
        ingest_folder(fake_pipeline, tmp_path / "missing", progress=False)
    assert store_snapshot(fake_pipeline) == before


def test_ingest_folder_real_model_title_makes_chunks_retrievable(
    real_pipeline: Any, tmp_path: Path
) -> None:
    root = tmp_path / "briefs"
    write_brief(
        root,
        "2024-06-orion.md",
        "Orion Therapeutics licenses ORX-88 to Vega Pharma",
        "The deal covers mainland China. " + LONG + " The partner pays RMB 75 million upfront.",
    )
    write_brief(root, "2024-07-other.md", "Kappa Bio opens a plant", "A new plant in Suzhou.")
    ingest_folder(real_pipeline, root, progress=False)
    snap = store_snapshot(real_pipeline)
    tail = max(i for i in snap if i.startswith("2024-06-orion#"))
    assert "Orion" not in snap[tail][0]  # the passage itself never names the company ...
    query = real_pipeline.embed_model.get_query_embedding("Orion Therapeutics ORX-88 upfront")
    hits = real_pipeline.store.collection.query(query_embeddings=[query], n_results=3)
    assert tail in hits["ids"][0]  # ... yet it retrieves, through the embedded title
