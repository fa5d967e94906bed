"""The quoted parts of an answer: the best sentence, and, when a question asks for more than one
sentence holds (a comparison, a list, two briefs), the further sentences that add what it lacks.

Whether a further sentence joins is one fitted model (`Weights.more`) over what the sentence adds:
question terms and subjects the chosen ones do not hold, its score against the best one's, and
how many things the question asks for (its coordinated words and its subjects). Each part is the
sentence, or the words around its best span when all parts must share the answer's length.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rag.lexical import lexical_tokens
from rag.reading.candidates import Sentence
from rag.reading.question import Question
from rag.reading.spans import NOUN_PHRASE, SpanCandidate

PART_FEATURES = (
    "probability", "ratio", "new_terms", "new_subjects", "other_passage", "parts", "plural",
    "subjects", "type", "span", "rank", "ask",
)  # fmt: skip
MAX_PARTS = 3  # sentences one answer quotes at most
_SEPARATOR = 6  # characters between two quoted parts ("; " and a marker)
_MIN_PART = 60  # the fewest characters a quoted part keeps: fewer say nothing


@dataclass
class Scored:
    """A sentence with its features and probability."""

    sentence: Sentence
    features: list[float]
    probability: float = 0.0


def best_spans(
    spans: Sequence[tuple[float, Scored, SpanCandidate]],
) -> dict[int, tuple[float, SpanCandidate]]:
    """Each read sentence's best span and its probability, keyed by `id` of its `Scored`
    (`spans` best first, as `Reader.find_spans` gives them)."""
    top: dict[int, tuple[float, SpanCandidate]] = {}
    for p, item, span in spans:
        top.setdefault(id(item), (p, span))
    return top


def part_features(
    q: Question,
    chosen: Sequence[Scored],
    cand: Scored,
    local: dict[str, float],
    best_span: float,
    rank: int,
    type_index: int,
    ask: bool = False,
) -> list[float]:
    """What `cand` adds to the `chosen` sentences, in `PART_FEATURES` order (`local`: the
    question's terms weighted by rarity among the candidates; `best_span`: its best span's
    probability; `ask`: it is the best sentence for one of the asks the question joins)."""
    held = frozenset().union(*(c.sentence.terms for c in chosen))
    total = sum(local.values()) or 1.0
    new_terms = sum(w for t, w in local.items() if t in cand.sentence.terms and t not in held)
    new_subjects = (
        len((q.subjects & cand.sentence.terms) - held) / len(q.subjects) if q.subjects else 0.0
    )
    other = all(c.sentence.passage != cand.sentence.passage for c in chosen)
    return [
        cand.probability, cand.probability / max(chosen[0].probability, 1e-6), new_terms / total,
        new_subjects, float(other), min(q.parts, 4) / 4, float(q.plural),
        min(len(q.subjects), 4) / 4, cand.features[type_index], best_span, 1.0 / (1 + rank),
        float(ask),
    ]  # fmt: skip


def choose_parts(
    q: Question,
    best: Scored,
    scored: Sequence[Scored],
    local: dict[str, float],
    span_of: Callable[[Scored], float],
    probability: Callable[[list[float]], float] | None,
    threshold: float,
    type_index: int,
    read: int,
    asks: Sequence[Scored] = (),
) -> list[Scored]:
    """The best sentence, then (greedily) the read sentences and the asks' best sentences
    (`asks`, see `subquestions`) whose fitted probability of adding a missing part clears
    `threshold`, at most `MAX_PARTS` in all; only a sentence that `adds` to the chosen ones."""
    chosen = [best]
    if probability is None:
        return chosen
    pool = part_candidates(best, scored, read, asks)
    while pool and len(chosen) < MAX_PARTS:
        held = frozenset().union(*(c.sentence.terms for c in chosen))
        rated = [
            (probability(part_features(q, chosen, s, local, span_of(s), rank, type_index, ask)), n)
            for n, (rank, s, ask) in enumerate(pool)
            if adds(s.sentence, held, local)
        ]
        if not rated:
            break
        p, n = max(rated)
        if p < threshold:
            break
        chosen.append(pool.pop(n)[1])
    return chosen


def adds(sentence: Sentence, held: frozenset[str], local: dict[str, float]) -> bool:
    """Whether a sentence adds to the chosen parts' words (`held`) a word of the question
    (`local`) or a figure, date or name. One that repeats the names and figures they quote
    (a second account of the same birth, the same child and hospital) would only take the
    room of a part that says something new: the answer's length is shared."""
    if (sentence.terms - held) & local.keys():
        return True
    return any(
        not frozenset(lexical_tokens(span.text)) <= held
        for span in sentence.spans
        if span.label != NOUN_PHRASE or span.text[:1].isupper()  # "Greater China" is a name
    )


def part_candidates(
    best: Scored, scored: Sequence[Scored], read: int, asks: Sequence[Scored] = ()
) -> list[tuple[int, Scored, bool]]:
    """The sentences that may join `best` as further parts, each with its rank (the asks' come
    after the `read` best) and whether it is an ask's best sentence: the read sentences, then
    the asks' best ones the read sentences do not already hold."""
    ask_keys = {key(s) for s in asks}
    pool = [(rank, s, key(s) in ask_keys) for rank, s in enumerate(scored[:read])]
    seen = {key(s) for _rank, s, _ask in pool}
    pool += [(read, s, True) for s in asks if key(s) not in seen]
    return [c for c in pool if key(c[1]) != key(best)]


