"""The shipped corpus: the seed verbatim, enough briefs in every format, all loadable."""

from __future__ import annotations

from collections import Counter

import pytest

from ingest.loaders import load_brief
from ingest.runner import IngestReport, _candidate_files, _load_all
from rag.pipeline import build_pipeline
from rag.settings import Settings
from tests.conftest import CORPUS, SHARED

SEED_ID = "briefs/2023-01-ct053-carsgen-huadong"


def test_corpus_seed_is_verbatim() -> None:
    seed = SHARED / "seed" / "000_ef7c40314762c4fc.txt"
    if not seed.exists():
        pytest.skip("../shared is not beside this checkout")
    assert (CORPUS / f"{SEED_ID}.txt").read_bytes() == seed.read_bytes()


def test_corpus_every_brief_loads_with_metadata() -> None:
    report = IngestReport()
    briefs = _load_all(CORPUS, _candidate_files(CORPUS), build_pipeline(Settings()), report)
    assert report.skipped == [] and report.notes == []
    assert len(briefs) >= 41
    formats = Counter(b.path.rsplit(".", 1)[1] for b in briefs)
    assert formats["txt"] >= 2 and formats["md"] >= 30 and formats["html"] >= 1
    assert formats["pdf"] >= 1
    for brief in briefs:
        assert brief.title and brief.source, brief.doc_id
        assert len(brief.date) == 10, brief.doc_id
        assert 100 <= len(brief.text.split()) <= 500, brief.doc_id


def test_corpus_seed_metadata() -> None:
    seed = load_brief(CORPUS / f"{SEED_ID}.txt", CORPUS, 5_000_000)
    assert seed.doc_id == SEED_ID
    assert seed.source == "Fineline Info & Tech"
    assert seed.title.startswith("CARsgen and Huadong Medicine Partner")
    assert "RMB 200 million (USD 29.5 million)" in seed.text
