"""Candidate answer spans of a sentence: spaCy's entities (MONEY, DATE, ORG, ...) and the noun
chunks that hold no entity, each with its type and its place in the parse.

A sum written in two currencies ("RMB 200 million (USD 29.5 million)") is one answer: the
bracketed conversion joins the entity before it, and a currency code the model left outside
("RMB 1,025 million") joins the amount.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rag.numbers import CURRENCY_UNITS, find_quantities

NOUN_PHRASE = "NP"
CODE = "CODE"  # a product or trial code ("CT053", "LUMEN-G3"): spaCy calls them GPE or ORG
_CURRENCY_WORDS = frozenset(("rmb", "usd", "us$", "hk$", "hkd", "eur", "cny", "$", "€", "¥", "jpy"))
_MAX_TOKENS = 16  # a longer noun chunk is a clause, not an answer


@dataclass(frozen=True)
class SpanCandidate:
    """A span of a sentence that may answer: character offsets in the sentence's document, its
    text, its type (a spaCy entity label or NP) and the token index of its syntactic root."""

    start: int
    end: int
    text: str
    label: str
    root: int  # token index (in the document) of the span's root
    tokens: tuple[int, int]  # token range [first, last) in the document


def sentence_spans(sent: Any) -> list[SpanCandidate]:
    """The candidate spans of one spaCy sentence (`Span`), entities first, in text order."""
    doc = sent.doc
    out: list[SpanCandidate] = []
    taken: set[int] = set()
    for ent in sent.ents:
        for first, last in _pieces(doc, ent.start, ent.end):
            if taken.intersection(range(first, last)):
                continue  # inside a widened amount: "(USD 29.5 million)"
            label = ent.label_
            if label in ("MONEY", "CARDINAL", "QUANTITY"):
                first, last = _widen_amount(doc, first, last, sent.start, sent.end)
                if doc[first].lower_ in _CURRENCY_WORDS:
                    label = "MONEY"  # "RMB 2.4 billion" read as a bare number
            out.append(_candidate(doc, first, last, label))
            taken.update(range(first, last))
    for first, last, label in _missed_amounts(sent):
        if not taken.intersection(range(first, last)):
            out.append(_candidate(doc, first, last, label))
            taken.update(range(first, last))
    for chunk in sent.noun_chunks:
        if taken.intersection(range(chunk.start, chunk.end)):
            continue
        first = chunk.start
        while first < chunk.end and doc[first].pos_ in ("DET", "PRON"):
            first += 1  # "the NMPA" answers as "NMPA"
        if first >= chunk.end or chunk.end - first > _MAX_TOKENS:
            continue
        if all(doc[i].is_stop or doc[i].is_punct for i in range(first, chunk.end)):
            continue
        out.append(_candidate(doc, first, chunk.end, NOUN_PHRASE))
    out.sort(key=lambda c: c.start)
    return out


def names_currency(text: str) -> bool:
    """Whether a text (a table's header line: "| (RMB million) | 2024 |") names a currency."""
    return any(w.strip("()|,.:") in _CURRENCY_WORDS for w in text.lower().split())


def _missed_amounts(sent: Any) -> list[tuple[int, int, str]]:
    """The sums and percentages the sentence states (`find_quantities`) as token ranges with
    their type: the small model's entities miss some ("on top of the RMB 500 million Orion paid
    upfront"), and a sum the reader cannot see it cannot answer with."""
    out = []
    for quantity in find_quantities(sent.text):
        if quantity.unit == "%":
            label = "PERCENT"
        elif quantity.unit in CURRENCY_UNITS:
            label = "MONEY"
        else:
            continue  # a bare number: the model's CARDINAL and DATE spans already cover those
        start = sent.start_char + quantity.start  # a match starts at its currency or digit
        span = sent.doc.char_span(start, start + len(quantity.text), alignment_mode="expand")
        if span is not None:
            out.append((span.start, span.end, label))
    return out


def _pieces(doc: Any, first: int, last: int) -> list[tuple[int, int]]:
    """An entity cut at its prepositions: the small model runs names together ("Huadong
    Medicine for CT053"); "of" stays inside ("Bank of China")."""
    out, start = [], first
    for i in range(first, last):
        if doc[i].pos_ == "ADP" and doc[i].lower_ != "of":
            if i > start:
                out.append((start, i))
            start = i + 1
    if start < last:
        out.append((start, last))
    return out


def _widen_amount(doc: Any, first: int, last: int, lo: int, hi: int) -> tuple[int, int]:
    """Take in a currency code just before and a bracketed conversion just after an amount."""
    if first > lo and doc[first - 1].lower_ in _CURRENCY_WORDS:
        first -= 1
    if last + 1 < hi and doc[last].text == "(":
        close = next((i for i in range(last + 1, min(hi, last + 10)) if doc[i].text == ")"), None)
        if close is not None and any(t.like_num for t in doc[last + 1 : close]):
            last = close + 1
    return first, last


def _candidate(doc: Any, first: int, last: int, label: str) -> SpanCandidate:
    span = doc[first:last]
    if label not in ("MONEY", "PERCENT", "DATE", "CARDINAL", "QUANTITY") and _code_like(span.text):
        label = CODE
    return SpanCandidate(
        start=span.start_char,
        end=span.end_char,
        text=span.text,
        label=label,
        root=span.root.i,
        tokens=(first, last),
    )


def _code_like(text: str) -> bool:
    """One word mixing letters with digits, or several capitals joined by a hyphen."""
    if " " in text:
        return False
    letters = any(c.isalpha() for c in text)
    return letters and (any(c.isdigit() for c in text) or ("-" in text and text.isupper()))


def tree_distance(doc: Any, a: int, b: int) -> int:
    """Edges between two tokens in the dependency tree (through their lowest common ancestor)."""
    path_a = _ancestors(doc[a])
    depth = {t: n for n, t in enumerate(path_a)}
    for n, token in enumerate(_ancestors(doc[b])):
        if token in depth:
            return depth[token] + n
    return len(path_a) + 8  # different sentences: far apart


def _ancestors(token: Any) -> list[int]:
    out = [token.i]
    while token.head.i != token.i:
        token = token.head
        out.append(token.i)
    return out
