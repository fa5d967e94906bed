"""What the decision reads before its model: a sentence saying the asked thing is not disclosed
(real spaCy; the end-to-end cases on real Chroma with the real embedder: the answer types a
question is read for back off through its embeddings, and the quantity rule weighs them)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from ingest.runner import ingest_folder
from rag.lexical import lexical_tokens
from rag.reading.candidates import Sentence, sentences_of
from rag.reading.decision import declines, undated, undesignated, unstated, withheld
from rag.reading.model import load_weights
from rag.reading.nlp import parse
from rag.reading.question import Question
from rag.types import Passage
from tests.conftest import write_brief


def _asking(asked: str) -> Question:
    return Question(text=f"What {asked}?", wh="what", head=asked.split()[-1], terms=(),
                    asked=frozenset(lexical_tokens(asked)), subjects=frozenset(), unknown=(),
                    plural=False)  # fmt: skip


def _sentence(text: str) -> Sentence:
    return sentences_of([parse(text)], [0])[0]


def _ingest_one(pipeline: Any, tmp_path: Path, title: str, body: str,
                companies: tuple[str, ...]) -> None:  # fmt: skip
    """Ingest one brief of these companies into the pipeline's store."""
    root = tmp_path / "corpus"
    write_brief(root, "brief.md", title, body, companies=companies)
    ingest_folder(pipeline, root, progress=False)


def _declines_but_answers(pipeline: Any, declined: str, reason: str, wrong: str, stated: str,
                          right: str) -> None:  # fmt: skip
    """`declined` is declined with `reason` in its notice and without the `wrong` figure;
    `stated`, which the brief does answer, is answered with `right` (in any case)."""
    answer = pipeline.ask(declined)
    assert answer.abstained and reason in answer.notice, answer.text
    assert wrong not in answer.text
    answer = pipeline.ask(stated)
    assert not answer.abstained and right.lower() in answer.text.lower(), answer.text


def test_decision_withheld_when_the_sentence_withholds_the_asked_thing() -> None:
    cases = {
        "post-money valuation": "Kestrel did not disclose its post-money valuation.",
        "price": "Orion said it has not yet set a price for the pill in Europe.",
        "upfront payment": "Orion will pay an undisclosed upfront payment to Kestrel.",
        "royalty": "The royalty rate was not disclosed.",
        "value": "The company declined to disclose the value of the incentives.",
    }
    for asked, text in cases.items():
        assert withheld(_asking(asked), _sentence(text)), (asked, text)


def test_decision_not_withheld_when_the_sentence_withholds_something_else() -> None:
    cases = {
        # a conjunct of the withheld thing is stated
        "milestones": "Orion will pay an undisclosed upfront payment and milestones of up to "
        "US$50 million.",
        # the withheld clause is about another thing than the one asked
        "dose": "The company has not disclosed the compound's structure, but said the dose is "
        "20 mg once daily.",
        "upfront": "Financial terms were not disclosed.",
        # nothing is withheld
        "valuation": "Kestrel disclosed a post-money valuation of US$400 million.",
        # it was given, later
        "tally": "The official tally of students was not released until May 7, 2009.",
        # a place the withheld thing is said of is not what is withheld
        "china": "Yuhe has not set out a partnering strategy for the programme outside China.",
    }
    for asked, text in cases.items():
        assert not withheld(_asking(asked), _sentence(text)), (asked, text)


def test_decision_withheld_reads_a_question_without_an_asked_noun_by_its_words() -> None:
    # "how much ... upfront" names no asked noun: its words besides its names say what it asks
    how_much = "How much did Orion pay Kestrel upfront for KB-7?"
    q = replace(_question(how_much), subjects=frozenset(lexical_tokens("Orion Kestrel KB-7")))
    assert withheld(q, _sentence("The companies did not disclose the size of the upfront payment."))
    assert not withheld(q, _sentence("The companies did not disclose the royalty rates."))


