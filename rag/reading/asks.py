"""A question that joins several asks, read ask by ask (`subquestions`).

Each ask is scored on the question's passages as a question of its own, with the whole question
as its context. Its best sentence is a candidate for the answer's further parts, and the span
that answers the ask there is where a quote of it is cut ("when was it first dosed" wants the
date, not the sum the other ask is about).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rag.reading.parts import Scored, key
from rag.reading.question import CorpusView, Question
from rag.reading.spans import SpanCandidate
from rag.reading.subquestions import sub_questions
from rag.types import Passage

if TYPE_CHECKING:
    from rag.reading.reader import Reader


@dataclass(frozen=True)
class Ask:
    """One ask's reading: its best sentence and the span answering it there."""

    best: Scored
    span: SpanCandidate | None


def read_asks(
    reader: Reader,
    q: Question,
    passages: Sequence[Passage],
    corpus: CorpusView,
    doc_terms: Callable[[str], frozenset[str]],
) -> list[Ask]:
    """Each ask's reading, one per distinct best sentence; [] for a question of one part."""
    if q.parts < 2:
        return []
    out: list[Ask] = []
    for text in sub_questions(q.text):
        ask = reader.analyse(text, corpus, q.text)
        scored = reader.score_sentences(ask, passages, corpus, doc_terms)
        if not scored or any(key(scored[0]) == key(a.best) for a in out):
            continue
        spans = reader.find_spans(ask, scored[:1])
        out.append(Ask(scored[0], spans[0][2] if spans else None))
    return out
