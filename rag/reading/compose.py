"""Composing the answer from what the reader scored: the best span, further sure spans as a
list, or quoted parts (the best sentence and the sentences adding what it lacks, each cut
around its best span), within the length an answer may have.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rag.lexical import lexical_tokens
from rag.reading.candidates import SENTENCE_FEATURES, Sentence, local_weights
from rag.reading.decision import MAX_CHARS
from rag.reading.model import Weights
from rag.reading.parts import Scored, best_spans, choose_parts, key, part_limits, window
from rag.reading.question import Question
from rag.reading.spans import NOUN_PHRASE, SpanCandidate

if TYPE_CHECKING:
    from rag.reading.asks import Ask

SENTENCES_READ = 4  # the best sentences whose spans are scored
LEAD_SEPARATOR = 8  # characters between a leading span and its quote (a marker and " — ")
_MAX_SPANS = 5  # spans one answer lists at most
TYPE = SENTENCE_FEATURES.index("type")

#: A scored span: its probability, the sentence it stands in, and the span.
ScoredSpan = tuple[float, Scored, SpanCandidate]


@dataclass(frozen=True)
class Finding:
    """One answer span: its passage (0-based), the sentence's character span in the passage, the
    answer's span there (the whole sentence when no span is sure enough), its text and score."""

    passage: int
    sentence: tuple[int, int]
    answer: tuple[int, int]
    text: str
    score: float
    quoted: bool = False  # the sentence (or the part of it around the best span) is the answer


def best_sentence(w: Weights, scored: Sequence[Scored], spans: Sequence[ScoredSpan]) -> Scored:
    """The best of the read sentences once their spans are scored: the sentence's own
    probability and its best span's, weighed by the fitted `rerank` exponent."""
    a = w.rerank
    if not a or not spans:
        return scored[0]
    best_span: dict[int, float] = {}
    for p, item, _span in spans:
        best_span[id(item)] = max(best_span.get(id(item), 0.0), p)
    return max(
        scored[:SENTENCES_READ],
        key=lambda s: s.probability ** (1 - a) * best_span.get(id(s), 1e-6) ** a,
    )


def compose(
    w: Weights,
    q: Question,
    scored: Sequence[Scored],
    spans: Sequence[ScoredSpan],
    asks: Sequence[Ask] = (),
) -> list[Finding]:
    """The answer's findings: the best span (or the best sentence, when no span is sure
    enough), then further sure spans, each once, within the length an answer may have."""
    if not spans or spans[0][0] < w.span_threshold:
        return _quote(w, q, best_sentence(w, scored, spans), scored, spans, asks)
    # a question asking for one thing gets one span; a list is of one kind of thing
    extra = w.extra_threshold_plural if q.plural else 1.01
    kind = spans[0][2].label
    findings: list[Finding] = []
    seen: set[str] = set()
    length = 0
    for n, (p, item, span) in enumerate(spans):
        if n and p < extra:
            break
        if n and span.label != kind:
            continue
        key = " ".join(lexical_tokens(span.text))
        if key in seen or any(key in k or k in key for k in seen):
            continue
        length += len(span.text) + 6
        if findings and (len(findings) >= _MAX_SPANS or length > MAX_CHARS):
            break
        seen.add(key)
        s = item.sentence
        # spaCy's offsets are the passage's: the sentence and the span share one document
        findings.append(Finding(s.passage, s.span, (span.start, span.end), span.text, p))
    return findings


def _quote(
    w: Weights,
    q: Question,
    best: Scored,
    scored: Sequence[Scored],
    spans: Sequence[ScoredSpan],
    asks: Sequence[Ask] = (),
) -> list[Finding]:
    """The answer as quoted parts: the best sentence and the sentences that add what it
    lacks, each windowed around its best span to its share of the answer's length; a
    one-part answer whose best span is sure enough (`Weights.lead_threshold`) is led by it."""
    top = best_spans(spans)
    local = local_weights(q, [s.sentence for s in scored[:SENTENCES_READ]])
    more = w.more.probability if w.more is not None else None
    chosen = choose_parts(
        q, best, scored, local, lambda s: top.get(id(s), (0.0, None))[0], more,
        w.more_threshold, TYPE, SENTENCES_READ, [a.best for a in asks],
    )  # fmt: skip
    ask_span = {key(a.best): a.span for a in asks if a.span is not None}
    findings = []
    p, span = top.get(id(best), (0.0, None))
    if len(chosen) == 1 and span is not None and leads(span) and p >= w.lead_threshold:
        # one sure figure, date or name answers a one-part question: it leads, its sentence
        # backs it
        s = best.sentence
        findings.append(Finding(s.passage, s.span, (span.start, span.end), span.text, p))
    room = w.answer_chars - sum(len(f.text) + LEAD_SEPARATOR for f in findings)
    limits = part_limits(room, [len(c.sentence.text) for c in chosen])
    for n, (item, limit) in enumerate(zip(chosen, limits, strict=True)):
        s = item.sentence
        # a further part an ask chose is cut around that ask's span
        cut = ask_span.get(key(item)) if n else None
        likely = {(sp.start, sp.end): p_ for p_, it, sp in spans if it is item}
        a, b = window(s, cut or top.get(id(item), (0.0, None))[1], limit, local, likely)
        text = s.sent.doc.text[a:b]
        findings.append(Finding(s.passage, s.span, (a, b), text, item.probability, True))
    return findings


def quoted(best: Scored, scored: Sequence[Scored], findings: Sequence[Finding]) -> list[Sentence]:
    """The best sentence and the other sentences the findings quote."""
    held = {(f.passage, f.sentence) for f in findings}
    parts = [s.sentence for s in scored if (s.sentence.passage, s.sentence.span) in held]
    return [best.sentence, *(s for s in parts if s is not best.sentence)]


def leads(span: SpanCandidate) -> bool:
    """Whether a span may lead a quoted answer: an entity (a figure, a date, a code, a name),
    whose edges are the entity's; a noun phrase's edges are a guess."""
    return span.label != NOUN_PHRASE