def key(item: Scored) -> tuple[int, tuple[int, int]]:
    """A sentence's identity across scorings of one question's passages: passage and span."""
    return item.sentence.passage, item.sentence.span


def window(
    sentence: Sentence,
    span: SpanCandidate | None,
    limit: int,
    weights: dict[str, float] | None = None,
    likely: dict[tuple[int, int], float] | None = None,
) -> tuple[int, int]:
    """The sentence, or when it is longer than `limit` characters, the words around its best
    span that fit (whole tokens). Of the windows holding the span, the one holding most of the
    question's words (`weights`, by rarity) wins: the answer stands beside what the question
    asks about, and a wrongly chosen span then still leaves it in the quote. Of windows holding
    as many, the one holding the spans the span model rates likelier wins (`likely`, by their
    character offsets): a sentence cut to make room keeps what answers ("an admirer, Countess
    Velmira"), not its opening date. A tie keeps the window that grows right first (what
    follows a figure qualifies it)."""
    a, b = sentence.span
    if b - a <= limit:
        return a, b
    tokens = list(sentence.sent)
    centre = (tokens[0].i if span is None else span.root) - sentence.sent.start
    lo, hi = _trimmed(tokens, *_grown(tokens, centre, centre, limit), centre)
    if weights:
        first, last = _kept(tokens, span, sentence.sent.start) if span else (centre, centre)
        terms = [frozenset(lexical_tokens(t.text)) & weights.keys() for t in tokens]

        def held(lo_: int, hi_: int) -> float:
            return sum(weights[w] for w in frozenset().union(*terms[lo_ : hi_ + 1]))

        offset, rates = sentence.sent.start, likely or {}
        rated = [(sp.tokens[0] - offset, sp.tokens[1] - 1 - offset, rates[sp.start, sp.end])
                 for sp in sentence.spans if (sp.start, sp.end) in rates]  # fmt: skip

        def answers(lo_: int, hi_: int) -> float:
            return sum(p for f, l_, p in rated if lo_ <= f and l_ <= hi_)

        best = (held(lo, hi), answers(lo, hi), 0, lo, hi)
        for start in range(max(0, first), -1, -1):
            if tokens[last].idx + len(tokens[last]) - tokens[start].idx > limit:
                break
            grown = _grown(tokens, start, max(last, start), limit, left=False)
            s_lo, s_hi = _trimmed(tokens, *grown, centre)
            best = max(best, (held(s_lo, s_hi), answers(s_lo, s_hi), -abs(s_lo - lo), s_lo, s_hi))
        _, _, _, lo, hi = best
    start, end = tokens[lo].idx, tokens[hi].idx + len(tokens[hi])
    return max(start, a), min(end, b)


def _kept(tokens: list[Any], span: SpanCandidate, offset: int) -> tuple[int, int]:
    """The tokens a window moved toward the question's words must keep: the span and the list
    it heads ("mainland China, Hong Kong, Macau and Taiwan"), whose other items answer as much
    as it does. (The plain cut around the span competes too, as it always was.)"""
    first, last = span.tokens[0] - offset, span.tokens[1] - 1 - offset
    root = tokens[span.root - offset]
    for other in root.conjuncts:
        first, last = min(first, other.i - offset), max(last, other.i - offset)
    return max(first, 0), min(last, len(tokens) - 1)


def _trimmed(tokens: list[Any], lo: int, hi: int, centre: int) -> tuple[int, int]:
    """Never end inside a name or an amount: "US$10.3" alone would be a figure the brief lacks."""
    while hi > centre and _inside(tokens, hi + 1):
        hi -= 1
    while lo < centre and _inside(tokens, lo):
        lo += 1
    return lo, hi


def _grown(tokens: list[Any], lo: int, hi: int, limit: int, left: bool = True) -> tuple[int, int]:
    """Tokens lo..hi grown to `limit` characters, a token right then (with `left`) one left."""
    start, end = tokens[lo].idx, tokens[hi].idx + len(tokens[hi])
    while True:
        grew = False
        if hi + 1 < len(tokens) and tokens[hi + 1].idx + len(tokens[hi + 1]) - start <= limit:
            hi += 1
            end = tokens[hi].idx + len(tokens[hi])
            grew = True
        if left and lo > 0 and end - tokens[lo - 1].idx <= limit:
            lo -= 1
            start = tokens[lo].idx
            grew = True
        if not grew:
            return lo, hi


def _inside(tokens: list[Any], i: int) -> bool:
    """Whether token `i` continues an entity begun before it, or follows a number: a word after a
    figure may be its scale ("7.86 billion"), even where the parse or the entities miss it
    ("$24 million.[note 1]" tokenised as "million.[note")."""
    if not 0 < i < len(tokens):
        return False
    token, before = tokens[i], tokens[i - 1]
    figure = any(c.isdigit() for c in before.text) and not token.is_punct
    return token.ent_iob_ == "I" or figure


def part_limits(total: int, lengths: Sequence[int]) -> list[int]:
    """Characters each quoted part may have (`lengths`: the parts' sentences, best first) when
    together they get `total`: the best part whole if the others keep their minimum, then each
    next part what it needs of what is left, so a short sentence is never cut to make room."""
    left = total - _SEPARATOR * (len(lengths) - 1)
    out = []
    for n, length in enumerate(lengths):
        limit = max(_MIN_PART, min(length, left - _MIN_PART * (len(lengths) - n - 1)))
        out.append(limit)
        left -= limit
    return out
