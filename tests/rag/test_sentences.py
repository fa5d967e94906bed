"""Sentence spans and word overlap (pure)."""

from __future__ import annotations

from rag.sentences import content_words, overlap, split_sentences

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


def test_overlap_folds_suffixes_and_ignores_stopwords() -> None:
    assert "approv" in content_words("The approval was approved")
    assert overlap("When was it approved?", "NMPA approval came in May") == 1.0
    assert overlap("", "anything") == 0.0
