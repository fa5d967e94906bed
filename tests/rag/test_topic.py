"""Which passages a question is about (pure)."""

from __future__ import annotations

from rag.numbers import find_quantities
from rag.topic import stating
from rag.types import Passage


def _passage(doc_id: str, text: str) -> Passage:
    return Passage(f"{doc_id}#0", doc_id, doc_id, "2024-01-01", "Wire", text, 0, 1.0)


def test_topic_stating_keeps_the_briefs_stating_a_pinned_sum_unit_and_all() -> None:
    deal = _passage("a", "Halden will pay USD 62.5 million upfront.")
    shares = _passage("b", "Marlow sold 62.5 million shares.")
    other = _passage("c", "Orsay will pay USD 20 million upfront.")
    passages = [shares, other, deal]
    assert stating(passages, find_quantities("the $62.5 million deal")) == [deal]
    # a sum no passage states, or none pinned, keeps them all
    assert stating(passages, find_quantities("the $30 million deal")) == passages
    assert stating(passages, []) == passages
