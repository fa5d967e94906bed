"""The grounding check: every quantity an answer states must stand in a passage it cites.

Pure functions over the answer text and the numbered passages. A sentence that fails is re-cited
to a passage that does support it, or replaced by the source sentence quoted with its citation;
the answer is cut after the first sentence that cannot be saved (the small model rambles), and an
answer left with nothing cited falls back to the extractive answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rag.numbers import find_quantities, is_supported
from rag.sentences import content_words, overlap, split_sentences

_MARKER = re.compile(r"\s*\[(\d+(?:\s*,\s*\d+)*)\]")
_MIN_OVERLAP = 0.6  # share of an uncited sentence's words a passage must hold to be its source

#: Scores candidate sentences against a question (higher is better); the default is word overlap,
#: the pipeline passes one built on the embedder.
Scorer = Callable[[str, Sequence[str]], Sequence[float]]


# Answer typing: questions of these forms are answered by a figure or a date.
_QUANTITATIVE = re.compile(
    r"\b(how (much|many|long|large|big|high)|when|what (year|date|month|day|percentage|share|"
    r"price)|upfront|milestone|payment|price|raised?|valu(e|ed|ation)|rate|ratio|orr|pfs|"
    r"percent|royalt(y|ies)|size|enrol+)",
    re.IGNORECASE,
)
_HEADLINE_PENALTY = 0.15  # a line without closing punctuation (headline, section title)
_FIGURE_BONUS = 0.15  # a sentence stating a figure, for a question that asks for one


def wants_figure(question: str) -> bool:
    """Whether the question asks for an amount, count, rate or date."""
    return bool(_QUANTITATIVE.search(question))


def overlap_scorer(question: str, sentences: Sequence[str]) -> list[float]:
    """Share of the question's content words each sentence holds."""
    return [overlap(question, sentence) for sentence in sentences]


@dataclass(frozen=True)
class Support:
    """One kept sentence: its text (no markers), the passages it cites, and their best sentences."""

    text: str
    cites: tuple[int, ...]
    quotes: tuple[tuple[int, int], ...]  # per cite: the supporting sentence's span in the passage


@dataclass(frozen=True)
class Grounded:
    """The checked answer: kept sentences, and whether anything had to be changed."""

    sentences: tuple[Support, ...]
    repaired: bool

    def render(self) -> tuple[str, list[int]]:
        """Answer text with markers renumbered 1..m by first use, and the passage order."""
        order: list[int] = []
        parts = []
        for sentence in self.sentences:
            for n in sentence.cites:
                if n not in order:
                    order.append(n)
            marks = "".join(f"[{order.index(n) + 1}]" for n in sentence.cites)
            body = sentence.text
            if body[-1] in ".!?":  # "… upfront [1]." reads better than "… upfront. [1]"
                parts.append(f"{body[:-1]} {marks}{body[-1]}")
            else:
                parts.append(f"{body} {marks}")
        return " ".join(parts), order


def parse_markers(text: str, k: int) -> list[int]:
    """Citation numbers in `text` that point at one of the k passages; others are dropped."""
    found = (int(n) for m in _MARKER.finditer(text) for n in m.group(1).split(","))
    return list(dict.fromkeys(n for n in found if 1 <= n <= k))


def strip_markers(text: str) -> str:
    """The sentence without its citation markers."""
    return _MARKER.sub("", text).strip()


