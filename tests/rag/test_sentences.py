"""Sentence spans and word overlap (pure)."""

from __future__ import annotations

from rag.sentences import content_words, line_breaks, overlap, split_sentences

TEXT = (
    "Huadong Medicine (Hangzhou) Co., Ltd. pays RMB 200 million. CARsgen gets USD 29.5 million "
    "upfront [1]. The U.S. FDA granted RMAT in 2019.\n\nNext paragraph here"
)


def test_split_sentences_respects_abbreviations_and_decimals() -> None:
    sentences = [TEXT[a:b] for a, b in split_sentences(TEXT)]
    assert sentences == [
        "Huadong Medicine (Hangzhou) Co., Ltd. pays RMB 200 million.",
        "CARsgen gets USD 29.5 million upfront [1].",
        "The U.S. FDA granted RMAT in 2019.",
        "Next paragraph here",
    ]


def test_split_sentences_keeps_trailing_markers_with_their_sentence() -> None:
    text = "It pays USD 5m. [2] Then it grows. [1][3]"
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "It pays USD 5m. [2]",
        "Then it grows. [1][3]",
    ]


def test_split_sentences_joins_lines_wrapped_at_the_page_width() -> None:
    # text taken from a PDF: every line runs to the margin, so a capital after a line break
    # ("Silverpine's", "Regulation") goes on the sentence; a short headline line still ends
    text = (
        "Vantorre to Acquire Silverpine\n"
        "The transaction, to be implemented by a scheme of arrangement, requires approval from\n"
        "Silverpine's independent shareholders and clearance from the State Administration for\n"
        "Market Regulation (SAMR). Closing is expected in Q1 2026."
    )
    sentences = [" ".join(text[a:b].split()) for a, b in split_sentences(text)]
    assert sentences == [
        "Vantorre to Acquire Silverpine",
        "The transaction, to be implemented by a scheme of arrangement, requires approval from "
        "Silverpine's independent shareholders and clearance from the State Administration for "
        "Market Regulation (SAMR).",
        "Closing is expected in Q1 2026.",
    ]


def test_line_breaks_start_a_sentence_at_every_line_of_a_table() -> None:
    # a table's rows run about as long as each other, and as the longest line: no row is a
    # line wrapped at the page width
    cells = "| {0}.5 | +{1}% | {2}.0 | ({3}.5) | 1,{1}10 |"
    rows = [
        f"| Company {n} Biologics " + cells.format(100 + n, n, 700 + n, 200 + n) for n in range(4)
    ]
    assert min(map(len, rows)) > 60  # as wide as prose a PDF wraps
    text = "Results closed.\n\n" + "\n".join(rows)
    assert {text.index(row) for row in rows} <= line_breaks(text)


def test_split_sentences_ends_short_lines_without_punctuation() -> None:
    text = "# Headline\nFirst line\nSecond line"
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "# Headline",
        "First line",
        "Second line",
    ]


def test_overlap_folds_suffixes_and_ignores_stopwords() -> None:
    assert "approv" in content_words("The approval was approved")
    assert overlap("When was it approved?", "NMPA approval came in May") == 1.0
    assert overlap("", "anything") == 0.0
