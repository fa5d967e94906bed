"""A table's cell addressed by its row label and column header (real spaCy; the last test asks
through the pipeline)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ingest.runner import ingest_folder
from rag.lexical import lexical_tokens
from rag.reading.candidates import sentences_of
from rag.reading.cells import addressed_cell, addressed_column
from rag.reading.nlp import parse
from rag.reading.parts import Scored
from rag.reading.question import Question
from rag.types import Passage
from tests.conftest import write_brief

MATRIX = (
    "Kestrel and Orion reported results.\n\n"
    "| Company | Revenue (RMB m) | R&D expense (RMB m) |\n"
    "|---|---|---|\n"
    "| Kestrel Bio | 412.6 | 512.3 |\n"
    "| Orion Pharma | 336.5 | 845.0 |\n"
)
TERMS = (
    "The main terms are below.\n\n"
    "| Item | Terms |\n"
    "|---|---|\n"
    "| Upfront payment | US$80 million |\n"
    "| Effective | 8 February 2024 |\n"
)


def _read(*texts: str) -> list[Scored]:
    return [Scored(s, []) for s in sentences_of([parse(t) for t in texts], [0] * len(texts))]


def _q(text: str, asked: str = "", subjects: str = "", plural: bool = False) -> Question:
    named = frozenset(lexical_tokens(subjects))
    return Question(text=text, wh="what", head="", terms=tuple(lexical_tokens(text)),
                    asked=frozenset(lexical_tokens(asked)), subjects=named, unknown=(),
                    plural=plural)  # fmt: skip


def _cell(q: Question, scored: list[Scored], quantity: str = "", headers: tuple[str, ...] = ("",)
          ) -> str | None:  # fmt: skip
    found = addressed_cell(q, scored, headers, lambda t: 1, 10, quantity)
    return None if found is None else found.text


def test_cells_a_row_label_and_column_header_address_a_cell() -> None:
    scored = _read(MATRIX)
    q = _q("What was Orion Pharma's R&D expense?", "R&D expense", "Orion")
    assert _cell(q, scored, "MONEY") == "845.0"  # its unit stands in the header
    assert _cell(_q("What was Kestrel's revenue?", "revenue", "Kestrel"), scored) == "412.6"


def test_cells_an_unnamed_column_or_asked_word_leaves_the_question_to_the_reader() -> None:
    scored = _read(MATRIX)
    # no column named: which figure of the row is meant is a guess
    assert _cell(_q("What did Orion Pharma report?", "", "Orion"), scored) is None
    # "growth" stands in neither address: the revenue cell is not its answer
    assert _cell(_q("What was Orion's revenue growth?", "revenue growth", "Orion"), scored) is None
    # no row named
    assert _cell(_q("What was the R&D expense?", "R&D expense"), scored) is None


def test_cells_a_two_column_table_is_addressed_by_its_row_label() -> None:
    scored = _read(TERMS)
    assert _cell(_q("When did the deal become effective?"), scored, "DATE") == "8 February 2024"
    # a date is asked, the upfront row holds none
    assert _cell(_q("When was the upfront payment made?"), scored, "DATE") is None
    assert _cell(_q("What upfront payment is due?", "upfront payment"), scored) == "US$80 million"


def test_cells_a_chunk_cut_inside_a_table_reads_the_header_it_carries() -> None:
    inside = MATRIX[MATRIX.index("| Kestrel Bio") :]
    q = _q("What was Orion Pharma's R&D expense?", "R&D expense", "Orion")
    assert _cell(q, _read(inside)) is None  # the header is in another chunk
    header = "| Company | Revenue (RMB m) | R&D expense (RMB m) |"
    assert _cell(q, _read(inside), headers=(header,)) == "845.0"


def _column(q: Question, *chunks: tuple[str, int, str]) -> list[str]:
    """The column `addressed_column` lists from chunks of one brief (text, start, carried
    header)."""
    passages = [
        Passage(f"c{n}", "results", "R", "2025-03-01", "r.md", text, start, 1.0, header=header)
        for n, (text, start, header) in enumerate(chunks)
    ]
    scored = _read(*(p.text for p in passages))
    return [c.text for c in addressed_column(q, scored, passages)[1]]


def test_cells_a_list_whose_asked_noun_heads_a_column_gets_the_column() -> None:
    whole = (MATRIX, 0, "")
    q = _q("Which companies does the results table cover?", "companies", plural=True)
    assert _column(q, whole) == ["Kestrel Bio", "Orion Pharma"]
    # one thing asked: a cell, or the reader, answers it
    assert _column(_q("Which company does the table cover?", "company"), whole) == []
    # another column named filters the rows: which pass is the reader's to find
    q = _q("Which companies had revenue above RMB 400 million?", "companies", plural=True)
    assert _column(q, whole) == []


def test_cells_a_column_cut_across_chunks_is_read_from_each() -> None:
    cut = MATRIX.index("| Orion Pharma")
    header = "| Company | Revenue (RMB m) | R&D expense (RMB m) |"
    q = _q("Which companies are in the table?", "companies", plural=True)
    # the later chunk first, as retrieval may rank it: the list keeps the table's order
    chunks = ((MATRIX[cut:], cut, header), (MATRIX[:cut], 0, ""))
    assert _column(q, *chunks) == ["Kestrel Bio", "Orion Pharma"]


def test_cells_a_question_a_cell_answers_gets_the_cell_backed_by_its_row(
    fake_pipeline: Any, tmp_path: Path
) -> None:
    body = (
        "Orion Pharma licensed KB-7 from Kestrel Bio. The main terms are below.\n\n"
        "| Item | Terms |\n|---|---|\n| Upfront payment | US$80 million |\n"
        "| Effective | 8 February 2024 |\n\nKestrel said the deal closed on time."
    )
    write_brief(tmp_path / "corpus", "deal.md", "Orion licenses KB-7 from Kestrel Bio", body,
                companies=("Kestrel Bio", "Orion Pharma"))  # fmt: skip
    ingest_folder(fake_pipeline, tmp_path / "corpus", progress=False)
    answer = fake_pipeline.ask("When did the KB-7 licence from Kestrel Bio become effective?")
    assert not answer.abstained and answer.text.startswith("8 February 2024 [1]"), answer.text
    cited = answer.citations[0]
    assert "| Effective | 8 February 2024 |" in cited.quote


def test_cells_a_row_chunked_apart_from_its_header_is_still_read_by_its_columns(
    fake_pipeline: Any, tmp_path: Path
) -> None:
    names = ["Kestrel", "Orion", "Lyra", "Vega", "Altair", "Deneb", "Rigel", "Sirius", "Mira",
             "Castor", "Pollux", "Spica", "Antares", "Arcturus", "Capella", "Procyon"]  # fmt: skip
    rows = "\n".join(
        f"| {name} Biologics | {100 + n}.5 | +{n}% | {700 + n}.0 | ({200 + n}.5) | {1000 + n} |"
        for n, name in enumerate(names)
    )
    header = "| Company | Revenue (RMB m) | Change | R&D expense (RMB m) | Net loss | Cash |"
    body = f"Results season closed.\n\n{header}\n|---|---|---|---|---|---|\n{rows}\n\nThat is all."
    write_brief(tmp_path / "corpus", "results.md", "Sixteen biotechs report results", body,
                companies=tuple(f"{n} Biologics" for n in names))  # fmt: skip
    ingest_folder(fake_pipeline, tmp_path / "corpus", progress=False)
    stored = list(fake_pipeline.store.chunks_of(["results"]))
    assert any(r.meta["table_header"] == header for r in stored)  # the table spans chunks
    answer = fake_pipeline.ask("What was Procyon Biologics' R&D expense?")
    assert answer.text.startswith("715.0 [1]"), answer.text


def test_cells_a_list_of_a_table_s_column_is_answered_through_the_pipeline(
    fake_pipeline: Any, tmp_path: Path
) -> None:
    body = (
        "Results season closed this week for two biotechs.\n\n"
        + MATRIX.split("\n\n", 1)[1]
        + "\nBoth companies said their cash lasts into 2027."
    )
    write_brief(tmp_path / "corpus", "results.md", "Kestrel and Orion report 2024 results", body,
                companies=("Kestrel Bio", "Orion Pharma"))  # fmt: skip
    ingest_folder(fake_pipeline, tmp_path / "corpus", progress=False)
    answer = fake_pipeline.ask("Which companies does the results table cover?")
    assert answer.text == "Kestrel Bio [1]; Orion Pharma [1]", answer.text
    assert "| Kestrel Bio | 412.6 | 512.3 |" in answer.citations[0].quote
