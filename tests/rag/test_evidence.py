"""Evidence selection without an LLM (pure; word weights only, no embedder)."""

from __future__ import annotations

from rag.evidence import (
    asked_phrase,
    asks_for_many,
    dated_as_asked,
    is_comparison,
    select_evidence,
    wants_figure,
)

LEAD = (
    "Minfeng Bioworks and Aldermoor Pharmaceuticals have amended the license agreement for "
    "MFB-702 that the two companies first announced on May 17, 2022, Minfeng said on August 29, "
    "2023. Under the revised terms, the upfront payment is increased from USD 40 million to "
    "USD 55 million. The tiered royalty range rises from 9% to 13% to 10% to 15%."
)
ORIGINAL = (
    "Minfeng Bioworks and Aldermoor Pharmaceuticals announced on May 17, 2022 an exclusive "
    "license for MFB-702. Aldermoor will pay an upfront of USD 40 million. Minfeng is eligible "
    "for tiered royalties of 9% to 13%."
)
CT053 = (
    "CARsgen and Huadong Medicine have announced a collaboration to commercialize CT053 in "
    "mainland China. Under the agreement, CARsgen will receive an upfront payment of RMB 200 "
    "million (USD 29.5 million)."
)
LQ1143 = (
    "Lanxi and Sengtai signed a partnership for LQ-1143 on September 6, 2022. Lanxi will receive "
    "an upfront payment of RMB 180 million (USD 25.7 million)."
)


def test_evidence_picks_the_sentence_stating_what_is_asked_over_the_lead() -> None:
    picks = select_evidence("What royalty range does Minfeng get after the amendment?", [LEAD])
    assert picks and "10% to 15%" in picks[0].text


def test_evidence_names_of_the_subject_weigh_less_than_the_asked_words() -> None:
    picks = select_evidence(
        "What upfront payment will CARsgen receive for CT053?",
        [CT053],
        topic=frozenset({"carsgen", "ct053"}),
    )
    assert "RMB 200" in picks[0].text


def test_evidence_comparison_takes_its_second_sentence_from_another_brief() -> None:
    picks = select_evidence(
        "Which upfront is larger: CARsgen's for CT053 or Lanxi's for LQ-1143?",
        [CT053, LQ1143],
        titles=["CARsgen and Huadong", "Lanxi and Sengtai"],
        topic=frozenset({"carsgen", "ct053", "lanxi", "lq1143", "lq", "1143"}),
    )
    assert [p.passage for p in picks] == [1, 2] or [p.passage for p in picks] == [2, 1]
    assert {"RMB 200" in p.text or "RMB 180" in p.text for p in picks} == {True}


def test_evidence_spans_point_at_the_quoted_sentence() -> None:
    for pick in select_evidence("What upfront did Aldermoor pay?", [LEAD, ORIGINAL], limit=2):
        passage = [LEAD, ORIGINAL][pick.passage - 1]
        assert passage[pick.span[0] : pick.span[1]] == pick.text


def test_evidence_nothing_to_pick_from_gives_nothing() -> None:
    assert select_evidence("What upfront?", ["", "   "]) == []


def test_evidence_asked_phrase_and_figure_questions() -> None:
    assert asked_phrase("What upfront payment will CARsgen receive?").split() == [
        "upfront",
        "payment",
    ]
    assert "median PFS" in asked_phrase("How did the reported median PFS of X change?")
    assert asked_phrase("When did it close?") == ""
    assert wants_figure("When is the deal expected to close?")
    assert not wants_figure("Which regulators cleared JHW-882?")


def test_evidence_a_when_inside_the_question_does_not_ask_for_a_date() -> None:
    question = "What upfront did Aldermoor agree to pay when the license was signed in May 2022?"
    picks = select_evidence(question, [ORIGINAL], limit=1)
    assert "USD 40 million" in picks[0].text


def test_evidence_question_kinds() -> None:

    assert is_comparison("Which upfront is larger: CARsgen's or Lanxi's?")
    assert is_comparison("How did the ORR change between the 2021 news and the 2024 approval?")
    assert not is_comparison("What upfront payment will CARsgen receive?")
    assert asks_for_many("Which companies' financing rounds did Tidewell take part in?")
    assert not asks_for_many("What was the upfront?") and not asks_for_many("Which upfront is it?")
    question = "How did it change between the October 2022 readout and the 2024 approval?"
    assert dated_as_asked(question, "2022-10-25") and dated_as_asked(question, "2024-05-28")
    assert not dated_as_asked(question, "2022-05-17") and not dated_as_asked("What?", "2022-05-17")


def test_evidence_a_dated_brief_is_preferred_when_the_question_names_its_date() -> None:
    question = "What upfront did Aldermoor agree to pay when the license was signed in May 2022?"
    picks = select_evidence(question, [LEAD, ORIGINAL], prior=[0.0, 0.3], limit=1)
    assert picks[0].passage == 2 and "USD 40 million" in picks[0].text


YINHU = (
    "Yinhu Therapeutics has handed Trevanna Bio the rights to YHT-0218 outside China, the two "
    "firms said on December 5, 2022. Trevanna is paying USD 12 million at signing. The review "
    "can take 130 working days. At week 12, 86.1% of patients responded."
)


def test_evidence_a_figure_question_takes_a_sentence_stating_a_figure_of_the_kind_asked() -> None:
    # the lead shares the most words, but its only numbers are a date: it states no sum
    names = frozenset({"trevanna", "yinhu", "yht", "0218", "yht0218"})
    question = "How much cash did Trevanna hand Yinhu up front for YHT-0218?"
    sum_ = select_evidence(question, [YINHU], topic=names)
    assert "USD 12 million" in sum_[0].text
    # a span of time is days or months, not a percentage
    span = select_evidence("How long could the review of YHT-0218 take?", [YINHU], topic=names)
    assert "130 working days" in span[0].text


def test_evidence_a_follow_up_without_its_own_ask_wants_the_kind_the_earlier_turn_wanted() -> None:
    picks = select_evidence(
        "What is it after the 2023 amendment?",
        [LEAD],
        context="What was the upfront in Minfeng's original May 2022 MFB-702 license?",
    )
    assert "USD 55 million" in picks[0].text


def test_evidence_besides_clause_is_known_and_not_the_answer() -> None:
    brief = (
        "The NMPA has accepted Amberleaf's BLA for ABL-1701 in February 2022. The application has "
        "also been granted priority review."
    )
    question = (
        "Besides accepting Amberleaf's BLA for ABL-1701 in February 2022, what did the NMPA grant "
        "the application?"
    )
    picks = select_evidence(question, [brief], limit=1)
    assert picks[0].text == "The application has also been granted priority review."
