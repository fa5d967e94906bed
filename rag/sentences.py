"""Sentence spans and word overlap: the small text tools the trust layer is built from."""

from __future__ import annotations

import re
from functools import lru_cache

# A sentence ends at . ! or ? (plus any citation markers and closing quotes) followed by space and
# a capital, digit or quote: "Co., Ltd" and "29.5" do not end sentences, "U.S. FDA" rarely does.
_END = re.compile(r"(?<=[.!?])(?:\s*\[[\d,\s]+\])*[\"”’)]?\s+(?=[A-Z0-9\"“(])|\n\s*\n|\n(?=[A-Z#])")
_LINE = re.compile(r"\n\s*\n\s*|\n(?=[A-Z#|*•-])")
_WRAP_MIN = 60  # narrower lines are a layout of their own (a table, a list), not wrapped prose
_WRAP_SHARE = 0.8  # a line this close to the longest one ran into the margin
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ABBREV = re.compile(r"(?:\b(?:Co|Ltd|Inc|Corp|No|Dr|Mr|Ms|vs|approx|e\.g|i\.e|U\.S)\.)$", re.I)

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "how",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "per",
        "the",
        "this",
        "that",
        "to",
        "was",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "would",
        "about",
        "after",
        "also",
        "any",
        "been",
        "before",
        "being",
        "between",
        "both",
        "but",
        "can",
        "could",
        "each",
        "few",
        "into",
        "more",
        "most",
        "much",
        "no",
        "not",
        "only",
        "other",
        "over",
        "same",
        "so",
        "some",
        "such",
        "than",
        "then",
        "there",
        "these",
        "they",
        "those",
        "through",
        "under",
        "until",
        "up",
        "very",
        "you",
        "your",
        "he",
        "she",
        "his",
        "her",
        "we",
        "our",
        "their",
        "them",
        "i",
        "me",
        "my",
    ]
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences (and headline lines) in `text`, trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    width = _page_width(text)
    for match in _END.finditer(text):
        if _ABBREV.search(text[start : match.start()]):
            continue
        if match.group(0) == "\n" and _wrapped(text, match.start(), width):
            continue
        _add(text, start, match.start() + len(match.group(0).rstrip()), spans)
        start = match.end()
    _add(text, start, len(text), spans)
    return spans


def line_breaks(text: str) -> frozenset[int]:
    """Offsets where a line break starts a sentence: after a blank line, and after a line that
    is not wrapped prose (a headline, a list item). spaCy's parser reads a headline with no full
    stop as the start of the lead sentence below it; these offsets keep them apart."""
    width = _page_width(text)
    out = set()
    for match in _LINE.finditer(text):
        if match.group(0) == "\n" and _wrapped(text, match.start(), width):
            continue
        out.add(match.end())
    return frozenset(out)


def _page_width(text: str) -> int:
    """The longest line's length: wrapped lines run close to it."""
    return max((len(line.rstrip()) for line in text.splitlines()), default=0)


def _wrapped(text: str, end: int, width: int) -> bool:
    """Whether the line ending at `end` was wrapped at the page width (text taken from a PDF):
    then the capital that starts the next line goes on a sentence ("requires approval from /
    Silverpine's independent shareholders"), it does not start one. A headline or the last line
    of a paragraph stops well short of the width, and a table's line of cells is never wrapped
    (a table's rows run about as long as each other: read as wrapped, two rows made one)."""
    line = text[text.rfind("\n", 0, end) + 1 : end].rstrip()
    return (
        width >= _WRAP_MIN and len(line) >= _WRAP_SHARE * width and not line.startswith(("#", "|"))
    )


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        lead = len(chunk) - len(chunk.lstrip())
        spans.append((start + lead, start + lead + len(stripped)))


@lru_cache(maxsize=4096)
def content_words(text: str) -> frozenset[str]:
    """Lower-cased words minus stopwords, with light suffix folding (approval ~ approved)."""
    return frozenset(_fold(w) for w in _WORD.findall(text.lower()) if w not in STOPWORDS)


def _fold(word: str) -> str:
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ed", "es", "s", "al"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def overlap(a: str, b: str) -> float:
    """Share of `a`'s content words found in `b` (0..1)."""
    words = content_words(a)
    return len(words & content_words(b)) / len(words) if words else 0.0
