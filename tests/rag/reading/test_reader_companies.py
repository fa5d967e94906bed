"""A question naming a company the briefs know, but not the brief that would answer it, is
declined: the figure would be another company's. Real Chroma, spaCy and ledger; the hashing
embedder, since retrieval is not what is under test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ingest.runner import ingest_folder
from tests.conftest import write_brief


@pytest.fixture
def briefs(fake_pipeline: Any, tmp_path: Path) -> Any:
    root = tmp_path / "corpus"
    write_brief(root, "a.md", "Tellora Licenses TL-205 to Marwick",
                "Tellora Bio has licensed TL-205 to Marwick Therapeutics outside China. Marwick "
                "will pay an upfront payment of USD 70 million.",
                companies=("Tellora Bio", "Marwick Therapeutics"))  # fmt: skip
    write_brief(root, "b.md", "Halcyon Raises USD 80 Million Series B",
                "Halcyon Pharma closed a USD 80 million Series B financing led by Corbel Capital "
                "with participation from Ashgrove Ventures.",
                companies=("Halcyon Pharma",))  # fmt: skip
    # a brief without front matter: its companies are known from the ledger's parties only
    (root / "c.txt").write_text(
        "Orsay licenses OR-9 to Pellway\n\nOrsay Bio has licensed OR-9 to Pellway Pharma outside "
        "China. Pellway will pay USD 12 million upfront.\n", encoding="utf-8",
    )  # fmt: skip
    ingest_folder(fake_pipeline, root, progress=False)
    return fake_pipeline


def test_reader_declines_a_company_the_answering_brief_never_names(briefs: Any) -> None:
    for company in ("Halcyon", "Pellway"):
        answer = briefs.ask(f"How much did {company} pay upfront for Tellora's TL-205?")
        assert answer.abstained, answer.text
        assert "70 million" not in answer.text
        assert f"does not mention {company}" in answer.notice


def test_reader_answers_when_the_brief_names_every_company_asked(briefs: Any) -> None:
    answer = briefs.ask("How much did Marwick pay upfront for Tellora's TL-205?")
    assert not answer.abstained
    assert "USD 70 million" in answer.text
    assert [c.doc_id for c in answer.citations][:1] == ["a"]


def test_reader_lets_a_question_joining_asks_name_companies_of_several_briefs(briefs: Any) -> None:
    # each brief names one of the two companies: no one brief can name both
    answer = briefs.ask("Which company pays Tellora for TL-205, and how much did Halcyon raise?")
    assert "does not mention" not in answer.notice


def test_reader_reads_a_name_written_as_the_capitals_of_its_parts(
    fake_pipeline: Any, tmp_path: Path
) -> None:
    write_brief(tmp_path / "corpus", "gsk.md", "GlaxoSmithKline Licenses KB-7 from Kestrel",
                "GlaxoSmithKline has licensed KB-7 from Kestrel Bio outside China. "
                "GlaxoSmithKline will pay an upfront payment of USD 40 million.",
                companies=("GlaxoSmithKline", "Kestrel Bio"))  # fmt: skip
    ingest_folder(fake_pipeline, tmp_path / "corpus", progress=False)
    answer = fake_pipeline.ask("How much will GSK pay upfront for KB-7?")
    assert not answer.abstained and "USD 40 million" in answer.text, answer.notice
    # a name whose capitals nothing spells stays unknown, and is declined
    other = fake_pipeline.ask("How much will MSK pay upfront for KB-7?")
    assert other.abstained and "MSK" in other.notice


def test_reader_declines_a_company_cast_on_the_deal_s_other_side(briefs: Any) -> None:
    # Marwick pays, Tellora receives: asked the other way round, the figure is the other side's
    for question, company in (("How much upfront did Marwick receive for TL-205?", "Marwick"),
                              ("What upfront did Tellora pay for TL-205?", "Tellora")):  # fmt: skip
        answer = briefs.ask(question)
        assert answer.abstained, answer.text
        assert "70 million" not in answer.text
        assert f"{company}" in answer.notice and "not the" in answer.notice


def test_reader_answers_a_company_asked_on_its_own_side(briefs: Any) -> None:
    for question in ("How much upfront is Tellora getting from Marwick for TL-205?",
                     "How much upfront will Tellora Bio receive for TL-205?"):  # fmt: skip
        answer = briefs.ask(question)
        assert not answer.abstained, answer.notice
        assert "USD 70 million" in answer.text
    # a question after rights, not a sum: Marwick "gets" what it licenses in
    assert "not the" not in briefs.ask("What rights did Marwick get for TL-205?").notice


def test_reader_declines_a_round_s_total_asked_as_one_investor_s_share(briefs: Any) -> None:
    # two investors share the USD 80 million: what Corbel put in is not stated
    for question in ("How much did Corbel Capital put into Halcyon's Series B?",
                     "How much did Halcyon raise from Corbel Capital?"):  # fmt: skip
        answer = briefs.ask(question)
        assert answer.abstained, answer.text
        assert "80 million" not in answer.text
        assert "not Corbel Capital's share" in answer.notice
    # the round itself, named by the investor that led it, is stated
    answer = briefs.ask("How much did Halcyon raise in the Series B that Corbel Capital led?")
    assert not answer.abstained, answer.notice
    assert "USD 80 million" in answer.text


def test_reader_reads_a_question_written_as_a_headline(briefs: Any) -> None:
    # its capitals name nothing: "Led Halcyon Pharma" is no name a brief must write
    answer = briefs.ask("Who Led Halcyon Pharma's Series B?")
    assert not answer.abstained, answer.notice
    assert "Corbel Capital" in answer.text
    # a word no brief uses keeps its capitals, and stays a name no brief mentions
    other = briefs.ask("How Much Will Orion Pay Upfront For TL-205?")
    assert other.abstained and "Orion" in other.notice


def test_reader_says_a_name_is_missing_from_the_closest_briefs_only(
    fake_pipeline: Any, tmp_path: Path
) -> None:
    # "Nova Pump" is looked for in the briefs read, not the whole corpus: the notice says so
    write_brief(tmp_path / "corpus", "nova.md", "Orion Launches Nova Pen and Flex Pump",
                "Orion Medical launched the Nova Pen in China. Its Flex Pump follows in 2026.",
                companies=("Orion Medical",))  # fmt: skip
    ingest_folder(fake_pipeline, tmp_path / "corpus", progress=False)
    answer = fake_pipeline.ask("When did Orion Medical launch the Nova Pump?")
    assert answer.abstained
    assert answer.notice == "the closest briefs never name Nova Pump"
