"""A question joining asks, read ask by ask: each ask's best sentence and the span answering it
there. Real Chroma and spaCy; the hashing embedder (retrieval is not what
is under test)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ingest.runner import ingest_folder
from rag.reading.asks import read_asks
from tests.conftest import write_brief

QUESTION = (
    "Kestrel Bio: how much did the Series B bring in, and when was the first KB-7 patient dosed?"
)


@pytest.fixture
def answerer(fake_pipeline: Any, tmp_path: Path) -> Any:
    root = tmp_path / "corpus"
    write_brief(root, "a.md", "Kestrel Bio Raises RMB 300 Million Series B",
                "Kestrel Bio closed a RMB 300 million Series B round led by Orchard Capital. "
                "The company was founded in Suzhou in 2019.",
                companies=("Kestrel Bio", "Orchard Capital"))  # fmt: skip
    write_brief(root, "b.md", "Kestrel Bio Doses First Patient With KB-7",
                "Kestrel Bio said the first patient in its Phase 1 trial of KB-7 was dosed in "
                "March 2024 at a hospital in Hangzhou, a year after it raised RMB 300 million.",
                companies=("Kestrel Bio",))  # fmt: skip
    ingest_folder(fake_pipeline, root, progress=False)
    return fake_pipeline.answerer


def test_asks_each_ask_gets_its_own_sentence_and_span(answerer: Any) -> None:
    asked, context, pool, _ = answerer.prepare(QUESTION)
    reader, corpus = answerer.reader, answerer.corpus_view()
    q = reader.analyse(asked, corpus, context)
    asks = read_asks(reader, q, pool, corpus, answerer.retriever.lexical.doc_terms)
    assert len(asks) == 2
    assert "Series B" in asks[0].best.sentence.text
    # the dosing ask's sentence also holds a sum: its quote is cut around the date
    assert "dosed" in asks[1].best.sentence.text
    assert asks[1].span is not None and asks[1].span.text == "March 2024"
    reading = reader.read(asked, pool, corpus, answerer.retriever.lexical.doc_terms, context)
    # the answer's part from that sentence is cut around the date
    dosed = [f for f in reading.findings if "KB-7" in f.text or "dosed" in f.text]
    assert dosed and all("March 2024" in f.text for f in dosed)


def test_asks_none_for_a_question_of_one_part(answerer: Any) -> None:
    asked, context, pool, _ = answerer.prepare("When was KB-7 first dosed?")
    reader, corpus = answerer.reader, answerer.corpus_view()
    q = reader.analyse(asked, corpus, context)
    assert read_asks(reader, q, pool, corpus, answerer.retriever.lexical.doc_terms) == []


def test_asks_claim_distinct_sentences_surest_first(fake_pipeline: Any, tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write_brief(root, "c.md", "Kestrel Bio Files NDA For KB-9",
                "Acceptance of the NDA for KB-9 will trigger an RMB 100 million milestone "
                "payment from Orion Pharma. That payment comes on top of the RMB 300 million "
                "Orion paid upfront. The trial enrolled 600 patients.",
                companies=("Kestrel Bio", "Orion Pharma"))  # fmt: skip
    ingest_folder(fake_pipeline, root, progress=False)
    answerer = fake_pipeline.answerer
    question = "KB-9: the upfront from Orion, and the milestone owed once the NDA is accepted?"
    asked, context, pool, _ = answerer.prepare(question)
    reader, corpus = answerer.reader, answerer.corpus_view()
    q = reader.analyse(asked, corpus, context)
    asks = read_asks(reader, q, pool, corpus, answerer.retriever.lexical.doc_terms)
    texts = [a.best.sentence.text for a in asks]
    # both asks rank the milestone sentence high; the NDA ask is surer of it and keeps it, and
    # the upfront ask takes the sentence that states the upfront
    assert len(set(texts)) == len(texts) == 2
    assert "upfront" in texts[0] and "NDA" in texts[1]
