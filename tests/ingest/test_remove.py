"""Removing one document touches exactly its own files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ingest.runner import ingest_files, ingest_folder, remove_document
from rag.errors import BriefqaError
from tests.conftest import write_brief


def test_remove_document_deletes_only_its_own_files(fake_pipeline: Any, tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write_brief(root, "uploads/x.md", "X", "Brief x about RMB 5 million.")
    write_brief(root, "uploads/x.v2.md", "X v2", "Brief x.v2 about RMB 6 million.")
    (root / "uploads" / "y.txt").write_text("Y headline\n\nBrief y.")
    (root / "uploads" / "y.meta.json").write_text('{"title": "Y"}')
    ingest_folder(fake_pipeline, root, progress=False)

    assert remove_document(fake_pipeline, root, "uploads/x") == ["uploads/x.md"]
    assert (root / "uploads" / "x.v2.md").exists()
    assert remove_document(fake_pipeline, root, "uploads/y") == [
        "uploads/y.meta.json", "uploads/y.txt"
    ]  # fmt: skip
    assert set(fake_pipeline.store.documents()) == {"uploads/x.v2"}
    with pytest.raises(BriefqaError, match="no document"):
        remove_document(fake_pipeline, root, "uploads/x")


def test_ingest_files_refuses_paths_outside_root(fake_pipeline: Any, tmp_path: Path) -> None:
    outside = write_brief(tmp_path / "elsewhere", "a.md", "A", "Body.")
    (tmp_path / "corpus").mkdir()
    with pytest.raises(BriefqaError, match="outside"):
        ingest_files(fake_pipeline, tmp_path / "corpus", [outside])
