"""A question written as a headline or in capitals, read in the corpus's casing (pure: a small
lexicon, no index)."""

from __future__ import annotations

from rag.lexical import lexical_tokens
from rag.reading.casing import headline, recased
from rag.reading.spelling import Lexicon

TEXTS = (
    "Kestrelmab Biotech closed a Series B financing led by Eastlight Healthcare Fund.",
    "Under the deal, CARsgen will receive an upfront payment from Huadong Medicine for CT053.",
    "The NMPA approved the drug, and Kelun-Biotech said it would pay for the trial.",
)
LEXICON = Lexicon.from_texts(TEXTS, lambda words: [s for w in words for s in lexical_tokens(w)])


def _known(word: str) -> bool:
    return set(lexical_tokens(word)) <= LEXICON.stems


def test_casing_reads_a_headline_in_the_corpus_s_casing() -> None:
    assert recased("Who Led Kestrelmab Biotech's Series B?", LEXICON, _known) == (
        "Who led Kestrelmab Biotech's Series B?"
    )
    assert recased("WHAT UPFRONT PAYMENT WILL CARSGEN RECEIVE FOR CT053?", LEXICON, _known) == (
        "What upfront payment will CARsgen receive for CT053?"
    )
    # "Approve" is a form of the briefs' "approved"; a name's hyphenated form stays as written
    assert recased("When Did The NMPA Approve Kelun-Biotech's Drug?", LEXICON, _known) == (
        "When did the NMPA approve Kelun-Biotech's drug?"
    )


def test_casing_lowers_english_words_a_headline_uses_as_no_name() -> None:
    # spaCy, reading the words in lower case: an adjective, a preposition, a plural noun, a
    # noun after a determiner; the briefs' own capitals ("Series B") stay
    question = "How Big Was Kestrelmab Biotech's Series B, Besides Loans In Dollars?"
    assert recased(question, LEXICON, _known) == (
        "How big was Kestrelmab Biotech's Series B, besides loans in dollars?"
    )
    assert recased("What Is The Mechanism Of CT053?", LEXICON, _known) == (
        "What is the mechanism of CT053?"
    )
    assert recased("HOW BIG WAS THE SERIES B?", LEXICON, _known) == "How big was the Series B?"
    # in capitals the first word is as unread as the rest; in a headline it opens as usual
    assert recased("BESIDES THE UPFRONT, WHAT WILL CARSGEN RECEIVE?", LEXICON, _known) == (
        "besides the upfront, what will CARsgen receive?"
    )
    assert recased("Besides The Upfront, What Will CARsgen Receive?", LEXICON, _known) == (
        "Besides the upfront, what will CARsgen receive?"
    )


def test_casing_keeps_a_name_no_brief_uses_even_an_english_word() -> None:
    # "Orion" is English, but no brief writes it: it stays a name, to be declined as unknown
    assert recased("How Much Did Orion Pay For CT053?", LEXICON, _known) == (
        "How much did Orion pay for CT053?"
    )


def test_casing_leaves_a_question_that_capitalises_only_its_names() -> None:
    for question in ("Which investor led Kestrelmab Biotech's Series B?",
                     "Did Kestrelmab and Eastlight Healthcare Fund sign?",
                     "CARsgen NMPA?"):  # fmt: skip
        assert not headline(question, LEXICON)
        assert recased(question, LEXICON, _known) == question