def test_decision_a_withheld_figure_is_declined_with_its_reason(
    real_pipeline: Any, tmp_path: Path
) -> None:
    _ingest_one(real_pipeline, tmp_path, "Kestrel Bio Closes USD 90 Million Series C",
                "Kestrel Bio closed a USD 90 million Series C financing led by Orion Capital. "
                "The company did not disclose its post-money valuation.",
                ("Kestrel Bio", "Orion Capital"))  # fmt: skip
    _declines_but_answers(
        real_pipeline, "What post-money valuation did Kestrel Bio get in its Series C?",
        "not disclosed", "90 million", "How much did Kestrel Bio raise in its Series C?",
        "usd 90 million",
    )  # fmt: skip


def test_decision_a_withheld_figure_is_declined_however_low_its_sentence_ranks(
    real_pipeline: Any, tmp_path: Path
) -> None:
    # the sentence naming the total holds the question's words; the one saying the upfront is
    # not disclosed reads lower, yet settles it: the total is no upfront
    _ingest_one(real_pipeline, tmp_path, "Orion Pharma Licenses KB-7 from Kestrel Bio",
                "Orion Pharma has licensed the gene therapy KB-7 from Kestrel Bio for Greater "
                "China. Kestrel Bio is eligible for up to USD 310 million in total, made up of an "
                "upfront payment and development and sales milestones, plus royalties. The "
                "companies did not disclose the size of the upfront payment. Kestrel Bio is "
                "running a Phase 3 trial of KB-7 in the United States.",
                ("Kestrel Bio", "Orion Pharma"))  # fmt: skip
    _declines_but_answers(
        real_pipeline, "How much did Orion pay Kestrel Bio upfront for KB-7?", "not disclosed",
        "310 million", "How much is Kestrel Bio eligible for in total?", "usd 310 million",
    )  # fmt: skip


def test_decision_a_sum_asked_of_sentences_stating_none_is_declined(
    real_pipeline: Any, tmp_path: Path
) -> None:
    _ingest_one(real_pipeline, tmp_path, "Orion Pharma Licenses KB-7 from Kestrel Bio",
                "Orion Pharma has licensed KB-7 from Kestrel Bio for Greater China. Orion will pay "
                "USD 20 million upfront. Orion will also buy a minority equity stake in Kestrel.",
                ("Kestrel Bio", "Orion Pharma"))  # fmt: skip
    reader = real_pipeline.answerer.reader
    assert reader.weights.quantity_threshold == load_weights().quantity_threshold
    question = "How much equity did Orion buy in Kestrel Bio?"
    # the type table expects a sum; a sentence holding only names and noun phrases is unlikely
    # to answer: 0.3 declines it (the fitted threshold is checked in beside the weights)
    reader.weights = replace(load_weights(), quantity_threshold=0.3)
    answer = real_pipeline.ask(question)
    assert answer.abstained, answer.text
    assert "20 million" not in answer.text and "no such amount" in answer.notice
    assert not real_pipeline.ask("How much will Orion pay upfront for KB-7?").abstained
    reader.weights = replace(load_weights(), quantity_threshold=0.0)  # the rule off
    assert not real_pipeline.ask(question).abstained


def _question(text: str) -> Question:
    return Question(text=text, wh="what", head="", terms=tuple(lexical_tokens(text)),
                    asked=frozenset(), subjects=frozenset(), unknown=(), plural=False)  # fmt: skip


def test_decision_unstated_names_a_pinned_figure_the_brief_never_states() -> None:
    sentence = _sentence("In March 2015 Orion enrolled 1,500 volunteers for the first cohort.")
    doc = sentence.terms | frozenset(lexical_tokens("Orion began the trial in Mexico in 2014."))
    q = _question("In March 2005, how many volunteers did Orion enrol?")
    assert unstated(q, sentence, doc, "") == ["March 2005"]
    # the brief states the pinned year elsewhere: the sentence may still answer
    earlier = _question("In 2014, how many volunteers did Orion enrol?")
    assert unstated(earlier, sentence, doc, "") == []
    # the years beside the brief's own date are written as "last year" or "next year"
    assert unstated(q, sentence, doc, "2006-03-01") == []
    assert unstated(q, sentence, doc, "2009-03-01") == ["March 2005"]


