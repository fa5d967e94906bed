"""Composing the reader's findings into an answer with markers and sources (pure)."""

from __future__ import annotations

from rag.composing import compose
from rag.reading.compose import Finding
from rag.reading.question import Question
from rag.reading.reader import Reading
from rag.types import Passage

SEED = (
    "CARsgen will receive an upfront payment of RMB 200 million (USD 29.5 million). "
    "The NMPA approved CT053 in 2024."
)
OTHER = "Lanxi Biotech will receive RMB 150 million upfront from Sengtai."


def _passage(doc_id: str, text: str, start: int = 0) -> Passage:
    return Passage(f"{doc_id}#0", doc_id, doc_id.title(), "2023-01-01", "feed", text, start, 1.0)


def _question() -> Question:
    return Question("q", "what", "payment", (), frozenset(), frozenset(), (), False)


def test_composing_a_span_answer_cites_its_sentence() -> None:
    pool = [_passage("other", OTHER), _passage("seed", SEED, start=100)]
    a = SEED.index("RMB 200")
    b = SEED.index(").") + 1
    finding = Finding(1, (0, SEED.index(". ") + 1), (a, b), SEED[a:b], 0.9)
    shown, answer = compose("q", Reading(_question(), (finding,), 0.9), pool, (), "extractive", 2)
    assert answer.text == "RMB 200 million (USD 29.5 million) [1]"
    assert shown[0].doc_id == "seed" and len(shown) == 2
    (citation,) = answer.citations
    assert citation.quote.startswith("CARsgen will receive") and citation.span[0] == 100
    assert answer.mode == "quoted" and not answer.abstained


def test_composing_a_sentence_answer_is_quoted_and_lists_keep_their_markers() -> None:
    pool = [_passage("seed", SEED), _passage("other", OTHER)]
    s2 = (SEED.index("The NMPA"), len(SEED))
    whole = Finding(0, s2, s2, SEED[s2[0] : s2[1]], 0.5, quoted=True)
    other = Finding(1, (0, len(OTHER)), (OTHER.index("RMB"), OTHER.index(" upfront")),
                    "RMB 150 million", 0.7)  # fmt: skip
    _, answer = compose("q", Reading(_question(), (whole, other), 0.6), pool, (), "x", 3)
    assert answer.text == "“The NMPA approved CT053 in 2024.” [1]; RMB 150 million [2]"
    assert [c.n for c in answer.citations] == [1, 2]


def test_composing_a_leading_span_comes_first_and_its_sentence_backs_it() -> None:
    pool = [_passage("seed", SEED)]
    s1 = (0, SEED.index(". ") + 1)
    a, b = SEED.index("RMB 200"), SEED.index(").") + 1
    lead = Finding(0, s1, (a, b), SEED[a:b], 0.95)
    quote = Finding(0, s1, s1, SEED[s1[0] : s1[1]], 0.9, quoted=True)
    _, answer = compose("q", Reading(_question(), (lead, quote), 0.9), pool, (), "x", 1)
    assert answer.text == (
        "RMB 200 million (USD 29.5 million) [1] — “CARsgen will receive an upfront payment of "
        "RMB 200 million (USD 29.5 million).” [1]"
    )
    assert len(answer.citations) == 1  # one sentence, cited once