def ground_answer(
    raw: str,
    passages: Sequence[str],
    question: str,
    max_sentences: int = 3,
    scorer: Scorer = overlap_scorer,
) -> Grounded:
    """Check and repair a generated answer against the passages it may cite (numbered from 1)."""
    k = len(passages)
    kept: list[Support] = []
    repaired = False
    for start, end in split_sentences(raw.strip())[: max_sentences * 2]:
        if len(kept) >= max_sentences:
            break
        sentence = raw.strip()[start:end]
        body = strip_markers(sentence)
        if not content_words(body):
            continue
        cites = parse_markers(sentence, k)
        if cites and _supported(body, [passages[n - 1] for n in cites]):
            kept.append(_support(body, cites, passages))
            continue
        source = _best_source(body, passages)
        if source is not None:  # right claim, wrong or missing citation: cite the real source
            kept.append(_support(body, [source], passages))
            repaired = True
            continue
        if not kept and find_quantities(body):
            quote = _quote(question, passages, cites, scorer)
            if quote is not None:
                kept.append(quote)
                repaired = True
        if kept or find_quantities(body):
            break  # stop at the first claim the evidence does not carry
        repaired = True  # an uncited, unsupported opening sentence is dropped
    return Grounded(tuple(kept), repaired)


def extractive_answer(
    question: str, passages: Sequence[str], scorer: Scorer = overlap_scorer
) -> Grounded:
    """No LLM: the passage sentence that best answers the question, quoted with its citation."""
    quote = _quote(question, passages, [], scorer)
    return Grounded((quote,) if quote else (), repaired=False)


def _supported(body: str, texts: Sequence[str]) -> bool:
    evidence = [q for text in texts for q in find_quantities(text)]
    quantities = find_quantities(body)
    if quantities:
        return all(is_supported(q, evidence) for q in quantities)
    return any(overlap(body, text) >= _MIN_OVERLAP / 2 for text in texts)


def _best_source(body: str, passages: Sequence[str]) -> int | None:
    """The passage that supports every quantity of `body` and shares most of its words."""
    best, best_score = None, _MIN_OVERLAP
    for n, text in enumerate(passages, start=1):
        score = overlap(body, text)
        if score >= best_score and _supported(body, [text]):
            best, best_score = n, score + 1e-9  # earlier (better ranked) passages win ties
    return best


def _support(body: str, cites: Sequence[int], passages: Sequence[str]) -> Support:
    quotes = tuple(_best_sentence(body, passages[n - 1]) for n in cites)
    return Support(body, tuple(cites), quotes)


def _best_sentence(claim: str, passage: str) -> tuple[int, int]:
    """Span of the passage sentence that best supports `claim` (quantities, then words)."""
    claim_quantities = find_quantities(claim)

    def score(span: tuple[int, int]) -> tuple[int, float]:
        sentence = passage[span[0] : span[1]]
        evidence = find_quantities(sentence)
        return sum(is_supported(q, evidence) for q in claim_quantities), overlap(claim, sentence)

    spans = split_sentences(passage) or [(0, len(passage))]
    return max(spans, key=score)


def _quote(
    question: str, passages: Sequence[str], prefer: Sequence[int], scorer: Scorer
) -> Support | None:
    """The source sentence that best answers the question, quoted: from the cited passages when
    the answer cited any, else from all; better-ranked passages win near-ties."""
    pool = list(prefer) or list(range(1, len(passages) + 1))
    candidates = [
        (rank, n, span)
        for rank, n in enumerate(pool)
        for span in split_sentences(passages[n - 1])
        if content_words(passages[n - 1][span[0] : span[1]])
    ]
    if not candidates:
        return None
    texts = [passages[n - 1][a:b] for _, n, (a, b) in candidates]
    figure = wants_figure(question)
    scores = [
        score
        - candidates[i][0] * 0.02
        - (_HEADLINE_PENALTY if text.rstrip()[-1:] not in '.!?"”)' else 0.0)
        + (_FIGURE_BONUS if figure and find_quantities(text) else 0.0)
        for i, (score, text) in enumerate(zip(scorer(question, texts), texts, strict=True))
    ]
    best = max(range(len(candidates)), key=lambda i: scores[i])
    if scores[best] <= 0:
        return None
    _, n, (a, b) = candidates[best]
    quoted = passages[n - 1][a:b].lstrip("#").strip()  # a Markdown headline reads as a sentence
    return Support(f"“{quoted}”", (n,), ((a, b),))
