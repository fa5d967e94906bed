"""The ledger follows the store: changed briefs replace their rows, removed ones lose them, an
unchanged corpus is not re-read, and an interrupted run is completed by the next."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import ingest.ledger
from ingest.runner import ingest_folder, remove_document
from tests.conftest import write_brief

DEAL = (
    "Zorbex Bio will receive an upfront payment of USD {n} million from Halcyon Pharma for ZX-117."
)


def _corpus(root: Path) -> None:
    write_brief(root, "a.md", "Zorbex Licenses ZX-117", DEAL.format(n=40),
                companies=("Zorbex Bio", "Halcyon Pharma"))  # fmt: skip
    write_brief(root, "b.md", "Halcyon Raises Series B",
                "Halcyon Pharma closed a USD 90 million Series B financing led by Quill Capital.",
                companies=("Halcyon Pharma",))  # fmt: skip


def _upfronts(pipeline: Any) -> dict[str, str]:
    return {
        e.doc_id: e.money["upfront"].text
        for e in pipeline.ledger.events()
        if e.money.get("upfront")
    }


def test_ledger_sync_follows_changes_and_removals(fake_pipeline: Any, tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    _corpus(root)
    report = ingest_folder(fake_pipeline, root, progress=False)
    assert report.deals == 2
    assert _upfronts(fake_pipeline) == {"a": "USD 40 million"}
    assert [e.kind for e in fake_pipeline.ledger.events()] == ["licence", "financing"]

    write_brief(root, "a.md", "Zorbex Licenses ZX-117", DEAL.format(n=55),
                companies=("Zorbex Bio", "Halcyon Pharma"))  # fmt: skip
    assert ingest_folder(fake_pipeline, root, progress=False).deals == 1
    assert _upfronts(fake_pipeline) == {"a": "USD 55 million"}

    assert ingest_folder(fake_pipeline, root, progress=False).deals == 0  # nothing re-read
    (root / "b.md").unlink()
    ingest_folder(fake_pipeline, root, progress=False)
    assert {e.doc_id for e in fake_pipeline.ledger.events()} == {"a"}
    remove_document(fake_pipeline, root, "a")
    assert fake_pipeline.ledger.count() == 0


def test_ledger_sync_interrupted_leaves_whole_briefs_and_resumes(
    fake_pipeline: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "corpus"
    _corpus(root)
    real = ingest.ledger.extract_events
    calls = []

    def dies_on_second(brief: Any, *parsed: Any) -> Any:
        calls.append(brief.doc_id)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(brief, *parsed)

    monkeypatch.setattr(ingest.ledger, "extract_events", dies_on_second)
    with pytest.raises(KeyboardInterrupt):
        ingest_folder(fake_pipeline, root, progress=False)
    assert set(fake_pipeline.ledger.hashes()) == {calls[0]}  # the first brief, whole

    monkeypatch.setattr(ingest.ledger, "extract_events", real)
    assert ingest_folder(fake_pipeline, root, progress=False).deals == 1
    assert {e.doc_id for e in fake_pipeline.ledger.events()} == {"a", "b"}
