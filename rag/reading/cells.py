"""A table's cell as the answer: the question names a row's label and, in a table of several
columns, a column's header ("What was Kestrel's R&D expense?" against a row "| Kestrel Bio |
... | 512.3 | ..." under "| Company | ... | R&D expense (RMB m) | ..."), or a two-column table's
row label ("When did the deal become effective?" against "| Effective | 8 February 2024 |").
A question after a list whose asked noun is a column's header ("Which companies does the table
cover?") gets that column's cells, row by row (`addressed_column`).

A row states its figures without the words that say what they are: those stand in its label and
its header, so the sentence model, which reads a row's own words, ranks it low, and a quote of it
is a line of bare numbers. Read by its addresses, the cell is the answer and the row its source.
The cell must be the only best-addressed one, every asked word must stand in its label or
header, and a cell must hold a span of the quantity asked ("when": a date; "how much": a
figure, its unit in the header); otherwise the reader reads the question as it reads any other.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rag.lexical import lexical_tokens
from rag.reading.decision import MAX_CHARS
from rag.reading.parts import Scored
from rag.reading.question import Question
from rag.reading.tables import cells, header_text, layout, row_header
from rag.types import Passage

# a figure's unit stands in its column's header ("Revenue (RMB m)"): a bare number answers a sum
_NUMBERS = frozenset(("MONEY", "PERCENT", "CARDINAL", "QUANTITY"))
_KINDS = {"MONEY": _NUMBERS, "PERCENT": _NUMBERS, "CARDINAL": _NUMBERS}


@dataclass(frozen=True)
class Cell:
    """The addressed cell: the row as read, the cell's offsets in its passage, its text."""

    row: Scored
    span: tuple[int, int]
    text: str
    score: float


def addressed_cell(
    q: Question,
    scored: Sequence[Scored],
    headers: Sequence[str],
    doc_freq: Callable[[str], int],
    documents: int,
    quantity: str = "",
) -> Cell | None:
    """The one cell of the read table rows that the question addresses best, by the rarity of
    the question's words standing in its row label and column header; `quantity`, the entity
    label the question asks for when it asks a quantity ("MONEY", "DATE"), must label a span of
    the cell. None when no cell is addressed, when two are addressed alike, or when an asked
    word stands in neither address. `headers` holds, per passage, the header line of a table
    the passage starts inside ("" when none): a chunk cut in a table keeps what its columns
    are."""
    wanted = frozenset(q.terms) - q.known
    asked = frozenset(t for t in q.asked - q.subjects if len(t) > 1)

    def weight(term: str) -> float:  # as `candidates.idf_weights`, the names counted too
        return math.log((documents + 1) / (doc_freq(term) + 0.5))

    found: list[Cell] = []
    for item in scored:
        s = item.sentence
        text = s.sent.doc.text
        tables = layout(text)
        above = headers[s.passage] if s.passage < len(headers) else ""
        # the table lines the sentence holds: one, a row being its own sentence
        first = bisect.bisect_left(tables.lines, (s.span[0], 0))
        last = bisect.bisect_left(tables.lines, (s.span[1], 0))
        for line in tables.lines[first:last]:
            found += _cells_of(item, text, line, above, wanted, asked, quantity, weight)
    found.sort(key=lambda c: -c.score)
    if not found or (len(found) > 1 and found[1].score >= found[0].score):
        return None
    return found[0]


def _cells_of(item: Scored, text: str, line: tuple[int, int], above: str,
              wanted: frozenset[str], asked: frozenset[str], quantity: str,
              weight: Callable[[str], float]) -> list[Cell]:  # fmt: skip
    """The cells of one row line that the question's words address, each with its score."""
    row = cells(text, line)
    label = frozenset(lexical_tokens(row[0][2])) & wanted if row else frozenset()
    if len(row) < 2 or not label:
        return []
    head = header_text(text, line[0], above)
    header = cells(head, (0, len(head))) if head else []
    out = []
    for n, (a, b, value) in enumerate(row[1:], start=1):
        column = frozenset(lexical_tokens(header[n][2])) if n < len(header) else frozenset()
        # a table of several columns: the cell's column must be named too
        if (len(row) > 2 and not column & wanted) or not asked <= label | column:
            continue
        held = {sp.label for sp in item.sentence.spans if a <= sp.start < b}
        if quantity and not held & _KINDS.get(quantity, {quantity}):
            continue
        if any(c.isalnum() for c in value):
            out.append(Cell(item, (a, b), value, sum(weight(t) for t in label | (column & wanted))))
    return out


@dataclass(frozen=True)
class ColumnCell:
    """One cell of an addressed column: its passage, its row's line there (its source), the
    cell's offsets and text."""

    passage: int
    line: tuple[int, int]
    span: tuple[int, int]
    text: str


def addressed_column(
    q: Question, scored: Sequence[Scored], passages: Sequence[Passage]
) -> tuple[Scored | None, list[ColumnCell]]:
    """For a question asking for several things whose asked noun is a column's header ("Which
    companies are in the results table?" against "| Company | Revenue (RMB m) | ..."), the row
    of that table ranking best of `scored` (the cited brief's sentences) and the column's
    cells, row by row, in every passage of `passages` holding the table (a table may be cut
    across chunks). None found when the question also names another of the table's columns
    by a word: "which companies made a net profit" filters the rows by a column, and which
    rows pass is the reader's to find (a year only dates the table: "Cash at 31 Dec 2024");
    nor when the column's cells do not fit an answer."""
    asked = frozenset(t for t in q.asked - q.subjects if len(t) > 1)
    if not q.plural or not asked:
        return None, []
    other = frozenset(t for t in q.terms if t.isalpha()) - asked - q.subjects
    for item in scored:
        s = item.sentence
        head = row_header(s.sent.doc.text, s.span, passages[s.passage].header)
        if not head:
            continue
        columns = [frozenset(lexical_tokens(c[2])) for c in cells(head, (0, len(head)))]
        hits = [n for n, words in enumerate(columns) if asked <= words]
        named = [n for n, words in enumerate(columns) if words & other and n not in hits]
        if len(hits) != 1 or named:
            return None, []
        doc = passages[s.passage].doc_id
        found = _column([(n, p) for n, p in enumerate(passages) if p.doc_id == doc], head, hits[0])
        length = sum(len(c.text) + 6 for c in found)  # each with its marker
        return (item, found) if len(found) > 1 and length <= MAX_CHARS else (None, [])
    return None, []


def _column(passages: Sequence[tuple[int, Passage]], head: str, n: int) -> list[ColumnCell]:
    """Column `n`'s cells in every row under the header `head` in these numbered passages, in
    the brief's order, each row once (chunks may overlap)."""
    out: dict[int, ColumnCell] = {}
    for number, p in sorted(passages, key=lambda x: x[1].start):
        tables = layout(p.text)
        for line in tables.lines:
            if tables.header_at(line[0]) or header_text(p.text, line[0], p.header) != head:
                continue
            row = cells(p.text, line)
            if n < len(row) and any(c.isalnum() for c in row[n][2]):
                a, b, value = row[n]
                out.setdefault(p.start + line[0], ColumnCell(number, line, (a, b), value))
    return [out[at] for at in sorted(out)]
