"""The parse's helpers: lemmas read from a doc parsed without the lemmatizer."""

from __future__ import annotations

from pathlib import Path

from rag.reading.nlp import lemma, parse_once

CORPUS = Path(__file__).resolve().parents[3] / "corpus"


def test_nlp_lemma_without_the_lemmatizer_is_the_pipeline_s_lemma() -> None:
    texts = [p for f in sorted(CORPUS.rglob("*.md"))[:6] for p in f.read_text().split("\n\n")]
    texts = [t for t in texts if t.strip()]
    full = parse_once(texts)
    bare = parse_once(texts, lemmas=False)
    assert any(not t.lemma for doc in bare for t in doc)  # the lemmatizer did not run
    pairs = [(a, b) for x, y in zip(full, bare, strict=True) for a, b in zip(x, y, strict=True)]
    assert len(pairs) > 500
    assert [lemma(b) for _, b in pairs] == [a.lemma_ for a, _ in pairs]
    assert lemma(full[0][0]) == full[0][0].lemma_
