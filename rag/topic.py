"""Which retrieved passages a question is about: those of the briefs naming most of its names,
and of the briefs stating a sum it pins. A figure about another company's deal, however well
cited, answers nothing. Pure functions over passages and the lexical index's counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rag.numbers import Quantity, find_quantities, same_quantity
from rag.types import Passage


def on_topic(lexical: Any, passages: list[Passage], names: frozenset[str]) -> list[Passage]:
    """Passages from the documents that name most of the question's specific names (its drug
    codes and companies), or one of them each when several documents tie. Without such names
    in the question, every passage stays."""
    if not names:
        return passages
    counts = {p.doc_id: lexical.anchor_count(p.doc_id, names) for p in passages}
    most = max(counts.values(), default=0)
    return [p for p in passages if most and counts[p.doc_id] == most] or passages


def states(passage: Passage, pinned: Sequence[Quantity]) -> bool:
    """Whether the passage states one of the pinned sums as the question does, its unit too:
    "62.5 million shares" is no "USD 62.5 million"."""
    return any(
        q.unit == o.unit and same_quantity(q, o)
        for o in find_quantities(passage.text)
        for q in pinned
    )


def stating(passages: list[Passage], pinned: Sequence[Quantity]) -> list[Passage]:
    """The passages of the briefs stating a pinned sum, when some brief does; else all of them
    (a sum no brief states narrows nothing: the decision declines it)."""
    if not pinned:
        return passages
    docs = {p.doc_id for p in passages if states(p, pinned)}
    return [p for p in passages if p.doc_id in docs] or passages
