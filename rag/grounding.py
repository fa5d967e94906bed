"""The grounding check: every quantity an answer states must stand in a passage it cites.

Pure functions over the answer text and the numbered passages. A sentence that fails is re-cited
to a passage that does support it, or replaced by the source sentence quoted with its citation;
the answer is cut after the first sentence that cannot be saved (the small model rambles). Names
count too: a company or code the cited passages never mention is no claim they support.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag.numbers import date_supported, find_dates, find_quantities, is_supported, same_quantity
from rag.sentences import content_words, overlap, split_sentences

_MARKER = re.compile(r"\s*\[(\d+(?:\s*,\s*\d+)*)\]")
_MIN_OVERLAP = 0.6  # share of an uncited sentence's words a passage must hold to be its source


@dataclass(frozen=True)
class Pick:
    """One evidence sentence: the passage it is in (numbered from 1), its span there, its text."""

    passage: int
    span: tuple[int, int]
    text: str


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
        if not kept and find_quantities(body) and evidence:
            kept.append(quote(evidence[0], passages))  # the reader's sentence instead
            repaired = True
        if kept or find_quantities(body):
            break  # stop at the first claim the evidence does not carry
        repaired = True  # an uncited, unsupported opening sentence is dropped
    return Grounded(tuple(kept), repaired)


def agrees(grounded: Grounded, spans: Sequence[str], picks: Sequence[Pick]) -> bool:
    """Whether a model's checked answer says what the reader found: every answer span the reader
    chose is in it (as text, or as the same quantities), and it draws on the reader's sentences.
    A model that picks another figure of the same passage is overruled by the quote."""
    text = " ".join(s.text for s in grounded.sentences)
    for span in spans:
        if _fold(span) in _fold(text):
            continue
        wanted, said = find_quantities(span), find_quantities(text)
        if not wanted or not all(any(same_quantity(w, q) for q in said) for w in wanted):
            return False
    return bool(picks) and any(overlap(text, p.text) > 0 for p in picks)


def _fold(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").split())


def quote(pick: Pick, passages: Sequence[str]) -> Support:
    """A picked source sentence as a cited quotation."""
    a, b = pick.span
    quoted = passages[pick.passage - 1][a:b].lstrip("#").strip()  # a Markdown headline
    return Support(f"“{' '.join(quoted.split())}”", (pick.passage,), ((a, b),))


def _supported(body: str, texts: Sequence[str]) -> bool:
    if not all(date_supported(d, texts) for d in find_dates(body)):
        return False  # "April 2, 2023" is not carried by a "2" and a "2023" somewhere
    if not _names_supported(body, texts):
        return False  # a company or product the passages never mention
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


_WORDS = re.compile(r"[A-Za-z0-9][\w-]*")
_CURRENCY = re.compile(r"^(?:RMB|USD|US|HK|HKD|EUR|CNY)\d", re.IGNORECASE)


def _names_supported(body: str, texts: Sequence[str]) -> bool:
    """Every name of the claim stands in one of the passages: words with an inner capital
    ("BeiGene", "CStone"), codes mixing letters and digits ("CT053", "3SBio"), and capitalised
    words after the first ("Pfizer"). Amounts ("RMB200m") and short acronyms are left to the
    figure check."""
    joined = " ".join(texts).lower()
    for n, word in enumerate(_WORDS.findall(body)):
        inner = any(c.isupper() for c in word[1:]) and any(c.islower() for c in word)
        code = any(c.isdigit() for c in word) and sum(c.isalpha() for c in word) >= 2
        titled = n > 0 and word[:1].isupper() and word[1:].islower() and len(word) >= 3
        if _CURRENCY.match(word) or not (inner or code or titled):
            continue
        if word.lower() not in joined:
            return False
    return True
