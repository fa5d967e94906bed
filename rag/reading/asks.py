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


ASK_READ = 5  # the sentences an ask may claim: its best ones, when surer asks took the first


def read_asks(
    reader: Reader,
    q: Question,
    passages: Sequence[Passage],
    corpus: CorpusView,
    doc_terms: Callable[[str], frozenset[str]],
    scored: Sequence[Scored] = (),
) -> list[Ask]:
    """Each ask's reading, each on a sentence of its own; [] for a question of one part.
    `scored`: the question's own scored sentences, when the caller has them (a comparison's
    asks are its best sentences in each occasion's brief).

    Asks claim sentences surest first: "the upfront from Orion" and "the milestone owed once
    the NDA is accepted" may both rank the NDA milestone's sentence first; the ask that
    sentence answers more surely keeps it, and the other takes its next sentence ("... on top
    of the RMB 300 million Orion paid upfront"). Whether a claimed sentence joins the answer
    stays the fitted parts model's call."""
    if q.briefs:
        scored = scored or reader.score_sentences(q, passages, corpus, doc_terms)
        return _occasion_asks(reader, q, passages, scored)
    if q.parts < 2:
        return []
    ranked = []
    for text in sub_questions(q.text):
        ask = reader.analyse(text, corpus, q.text)
        ranked.append((ask, reader.score_sentences(ask, passages, corpus, doc_terms)[:ASK_READ]))
    claims = sorted(
        ((s.probability, n, rank) for n, (_ask, scored) in enumerate(ranked)
         for rank, s in enumerate(scored)),
        key=lambda c: (-c[0], c[1], c[2]),
    )  # fmt: skip
    claimed: dict[int, Scored] = {}
    taken: set[tuple[int, tuple[int, int]]] = set()
    for _p, n, rank in claims:
        item = ranked[n][1][rank]
        if n in claimed or key(item) in taken:
            continue
        claimed[n] = item
        taken.add(key(item))
    out = []
    for n in sorted(claimed):
        spans = reader.find_spans(ranked[n][0], [claimed[n]])
        out.append(Ask(claimed[n], spans[0][2] if spans else None))
    return out


def _occasion_asks(
    reader: Reader, q: Question, passages: Sequence[Passage], scored: Sequence[Scored]
) -> list[Ask]:
    """A comparison's asks: the compared question's best sentence in each occasion's brief."""
    out = []
    for brief in q.briefs:
        item = next((s for s in scored if passages[s.sentence.passage].doc_id == brief), None)
        if item is not None:
            spans = reader.find_spans(q, [item])
            out.append(Ask(item, spans[0][2] if spans else None))
    return out