def test_decision_names_a_pinned_figure_as_the_question_writes_it() -> None:
    sentence = _sentence("Orion will pay USD 80 million upfront in 2024.")
    q = _question("Who will pay $30 million upfront?")
    why = declines(q, sentence, [sentence], sentence.terms, "", frozenset())
    assert why == "the closest brief never mentions $30 million"  # not "$ 30 million"


def test_decision_unstated_leaves_words_and_pairs_to_the_reader() -> None:
    sentence = _sentence("Revenue in the second quarter of 2007 was US$5.3 billion.")
    # "Q2" is a word the brief writes out; only a pin's numbers must stand in the brief
    assert unstated(_question("What was revenue in Q2 of 2007?"), sentence, sentence.terms,
                    "") == []  # fmt: skip
    # two years asked across: the brief need state one of them
    q = _question("How did revenue change between 2006 and 2007?")
    assert unstated(q, sentence, sentence.terms, "") == []
    # no date in the sentence: nothing of the kind to be about another case
    other = _sentence("Revenue rose on strong sales of the player.")
    assert unstated(_question("What was revenue in 2005?"), other, other.terms, "") == []


def test_decision_unstated_reads_a_table_rows_years_in_its_header() -> None:
    table = (
        "Results are below.\n\n| (RMB m) | 2024 | 2023 |\n|---|---|---|\n"
        "| Gross profit | 1,201.4 | 698.7 |\n"
    )
    row = next(s for s in sentences_of([parse(table)], [0]) if "Gross profit" in s.text)
    doc = frozenset(lexical_tokens(table))
    q = _question("What was the gross profit in 2019?")
    # the row states no year itself: read alone it is about no other year than the asked one
    assert unstated(q, row, doc, "") == []
    # under its header, its figures are 2024's and 2023's: the brief never states 2019
    assert unstated(q, row, doc, "", "| (RMB m) | 2024 | 2023 |") == ["2019"]
    assert unstated(_question("What was the gross profit in 2023?"), row, doc, "",
                    "| (RMB m) | 2024 | 2023 |") == []  # fmt: skip


def test_decision_a_year_no_table_column_holds_is_declined(
    real_pipeline: Any, tmp_path: Path
) -> None:
    body = (
        "Kestrel Bio reported its annual results.\n\n| (RMB million) | 2024 | 2023 |\n"
        "|---|---|---|\n| Revenue | 1,482.6 | 903.1 |\n| Gross profit | 1,201.4 | 698.7 |\n"
    )
    _ingest_one(real_pipeline, tmp_path, "Kestrel Bio annual results", body, ("Kestrel Bio",))
    _declines_but_answers(
        real_pipeline, "What was Kestrel Bio's gross profit in 2019?", "never mentions 2019",
        "1,201.4", "What was Kestrel Bio's gross profit in 2023?", "698.7",
    )  # fmt: skip


def test_decision_a_pinned_year_the_brief_never_states_is_declined(
    real_pipeline: Any, tmp_path: Path
) -> None:
    _ingest_one(real_pipeline, tmp_path, "Kestrel Bio Closes Series C in March 2021",
                "Kestrel Bio closed a USD 90 million Series C financing led by Orion Capital on "
                "March 3, 2021.", ("Kestrel Bio", "Orion Capital"))  # fmt: skip
    # the brief is dated 2024-05-01: 2017 is neither a year it states nor one beside its date
    _declines_but_answers(
        real_pipeline, "How much did Kestrel Bio raise in its Series C in 2017?",
        "never mentions 2017", "90 million",
        "How much did Kestrel Bio raise in its Series C in 2021?", "usd 90 million",
    )  # fmt: skip


