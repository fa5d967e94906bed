"""The shared service: upload name checks, restore on a bad re-upload, sidecars, id clashes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.ui.conftest import make_pipeline, small_corpus
from ui.service import BriefService, UploadItem, UploadRejected, check_upload_name

GOOD = b"---\ntitle: Nuvola deal\ndate: 2024-02-02\n---\nNuvola gets USD 12 million upfront.\n"


@pytest.mark.parametrize(
    "name",
    ["2024-01-deal.md", "brief.txt", "Report (final).PDF", "page.html", "x.meta.json", "été.md"],
)
def test_service_check_upload_name_accepts_bare_brief_names(name: str) -> None:
    assert check_upload_name(name) == name


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../x.md", "not a path"),
        ("..\\x.md", "not a path"),
        ("/etc/passwd.md", "not a path"),
        ("a/b.md", "not a path"),
        ("C:x.md", "not a path"),
        ("..", "not a path"),
        (".hidden.md", "hidden"),
        ("", "no name"),
        ("x\x00.md", "letters, digits"),
        ("a" * 200 + ".md", "letters, digits"),
        ("notes.docx", "unsupported file type .docx"),
        ("README.md", "README"),
    ],
)
def test_service_check_upload_name_rejects_paths_and_odd_names(name: str, reason: str) -> None:
    with pytest.raises(UploadRejected, match=reason) as caught:
        check_upload_name(name)
    assert caught.value.status == 400


@pytest.fixture
def service(tmp_path: Path, real_embedder: Any) -> Any:
    small_corpus(tmp_path / "corpus")
    with make_pipeline(tmp_path, real_embedder, max_upload_mb=0.001) as pipeline:
        yield BriefService.of(pipeline)


def test_service_of_returns_one_service_per_pipeline(service: BriefService) -> None:
    assert BriefService.of(service.pipeline) is service


def test_service_upload_rejects_oversize_with_413(service: BriefService) -> None:
    with pytest.raises(UploadRejected, match="upload limit") as caught:
        service.check_item(UploadItem("big.md", b"x" * 1001))
    assert caught.value.status == 413
    result = service.upload([UploadItem("big.md", b"x" * 1001)])
    assert result.accepted == [] and "upload limit" in result.rejected[0]["reason"]
    assert not (service.settings.uploads_dir / "big.md").exists()


def test_service_upload_bad_reupload_keeps_the_earlier_file(service: BriefService) -> None:
    first = service.upload([UploadItem("nuvola.md", GOOD)])
    assert first.added == ["uploads/nuvola"]
    bad = service.upload([UploadItem("nuvola.md", b"---\ntitle: [unclosed\n---\nbody\n")])
    assert bad.accepted == [] and "YAML" in bad.rejected[0]["reason"]
    assert (service.settings.uploads_dir / "nuvola.md").read_bytes() == GOOD
    assert "uploads/nuvola" in {d.doc_id for d in service.documents()}
    fresh = service.upload([UploadItem("empty.txt", b" ")])
    assert fresh.rejected and not (service.settings.uploads_dir / "empty.txt").exists()


def test_service_upload_takes_sidecar_metadata(service: BriefService) -> None:
    sidecar = b'{"title": "Orvane milestone", "date": "2022-08-01", "companies": ["Orvane"]}'
    result = service.upload(
        [UploadItem("orvane.meta.json", sidecar), UploadItem("orvane.txt", b"Orvane gets 3m.")]
    )
    assert result.added == ["uploads/orvane"]
    state = {d.doc_id: d for d in service.documents()}["uploads/orvane"]
    assert (state.title, state.date) == ("Orvane milestone", "2022-08-01")
    assert "Orvane" in service.companies()
    lone = service.upload([UploadItem("ghost.meta.json", sidecar)])
    assert lone.rejected[0]["path"] == "ghost.meta.json"


def test_service_upload_refuses_a_second_file_with_the_same_id(service: BriefService) -> None:
    assert service.upload([UploadItem("dup.md", GOOD)]).added == ["uploads/dup"]
    clash = service.upload([UploadItem("dup.txt", b"Other text.")])
    assert clash.accepted == [] and "already has the id uploads/dup" in clash.rejected[0]["reason"]
    assert not (service.settings.uploads_dir / "dup.txt").exists()


def test_service_delete_removes_index_entry_and_file(service: BriefService) -> None:
    service.upload([UploadItem("gone.md", GOOD)])
    assert service.delete("uploads/gone") == ["uploads/gone.md"]
    assert "uploads/gone" not in {d.doc_id for d in service.documents()}
    assert not (service.settings.uploads_dir / "gone.md").exists()


def test_service_health_counts_documents_and_chunks(service: BriefService) -> None:
    health = service.health()
    assert health["documents"] == 3 and health["chunks"] >= 3
    assert health["backend"] == "extractive" and health["model"] == "none (extractive)"


def test_service_stream_raises_errors_in_the_caller(tmp_path: Path, real_embedder: Any) -> None:
    from rag.errors import EmptyIndexError
    from rag.pipeline import build_pipeline
    from rag.settings import Settings

    settings = Settings(data_dir=tmp_path / "d", corpus_dir=tmp_path, llm_backend="extractive")
    with build_pipeline(settings, embed_model=real_embedder) as pipeline:
        service = BriefService.of(pipeline)
        with pytest.raises(EmptyIndexError):
            list(service.stream("anything?"))
        assert service.lock.acquire(timeout=5)  # the worker released it
        service.lock.release()
