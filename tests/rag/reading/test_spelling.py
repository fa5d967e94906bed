"""The question in the corpus's spelling: pure functions over a small invented corpus."""

from __future__ import annotations

from rag.lexical import lexical_tokens
from rag.reading.spelling import (
    Lexicon,
    camel_named,
    generic_name,
    normalise,
    spelled_out,
    written_out,
)

TEXTS = (
    "# Qorvane Licenses QV-12 to Halden",
    "Qorvane Bio will receive an upfront payment of USD 40 million and approval milestones. "
    "The share price was set in a range by Qorvane. Halden Pharma, Qorvane's partner, runs "
    "the running trial. According to Qorvane, the IPO closed. Its Vantor Mice platform made it.",
    "Halden will pay royalties; Halden also runs a Phase 3 trial with its Halden Legend unit. "
    "Halden Legend, Halden Legend and Halden Legend are one unit with AstraZeneca.",
)
LEXICON = Lexicon.from_texts(TEXTS, lambda words: [s for w in words for s in lexical_tokens(w)])


def _known(word: str) -> bool:
    return set(lexical_tokens(word)) <= LEXICON.stems


def _read(question: str) -> str:
    return normalise(question, LEXICON, _known)


def test_spelling_reads_shorthand_and_typos_as_corpus_words() -> None:
    assert _read("qorvane upfrnt aprvl") == "Qorvane upfront approval"
    assert _read("halden shr px rng") == "Halden share px range"  # two letters say too little
    assert _read("What upfrnt did Qorvane get?") == "What upfront did Qorvane get?"


def test_spelling_gives_lower_case_names_the_corpus_capitals() -> None:
    assert _read("when did the qorvane ipo close") == "when did the Qorvane IPO close"
    assert _read("astra zeneca and halden") == "AstraZeneca and Halden"
    assert _read("qorvane's upfrnt") == "Qorvane's upfront"  # a possessive keeps its "'s"
    assert _read("Upfrnt for qv-12?") == "Upfront for qv-12?"  # an opening capital stays


def test_spelling_leaves_english_and_the_users_names_alone() -> None:
    # English words the corpus does not use are no typos ("licensee" is not "licensed")
    assert _read("Who is the licensee and how big was it?") == (
        "Who is the licensee and how big was it?"
    )
    # a name the user capitalised is theirs: an unknown company stays unknown, never a known one
    assert _read("What did Qorvan Bio receive?") == "What did Qorvan Bio receive?"
    # "According" opens a sentence and "Mice" is a platform's name once: no names to restore
    assert _read("according to tests in mice") == "according to tests in mice"
    # an English word used as a name again and again is one, in an all-lower-case question only
    assert _read("what does the legend unit run") == "what does the Legend unit run"
    assert _read("What does the legend unit at Halden run?") == (
        "What does the legend unit at Halden run?"
    )


def test_spelling_reads_a_name_with_two_letters_swapped_as_the_corpus_name() -> None:
    # a slip of the keys, not another company: one letter off ("Qorvan") stays unknown
    assert _read("What did Qrovane Bio receive?") == "What did Qorvane Bio receive?"
    assert _read("What does Halden Lgeend run?") == "What does Halden Legend run?"
    assert _read("What did Qorvnae receive?") == "What did Qorvane receive?"
    assert _read("What did Qorvanne receive?") == "What did Qorvanne receive?"
    assert _read("What does Halden Lgend run?") == "What does Halden Lgend run?"  # too short


def test_spelling_keeps_inflections_and_codes() -> None:
    assert _read("qv-12 royalty tiers") == "qv-12 royalty tiers"  # "royalties" shares the stem
    assert _read("running trials") == "running trials"


def test_spelling_finds_an_acronym_the_briefs_write_out() -> None:
    texts = ["It treats metastatic triple-negative breast cancer in adults."]
    assert spelled_out("mTNBC", texts) and spelled_out("TNBC", texts)
    assert spelled_out("mtnbc", texts)  # typed in lower case
    assert not spelled_out("NSCLC", texts)
    assert not spelled_out("CT053", texts) and not spelled_out("Roche", texts)  # no acronyms


def test_spelling_written_out_gives_the_words_of_an_acronym_the_texts_never_use() -> None:
    texts = ["The trial showed an overall response rate of 61% in 40 patients of the cohort."]
    assert written_out("ORR", texts) == ("overall", "response", "rate")
    assert written_out("orr", texts) == ("overall", "response", "rate")
    assert written_out("PFS", texts) == ()  # nothing spells it
    assert written_out("OTC", texts) == ()  # "of the cohort": a stopword is no acronym's word
    # a text that uses the acronym itself needs no reading of it
    assert written_out("ORR", [*texts, "Its ORR was 61%."]) == ()


def test_spelling_reads_a_name_written_as_the_capitals_of_its_parts() -> None:
    texts = ["AstraZeneca will invest in Beijing.", "GlaxoSmithKline and BeiGene signed a deal."]
    assert camel_named("AZ", texts) == "AstraZeneca" and camel_named("GSK", texts)
    # a name no brief uses stays unknown: nothing the texts write spells it
    assert not spelled_out("AZ", texts[1:]) and spelled_out("AZ", texts)
    assert written_out("AZ", texts) == ("AstraZeneca",)
    assert camel_named("NMPA", texts) == "" and camel_named("Az", texts) == ""
    assert written_out("AZ", [*texts, "AZ said so."]) == ()  # the texts use it as it is


def test_spelling_a_generic_name_is_no_word_nor_made_of_words() -> None:
    assert generic_name("semaglutide") and generic_name("zentalis")  # "talis" is no word
    assert not generic_name("bispecific") and not generic_name("monotherapy")
    assert generic_name("qilon", 4) and not generic_name("qilon")  # shorter than asked
