"""The grounding check: every quantity an answer states must stand in a passage it cites.

Pure functions over the answer text and the numbered passages. A sentence that fails is re-cited
to a passage that does support it, or replaced by the source sentence quoted with its citation;
the answer is cut after the first sentence that cannot be saved (the small model rambles), and an
answer left with nothing cited falls back to the extractive answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag.evidence import Pick, select_evidence, wants_figure
from rag.numbers import date_supported, find_dates, find_quantities, is_supported
from rag.sentences import content_words, overlap, split_sentences

_MARKER = re.compile(r"\s*\[(\d+(?:\s*,\s*\d+)*)\]")
_NEW_WORDS = 0.2  # share of a model answer's words that may come from neither evidence nor question
_KEEP_SHARE = 0.6  # share of the best evidence sentence's new words a model answer must keep
_MIN_OVERLAP = 0.6  # share of an uncited sentence's words a passage must hold to be its source


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
    evidence: Sequence[Pick] = (),
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
            # the sentence the evidence search chose, else the best one of the cited passages
            pool = [passages[n - 1] if n in cites else "" for n in range(1, k + 1)]
            picks = list(evidence) or select_evidence(
                question, pool if cites else passages, limit=1
            )
            if picks:
                kept.append(quote(picks[0], passages))
                repaired = True
        if kept or find_quantities(body):
            break  # stop at the first claim the evidence does not carry
        repaired = True  # an uncited, unsupported opening sentence is dropped
    return Grounded(tuple(kept), repaired)


def extractive_answer(picks: Sequence[Pick], passages: Sequence[str]) -> Grounded:
    """No LLM: the picked evidence sentences, each quoted with its citation."""
    return Grounded(tuple(quote(p, passages) for p in picks), repaired=False)


def informative(grounded: Grounded, question: str, picks: Sequence[Pick]) -> bool:
    """Whether a model's checked answer may stand in for the quoted evidence sentences.

    It must say nothing they do not (every figure and date from them, few words beyond them and
    the question), and lose nothing asked for: every figure of the best sentence when a figure is
    asked, else something the question did not already say. A small model that drops "10% to"
    from "10% to 15%", or credits the FDA with a filing, is replaced by the quote.
    """
    if not picks:
        return False
    text = " ".join(s.text for s in grounded.sentences)
    evidence = [p.text for p in picks]
    if not _supported(text, [" ".join(evidence)]):
        return False
    words = content_words(text)
    known = content_words(" ".join(evidence)) | content_words(question)
    if not words or len(words - known) > _NEW_WORDS * len(words):
        return False
    stated = find_quantities(picks[0].text)
    if wants_figure(question) and stated:
        said = find_quantities(text)
        return all(is_supported(q, said) for q in stated)
    # A partial restatement is how a small model goes wrong with the right words ("led by
    # Lakemont" of "led by Eastlight, with Lakemont"): most of what the best sentence adds to
    # the question must be kept.
    new = content_words(picks[0].text) - content_words(question)
    return len(words & new) >= _KEEP_SHARE * len(new)


def quote(pick: Pick, passages: Sequence[str]) -> Support:
    """A picked source sentence as a cited quotation."""
    a, b = pick.span
    quoted = passages[pick.passage - 1][a:b].lstrip("#").strip()  # a Markdown headline
    return Support(f"“{' '.join(quoted.split())}”", (pick.passage,), ((a, b),))


def _supported(body: str, texts: Sequence[str]) -> bool:
    if not all(date_supported(d, texts) for d in find_dates(body)):
        return False  # "April 2, 2023" is not carried by a "2" and a "2023" somewhere
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
