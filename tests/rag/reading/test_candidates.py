"""Candidate sentences and their measurements (real spaCy, no index)."""

from __future__ import annotations

from typing import Any

from rag.lexical import lexical_tokens
from rag.reading.candidates import SENTENCE_FEATURES, conflict, sentence_features, sentences_of
from rag.reading.nlp import parse
from rag.reading.question import Question

TEXT = (
    "Hunan-based Xiangjiang Cell Therapeutics priced its Hong Kong listing this week. "
    "The public tranche was oversubscribed 150 times.\n\n"
    "Baishan, a Shanghai biotech, opened its first trial in May. "
    "The trial was oversubscribed with sites within a month."
)
_PARAGRAPH = SENTENCE_FEATURES.index("subject_par")


def _question() -> Question:
    terms = tuple(lexical_tokens("How many times was Xiangjiang's public tranche oversubscribed?"))
    return Question(
        text="How many times was Xiangjiang's public tranche oversubscribed?", wh="how many",
        head="time", terms=terms, asked=frozenset(lexical_tokens("times")),
        subjects=frozenset(lexical_tokens("Xiangjiang")), unknown=(), plural=False,
    )  # fmt: skip


def _features(sentence_text: str) -> list[float]:
    sentences = sentences_of([parse(TEXT)], [0])
    s = next(s for s in sentences if s.text.startswith(sentence_text))
    return sentence_features(
        _question(), s, {}, lambda _label: 0.5, (0.5, 0.5), 0, frozenset(), False, {}
    )


def test_candidates_paragraph_names_the_subject_of_its_sentences() -> None:
    # the tranche sentence never names Xiangjiang; its paragraph does, the trial's does not
    assert _features("The public tranche")[_PARAGRAPH] == 1.0
    assert _features("The trial was")[_PARAGRAPH] == 0.0


def test_candidates_rows_hold_every_feature_but_the_gaps() -> None:
    assert len(_features("The public tranche")) == len(SENTENCE_FEATURES) - 4


def test_candidates_a_code_ending_in_a_capital_ends_its_sentence() -> None:
    text = "Dongting filed under Chapter 18A. Corvane bought US$20 million of its shares in 2024."
    sentences = sentences_of([parse(text)], [0])
    assert [s.text for s in sentences] == [
        "Dongting filed under Chapter 18A.", "Corvane bought US$20 million of its shares in 2024."
    ]  # fmt: skip


def test_sentences_of_keeps_a_headline_apart_from_the_lead_below_it() -> None:
    # spaCy's parser runs a headline with no full stop into the lead sentence under it
    text = (
        "# Pine Bio Licenses Its ADC to Fir\n\n"
        "Pine Bio said on Monday it licensed PB-11. Fir pays RMB 5 million."
    )
    sentences = sentences_of([parse(text)], [0])
    assert [s.text for s in sentences][:2] == [
        "# Pine Bio Licenses Its ADC to Fir", "Pine Bio said on Monday it licensed PB-11.",
    ]  # fmt: skip
    assert [s.first for s in sentences] == [False, True, False]  # the lead is the first prose


def test_conflict_when_the_sentence_holds_another_date_or_place_than_the_question_pins() -> None:
    def first(text: str) -> Any:
        return sentences_of([parse(text)], [0])[0]

    shooting = first("Shooting began in Slovakia in March 2016, near the river road.")
    assert conflict(parse("Shooting began in Slovenia when?"), shooting) == 1.0
    assert conflict(parse("Shooting began in Slovakia when?"), shooting) == 0.0
    opening = first("Lumora had its opening in Lisbon on 14 October 2015 at the Lyra Hall.")
    assert conflict(parse("Lumora had its opening on 14 March of what year?"), opening) == 1.0
    # the asked date ("what year") pins nothing, and a date the sentence holds is no conflict
    assert conflict(parse("In what year did Lumora have its opening?"), opening) == 0.0
    assert conflict(parse("Where was the opening in October 2015?"), opening) == 0.0


def test_conflict_is_none_for_either_of_two_dates_a_comparison_pins() -> None:
    readout = sentences_of([parse("In October 2022 the median PFS was 8.3 months.")], [0])[0]
    between = (
        "How did the median PFS change between the October 2022 readout and the May 2024 approval?"
    )
    assert conflict(parse(between), readout) == 0.0
    # neither date of the comparison: the sentence is about a third occasion
    other = "How did the median PFS change between the June 2021 readout and the May 2024 approval?"
    assert conflict(parse(other), readout) == 1.0


def test_conflict_is_none_for_a_count_of_the_asked_things() -> None:
    # "which three biotechs" says how many answer: a sentence naming one with another count in
    # it is no other case; a count that pins which partners are meant still is
    deals = sentences_of([parse("Orion signed two deals with Pine Bio in 2024.")], [0])[0]
    assert conflict(parse("Which three biotechs did Orion sign deals with?"), deals) == 0.0
    assert conflict(parse("Did the three partners sign deals with Orion?"), deals) == 1.0


def test_sentences_of_never_start_at_a_lower_case_word_after_a_full_stop() -> None:
    # spaCy ends a sentence at "Inc." even when a lower-case word goes on with it
    text = "Pine Bio granted Fir Therapeutics Inc. an exclusive licence to PB-11. iPods sold well."
    assert [s.text for s in sentences_of([parse(text)], [0])] == [
        "Pine Bio granted Fir Therapeutics Inc. an exclusive licence to PB-11.", "iPods sold well.",
    ]  # fmt: skip


def test_sentences_of_never_start_at_a_lower_case_word_after_a_number() -> None:
    # spaCy ends a sentence at the point of "Claudin18.2" before the "x" of a bispecific
    text = (
        "In 2022 Orion licensed Pine Bio's Claudin18.2 x CD3 bispecific PB-7 for US$25 "
        "million upfront, and in 2024 it signed a second licence. Fir Bio sold well."
    )
    assert [s.text for s in sentences_of([parse(text)], [0])] == [
        "In 2022 Orion licensed Pine Bio's Claudin18.2 x CD3 bispecific PB-7 for US$25 million "
        "upfront, and in 2024 it signed a second licence.", "Fir Bio sold well.",
    ]  # fmt: skip
