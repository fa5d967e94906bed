"""Candidate spans of real spaCy parses."""

from __future__ import annotations

from rag.reading.nlp import parse
from rag.reading.spans import CODE, names_currency, sentence_spans, tree_distance

SEED = (
    "Under the agreement, CARsgen will receive an upfront payment of RMB 200 million "
    "(USD 29.5 million) from Huadong Medicine for CT053."
)


def test_spans_amount_keeps_its_currency_and_conversion() -> None:
    spans = sentence_spans(next(parse(SEED).sents))
    texts = [s.text for s in spans]
    assert "RMB 200 million (USD 29.5 million)" in texts
    assert all(SEED[s.start : s.end] == s.text for s in spans)


def test_spans_codes_are_typed_as_codes() -> None:
    spans = sentence_spans(next(parse(SEED).sents))
    assert any(s.text == "CT053" and s.label == CODE for s in spans)


def test_spans_tree_distance_is_short_between_head_and_dependent() -> None:
    doc = parse("The NMPA approved the drug in June.")
    approved = next(t.i for t in doc if t.text == "approved")
    nmpa = next(t.i for t in doc if t.text == "NMPA")
    june = next(t.i for t in doc if t.text == "June")
    assert tree_distance(doc, nmpa, approved) == 1
    assert tree_distance(doc, june, approved) >= 2
    assert tree_distance(doc, nmpa, nmpa) == 0


def test_spans_only_an_entity_may_lead_a_quoted_answer() -> None:
    from rag.reading.compose import leads
    from rag.reading.spans import NOUN_PHRASE

    spans = sentence_spans(next(parse(SEED).sents))
    amount = next(s for s in spans if s.text == "RMB 200 million (USD 29.5 million)")
    phrase = next(s for s in spans if s.label == NOUN_PHRASE)
    assert leads(amount) and not leads(phrase)  # a noun phrase's edges are a guess


def test_spans_every_stated_sum_is_a_typed_candidate() -> None:
    text = (
        "The fee counts toward the up to RMB 2.4 billion in milestones in the pact, "
        "on top of the RMB 500 million Orion paid upfront, and 12.5% of sales."
    )
    spans = {s.text: s.label for s in sentence_spans(next(parse(text).sents))}
    # the small model reads the first as a bare number and misses the second: the currency and
    # the figure the text states decide
    assert spans.get("RMB 2.4 billion") == "MONEY"
    assert spans.get("RMB 500 million") == "MONEY"
    assert spans.get("12.5%") == "PERCENT"


def test_spans_a_table_header_names_the_currency_of_its_cells() -> None:
    assert names_currency("| (RMB million) | 2024 | 2023 |")
    assert names_currency("| Item | US$ |")
    assert not names_currency("| Patients | 2024 | 2023 |")


def test_spans_a_rate_written_in_words_is_a_percentage() -> None:
    text = (
        "Seagen will pay tiered royalties from the high single digits to mid-teens, "
        "and double-digit royalties on sales in Japan."
    )
    spans = [sp for sp in sentence_spans(next(iter(parse(text).sents))) if sp.label == "PERCENT"]
    assert [sp.text for sp in spans] == ["high single digits", "mid-teens", "double-digit"]
    # an age is no rate
    assert not [e for e in parse("She moved to Paris in her teens.").ents if e.label_ == "PERCENT"]