def test_decision_undated_names_a_year_a_dated_brief_s_dateless_sentence_is_not_of() -> None:
    sentence = _sentence("Orion will receive an upfront payment of USD 80 million.")
    passage = sentence.text + " Orion licensed OR-9 to Lyra."
    q = _question("What was the upfront in Orion's 2020 deal with Lyra?")
    # a brief of 2025: its dateless sentence speaks of its own deal, not one of 2020
    assert undated(q, sentence, passage, "2025-01-02") == ["2020"]
    # the passage states the year, or it is beside the brief's date ("last year")
    assert undated(q, sentence, passage + " 2020", "2025-01-02") == []
    assert undated(q, sentence, passage, "2021-01-02") == []
    # an undated brief, or a sentence with a date of its own (`unstated` reads those)
    assert undated(q, sentence, passage, "") == []
    dated = _sentence("On 2 January 2025 Orion agreed an upfront payment of USD 80 million.")
    assert undated(q, dated, dated.text, "2025-01-02") == []
    # one of two years asked across is enough
    across = _question("How did the upfront change between 2020 and 2025?")
    assert undated(across, sentence, passage + " 2025", "2025-01-02") == []


def test_decision_declines_reads_a_pinned_year_in_the_passage_and_its_title() -> None:
    sentence = _sentence("Orion will receive an upfront payment of USD 80 million.")
    q = _question("What was the upfront in Orion's 2020 deal with Lyra?")

    def why(title: str, text: str) -> str:
        passage = Passage("c1", "d1", title, "2025-01-02", "Wire", text, 0, 1.0)
        return declines(q, sentence, [sentence], sentence.terms, "2025-01-02", frozenset(),
                        passages=[passage])  # fmt: skip

    assert why("Orion licenses OR-9", sentence.text) == "the closest passage never mentions 2020"
    assert why("Orion's 2020 deal with Lyra, revised", sentence.text) == ""
    assert why("Orion licenses OR-9", "In 2020 Orion signed with Lyra. " + sentence.text) == ""


def test_decision_declines_leaves_a_table_row_s_years_to_its_header() -> None:
    # a chunk cut inside a table: its rows' years stand in a header it does not hold
    text = "| Revenue | 1,482.6 | 903.1 |\n| Gross profit | 1,201.4 | 698.7 |\n"
    row = next(s for s in sentences_of([parse(text)], [0]) if "Gross profit" in s.text)
    passage = Passage("c1", "d1", "Kestrel Bio annual results", "2025-03-01", "Wire", text, 0, 1.0)
    q = _question("What was the gross profit in 2019?")
    assert declines(q, row, [row], row.terms, "2025-03-01", frozenset(), passages=[passage]) == ""


def test_decision_a_year_only_elsewhere_in_the_brief_is_declined(
    real_pipeline: Any, tmp_path: Path
) -> None:
    body = (
        "Suzhou, 2 January 2024 - Kestrel Bio has granted Orion Pharma global rights to KB-7, a "
        "DLL3 antibody-drug conjugate. Kestrel will receive an upfront payment of USD 80 "
        "million and up to USD 1 billion in milestones.\n\n"
        # a background paragraph: the earlier deal's year stands in another chunk
        + " ".join(
            f"KB-7 was tested in cohort {n} of the Phase 1 trial, which enrolled patients "
            f"with small cell lung cancer at site {n}."
            for n in range(1, 9)
        )
        + "\n\nKB-7 uses Kestrel's in-house payload platform. It is the second time the two "
        "companies have teamed up: in 2019 Kestrel obtained access to Orion's bispecific "
        "antibody platform."
    )
    _ingest_one(real_pipeline, tmp_path, "Orion licenses Kestrel's KB-7", body,
                ("Kestrel Bio", "Orion Pharma"))  # fmt: skip
    _declines_but_answers(
        real_pipeline, "What upfront did Kestrel get in its 2019 deal with Orion?",
        "never mentions 2019", "80 million",
        "What upfront will Kestrel receive for KB-7?", "usd 80 million",
    )  # fmt: skip


