"""Chunking is pure: spans, ids and embedded text checked without any model."""

from __future__ import annotations

from dataclasses import replace

from llama_index.core.schema import MetadataMode

from ingest.chunking import chunk_brief, make_splitter
from ingest.loaders import Brief

TEXT = " ".join(
    f"Sentence {i} says the company raised RMB {i}0 million in round {i}." for i in range(40)
)
BRIEF = Brief(
    doc_id="briefs/2024-05-x",
    path="briefs/2024-05-x.md",
    text=TEXT,
    title="Zeta raises funds",
    date="2024-05-01",
    source="Wire",
    companies=("Zeta Bio",),
    content_hash="abc",
)


def test_chunk_brief_spans_point_into_the_document() -> None:
    chunks = chunk_brief(BRIEF, make_splitter(48, 8), "h1")
    assert len(chunks) > 3
    for node in chunks:
        assert TEXT[node.start_char_idx : node.end_char_idx] == node.text


def test_chunk_brief_ids_are_stable_and_ordered() -> None:
    first = chunk_brief(BRIEF, make_splitter(48, 8), "h1")
    again = chunk_brief(BRIEF, make_splitter(48, 8), "h1")
    assert [n.node_id for n in first] == [f"briefs/2024-05-x#{i}" for i in range(len(first))]
    assert [n.node_id for n in again] == [n.node_id for n in first]
    assert {n.metadata["chunk_count"] for n in first} == {len(first)}
    assert all(n.ref_doc_id == "briefs/2024-05-x" for n in first)


def test_chunk_brief_respects_size_and_sentences() -> None:
    chunks = chunk_brief(BRIEF, make_splitter(48, 8), "h1")
    assert all(len(n.text.split()) <= 48 for n in chunks)
    assert all(n.text.rstrip().endswith(".") for n in chunks)  # cut between sentences


def test_chunk_brief_never_cuts_a_table_inside_a_number() -> None:
    # a table is one "sentence" to the splitter's tokenizer: too long, it is cut by clauses
    rows = "\n".join(f"| Company {i} | 1,{i}12.5 | {i}45.3 | (2{i}8.5) |" for i in range(30))
    table = replace(
        BRIEF, text=f"Results were mixed.\n\n| Company | A | B | C |\n|---|---|---|---|\n{rows}\n"
    )
    chunks = chunk_brief(table, make_splitter(48, 8), "h1")
    assert len(chunks) > 2
    for node in chunks:
        text = node.text.strip()
        # every chunk starts and ends at whole rows (or the prose above them)
        assert text.endswith(("|", ".")) and text.startswith(("|", "Results")), text


def test_chunk_brief_keeps_the_header_of_a_table_it_starts_inside() -> None:
    rows = "\n".join(f"| Company {i} | 1,{i}12.5 | {i}45.3 |" for i in range(30))
    header = "| Company | Revenue (RMB m) | Cash (RMB m) |"
    table = replace(BRIEF, text=f"Results were mixed.\n\n{header}\n|---|---|---|\n{rows}\n\nEnd.")
    chunks = chunk_brief(table, make_splitter(48, 8), "h1")
    inside = [n for n in chunks if n.text.strip().startswith("| Company ")]
    assert inside and all(n.metadata["table_header"] == header for n in inside)
    # embedded with them, so rows retrieve by their columns' words; the chunk holding the
    # header itself, and prose, carry none, and embed nothing for it
    assert header in inside[0].get_content(metadata_mode=MetadataMode.EMBED)
    assert chunks[0].metadata["table_header"] == ""
    assert "table_header" not in chunks[0].get_content(metadata_mode=MetadataMode.EMBED)
    # what other chunks embed is as before, an empty date too: their vectors stay put
    undated = chunk_brief(replace(BRIEF, date=""), make_splitter(48, 8), "h1")[0]
    assert "\ndate:\n" in undated.get_content(metadata_mode=MetadataMode.EMBED)


def test_chunk_brief_embeds_title_and_date_but_not_bookkeeping() -> None:
    node = chunk_brief(BRIEF, make_splitter(48, 8), "h1")[2]
    embedded = node.get_content(metadata_mode=MetadataMode.EMBED)
    assert "Zeta raises funds" in embedded and "2024-05-01" in embedded
    assert "doc_hash" not in embedded and "h1" not in embedded.split()
    assert node.metadata["date_num"] == 20240501
