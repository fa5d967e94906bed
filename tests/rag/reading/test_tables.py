"""Markdown tables: header and row lines, one sentence per row, and no header as a candidate
(real spaCy)."""

from __future__ import annotations

from rag.reading.candidates import sentences_of
from rag.reading.nlp import parse
from rag.reading.tables import cells, layout, row_header

TABLE = (
    "Kestrel and Orion reported results.\n\n"
    "| Company | Revenue (RMB m) | R&D expense (RMB m) |\n"
    "|---|---|---|\n"
    "| Kestrel Bio | 412.6 | 512.3 |\n"
    "| Orion Pharma | 336.5 | 845.0 |\n\n"
    "Across the two companies, R&D spending totalled RMB 1,357.3 million.\n"
)


def test_tables_layout_finds_headers_and_lines_of_cells() -> None:
    found = layout(TABLE)
    header = TABLE.index("| Company")
    assert found.header_at(header) and not found.header_at(TABLE.index("| Kestrel Bio"))
    assert found.row_at(TABLE.index("512.3")) and not found.row_at(TABLE.index("Across"))
    # a passage starting inside a table: its rows are still table lines, with no header
    inside = TABLE[TABLE.index("| Kestrel Bio") :]
    assert layout(inside).row_at(0) and not layout(inside).headers
    assert not layout("A | B is no table.").lines


def test_tables_a_row_is_one_sentence_and_the_header_no_candidate() -> None:
    texts = [s.text for s in sentences_of([parse(TABLE)], [0])]
    assert "| Kestrel Bio | 412.6 | 512.3 |" in texts
    assert "| Orion Pharma | 336.5 | 845.0 |" in texts
    assert not any("Company" in t for t in texts)
    assert any(t.startswith("Across the two companies") for t in texts)


def test_tables_a_row_knows_its_header_and_cells() -> None:
    found = layout(TABLE)
    row = TABLE.index("| Orion Pharma")
    header = found.header_of(row)
    assert header is not None and TABLE[header[0] : header[1]].startswith("| Company |")
    line = next(ln for ln in found.lines if ln[0] <= row < ln[1])
    assert [c[2] for c in cells(TABLE, line)] == ["Orion Pharma", "336.5", "845.0"]
    a, b, text = cells(TABLE, line)[2]
    assert TABLE[a:b] == text == "845.0"
    assert found.header_of(TABLE.index("Across")) is None


def test_tables_a_passage_starting_inside_a_table_opens_with_it() -> None:
    inside = TABLE[TABLE.index("| Kestrel Bio") :]
    found = layout(inside)
    assert found.header_of(inside.index("| Orion")) is None  # its header is in another chunk
    assert found.opens_at(inside, inside.index("| Orion"))
    assert not found.opens_at(TABLE, TABLE.index("| Orion"))  # prose stands above this one


def test_tables_row_header_of_a_sentence_in_its_table_or_carried_from_above() -> None:
    row = TABLE.index("| Orion Pharma")
    assert row_header(TABLE, (row, row + 10)).startswith("| Company | Revenue")
    prose = TABLE.index("Across")
    assert row_header(TABLE, (prose, prose + 20)) == ""  # a sentence of prose has none
    inside = TABLE[TABLE.index("| Kestrel Bio") :]
    carried = "| Company | Revenue (RMB m) | R&D expense (RMB m) |"
    assert row_header(inside, (0, 10), carried) == carried  # the chunk's carried header
    assert row_header(inside, (0, 10)) == ""