def test_decision_undesignated_names_a_round_or_phase_the_brief_never_states() -> None:
    sentence = _sentence("Kestrel Bio raised USD 48 million in a Series A round led by Orion.")
    doc = sentence.terms | frozenset(lexical_tokens("Its Phase 1b trial starts next year."))
    assert undesignated(_question("Who led Kestrel Bio's Series B?"), sentence, doc) == ["Series B"]
    assert undesignated(_question("Who led Kestrel Bio's Series A?"), sentence, doc) == []
    # a stage the sentence does not designate another of: nothing to be about another case
    assert undesignated(_question("What did the Phase 2 trial show?"), sentence, doc) == []
    # a brief designating no round at all cannot say which round its figure is
    total = _sentence("Kestrel Bio has raised about RMB 270 million to date.")
    question = _question("How much did Kestrel Bio raise in its Series B?")
    assert undesignated(question, total, total.terms) == ["Series B"]
    # a stage written more finely in the brief counts as stated, Roman or not
    trial = _sentence("The Phase Ib trial enrolled 40 patients; a Phase 3 trial follows.")
    assert undesignated(_question("How many joined the Phase 1 trial?"), trial, trial.terms) == []
    assert undesignated(_question("How many joined the Phase 2 trial?"), trial, trial.terms) == [
        "Phase 2"
    ]


def test_decision_a_round_the_brief_never_names_is_declined(
    real_pipeline: Any, tmp_path: Path
) -> None:
    companies = ("Kestrel Bio", "Orion Capital", "Lyra Ventures")
    _ingest_one(real_pipeline, tmp_path, "Kestrel Bio Raises USD 48 Million Series A",
                "Kestrel Bio raised USD 48 million in a Series A round co-led by Orion Capital "
                "and Lyra Ventures.", companies)  # fmt: skip
    _declines_but_answers(
        real_pipeline, "Who led Kestrel Bio's Series B?", "Series B", "Orion",
        "Who led Kestrel Bio's Series A?", "Orion Capital",
    )  # fmt: skip


def test_decision_a_name_the_briefs_never_write_together_is_declined(
    real_pipeline: Any, tmp_path: Path
) -> None:
    _ingest_one(real_pipeline, tmp_path, "Orion Pharma launches Nova Pen",
                "Orion Pharma launched Nova Pen, an insulin pen, in March 2024. Orion Pharma "
                "also sold its Flex Pump to Kestrel Bio for USD 12 million.",
                ("Orion Pharma", "Kestrel Bio"))  # fmt: skip
    answer = real_pipeline.ask("When did Orion Pharma launch Nova Pump?")
    assert answer.abstained and "Nova Pump" in answer.notice, answer.text
    assert not real_pipeline.ask("When did Orion Pharma launch Nova Pen?").abstained


def test_decision_a_sibling_trials_figure_is_declined(real_pipeline: Any, tmp_path: Path) -> None:
    _ingest_one(real_pipeline, tmp_path, "NMPA Approves Orion Pharma's OR-12",
                "Orion Pharma said the NMPA approved OR-12 for lung cancer. The approval rests on "
                "the Phase 2 ORBIT-201 study, in which OR-12 achieved a response rate of 41%. "
                "With longer follow-up, median overall survival was 14.7 months. The Phase 3 "
                "ORBIT-301 trial completed enrolment in March.", ("Orion Pharma",))  # fmt: skip
    _declines_but_answers(
        real_pipeline, "What median overall survival did OR-12 achieve in ORBIT-301?",
        "ORBIT-201", "14.7", "What median overall survival did OR-12 achieve in ORBIT-201?",
        "14.7 months",
    )  # fmt: skip
