"""Markdown tables in a passage: which lines are table lines, and which of them are headers.

A table's row is one statement ("| Effective | 8 February 2024 |"): the parser must not end a
sentence inside it ("| 512.3 |" is no full stop). A header ("| Company | Revenue (RMB m) |
... |") states nothing, so it is no candidate answer: quoted, it matched every question about
the table's columns and answered none. (Read with its header's words, a row outranked the
brief's own sentence totalling a column, so rows keep their own words.)
"""

from __future__ import annotations

import bisect
import sys
from dataclasses import dataclass
from functools import lru_cache

_RULE_CHARS = frozenset("|-: ")
_END = sys.maxsize  # sorts after any end offset a span at the same start has


@dataclass(frozen=True)
class Layout:
    """A passage's table lines as (start, end) offsets: its headers, and every line of cells."""

    headers: tuple[tuple[int, int], ...] = ()
    lines: tuple[tuple[int, int], ...] = ()

    def header_at(self, at: int) -> bool:
        """Whether offset `at` lies on a table's header line."""
        return _within(self.headers, at)

    def header_of(self, at: int) -> tuple[int, int] | None:
        """The header line of the table whose line of cells holds offset `at`: the nearest header
        above it with nothing but table lines between; None for a table without one (or a
        passage that starts inside it)."""
        n = bisect.bisect_right(self.headers, (at, _END)) - 1
        if n < 0 or not self.row_at(at):
            return None
        header = self.headers[n]
        first = bisect.bisect_left(self.lines, header)
        last = bisect.bisect_right(self.lines, (at, _END))
        run = self.lines[first:last]
        # each line of cells from the header down to this row, none missing
        return header if run and run[0] == header and _joined(run) else None

    def opens_at(self, text: str, at: int) -> bool:
        """Whether the line of cells holding `at` belongs to a table the text starts inside:
        nothing but table lines from the text's start down to it (a chunk cut in a table)."""
        last = bisect.bisect_right(self.lines, (at, _END))
        run = self.lines[:last]
        return bool(run) and self.row_at(at) and not text[: run[0][0]].strip() and _joined(run)

    def row_at(self, at: int) -> bool:
        """Whether offset `at` lies on a line of cells, under a header or not (a passage may
        start inside a table)."""
        return _within(self.lines, at)


def row_header(text: str, span: tuple[int, int], above: str = "") -> str:
    """The header line of the table whose row is the sentence at `span` of `text` ("" for a
    sentence of prose); `above`, the header of a table the text starts inside."""
    line = _row_at(text, span)
    return "" if line is None else header_text(text, line, above)


def in_table(text: str, span: tuple[int, int]) -> bool:
    """Whether the sentence at `span` of `text` is a table's line of cells."""
    return _row_at(text, span) is not None


def _row_at(text: str, span: tuple[int, int]) -> int | None:
    """The offset of the table line within `span`, None for a sentence of prose."""
    lines = layout(text).lines
    n = bisect.bisect_left(lines, (span[0], 0))
    return None if n >= len(lines) or lines[n][0] >= span[1] else lines[n][0]


def header_text(text: str, at: int, above: str = "") -> str:
    """The header line of the table whose line of cells holds offset `at`: the one above it in
    `text`, or `above` (the header a chunk cut inside the table carries) when the text starts
    inside that table; "" when it has none."""
    tables = layout(text)
    top = tables.header_of(at)
    if top is not None:
        return text[top[0] : top[1]]
    return above if above and tables.opens_at(text, at) else ""


def _joined(run: tuple[tuple[int, int], ...]) -> bool:
    """Whether these lines follow one another, one line break apart (no other line between)."""
    return all(y[0] == x[1] + 1 for x, y in zip(run, run[1:], strict=False))


def _within(spans: tuple[tuple[int, int], ...], at: int) -> bool:
    """Whether `at` falls in one of these sorted, disjoint spans (by bisection: the parser asks
    this of every token, and a long report holds hundreds of table lines)."""
    n = bisect.bisect_right(spans, (at, _END)) - 1
    return n >= 0 and spans[n][0] <= at < spans[n][1]


@lru_cache(maxsize=20_000)
def layout(text: str) -> Layout:
    """The markdown tables of a text: a line of cells ("| a | b |") followed by a rule line
    ("|---|---|") is a header (cached like the parse: passages come back question after
    question)."""
    lines, start = [], 0
    for line in text.split("\n"):
        lines.append((start, start + len(line), line.strip()))
        start += len(line) + 1
    headers = tuple(
        (a, b)
        for (a, b, line), (_, _, below) in zip(lines, lines[1:], strict=False)
        if _is_row(line) and not _rule(line) and _rule(below)
    )
    return Layout(headers, tuple((a, b) for a, b, line in lines if _is_row(line)))


def cells(text: str, line: tuple[int, int]) -> list[tuple[int, int, str]]:
    """The cells of a table line as (start, end, text), offsets in `text`, blanks trimmed."""
    a, b = line
    bars = [i for i in range(a, b) if text[i] == "|"]
    out = []
    for left, right in zip(bars, bars[1:], strict=False):
        cell = text[left + 1 : right]
        lead = len(cell) - len(cell.lstrip())
        out.append((left + 1 + lead, left + 1 + len(cell.rstrip()), cell.strip()))
    return out


def _is_row(line: str) -> bool:
    return line.startswith("|") and line.count("|") >= 2


def _rule(line: str) -> bool:
    return _is_row(line) and "-" in line and set(line) <= _RULE_CHARS
