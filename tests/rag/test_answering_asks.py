"""A joined question's asks retrieve on their own: an ask's answer may stand in another chunk
of a brief the whole question already found. Real Chroma and spaCy; the hashing embedder
(retrieval's ranking is not what is under test)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ingest.runner import ingest_folder
from rag.pipeline import build_pipeline
from rag.settings import Settings
from tests.conftest import HashingEmbedding, write_brief

FILLER = " ".join(
    f"Kestrel Bio's site number {n} in Suzhou hosts assay teams and freezers." for n in range(8)
)


def test_answering_an_ask_adds_another_chunk_of_a_brief_in_the_pool(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write_brief(root, "a.md", "Kestrel Bio Reports KB-7 Data",
                "In the Phase 1 dose-escalation study of KB-7, the response rate was 34%. "
                + FILLER + " In the pivotal HALO-3 study of KB-7, the response rate was 41%.",
                companies=("Kestrel Bio",))  # fmt: skip
    settings = Settings(data_dir=tmp_path / "data", chunk_size=48, chunk_overlap=4, evidence_k=1)
    with build_pipeline(settings, embed_model=HashingEmbedding()) as pipeline:
        ingest_folder(pipeline, root, progress=False)
        answerer: Any = pipeline.answerer
        question = "KB-7 response rates: Phase 1 dose-escalation versus pivotal HALO-3?"
        _asked, _context, pool, _ = answerer.prepare(question)
    texts = " ".join(p.text for p in pool)
    assert len({p.doc_id for p in pool}) == 1 and len(pool) > 1
    assert "34%" in texts and "41%" in texts  # each ask's chunk, though one brief holds both
