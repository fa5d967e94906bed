"""The signs that the briefs cannot answer (pure; a small vocabulary stands in for the index)."""

from __future__ import annotations

from rag.abstention import (
    asked_head,
    missing_ask,
    missing_names,
    says_unknown,
    unknown_names,
    unstated_ask,
)
from rag.lexical import lexical_tokens

CORPUS = (
    "Qingyue Biopharma QYB-F9 hemophilia upfront payment royalty rate Kestrelmab Biotech "
    "Series B financing led Lakemont price CARsgen CT053 milestone"
)
VOCAB = set(lexical_tokens(CORPUS))


def test_abstention_asked_head_is_the_last_word_of_the_asked_phrase() -> None:
    assert asked_head("What royalty rate will CARsgen receive on CT053 sales?") == "rate"
    assert (
        asked_head("What was Orchidstone's market capitalization at its IPO?") == "capitalization"
    )
    assert asked_head("What PDUFA date has the FDA set?") == "pdufa"  # "date": a kind of answer
    assert asked_head("Which companies have licensed it?") is None
    assert asked_head("When did the FDA approve OST-5528?") is None


def test_abstention_unknown_names_are_reported_and_typos_are_not() -> None:
    assert unknown_names("How much did Baiyun Biologics raise?", VOCAB, VOCAB.__contains__) == [
        "Baiyun", "Biologics"
    ]  # fmt: skip
    assert unknown_names("What did Quingyue say about QYB-F9?", VOCAB, VOCAB.__contains__) == []
    assert unknown_names("How much did Kestrelmab Biotek raise?", VOCAB, VOCAB.__contains__) == []


def test_abstention_missing_ask_needs_a_word_the_corpus_uses_but_the_subject_does_not() -> None:
    subject = set(lexical_tokens("CARsgen CT053 upfront payment milestone"))
    question = "What royalty rate will CARsgen receive on CT053?"
    assert missing_ask(question, subject, VOCAB.__contains__) == "royalty rate"
    assert (
        missing_ask("What upfront payment will CARsgen receive?", subject, VOCAB.__contains__)
        is None
    )
    # a word the corpus never uses is a paraphrase as likely as a gap: no decision from it
    assert missing_ask("What monkey study did CARsgen run?", subject, VOCAB.__contains__) is None


def test_abstention_unstated_ask_needs_the_asked_words_together_in_one_sentence() -> None:
    orphan = (
        "The FDA granted Orphan Drug Designation to MFB-702 on February 20, 2023. The designation "
        "brings a waiver of the Prescription Drug User Fee Act (PDUFA) application fee."
    )
    accepted = "The FDA set a PDUFA target action date of June 12, 2026."
    ipo = "Orchidstone raised HKD 1.16 billion for the market. The rest is working capital."
    known = set(lexical_tokens(orphan + accepted + ipo + " capitalization")).__contains__
    pdufa = "What PDUFA date has the FDA set for MFB-702?"
    # "PDUFA" is there, but never with a date: the briefs do not state a PDUFA date
    assert unstated_ask(pdufa, [orphan], known) == "PDUFA date"
    assert unstated_ask(pdufa, [orphan, accepted], known) is None
    cap = "What was Orchidstone's market capitalization at its Hong Kong IPO?"
    assert unstated_ask(cap, [ipo], known) == "market capitalization"
    # one asked word is missing_ask's to judge; here it stands in a sentence
    assert unstated_ask("What price has Orchidstone set?", [ipo], known) is None


def test_abstention_missing_names_skips_subjects_and_checks_kinds() -> None:
    briefs = {
        "sunmere": set(lexical_tokens("Sunmere raised RMB 270 million to date")),
        "lanxi": set(lexical_tokens("Lanxi Sengtai LQ-1143 upfront Series")),
    }
    df = {"sunmer": 1, "lanxi": 2, "sengtai": 3, "seri": 9, "exchang": 9}

    def terms_of(names: set[str]) -> set[str]:
        return set().union(*(t for t in briefs.values() if t & names))

    ask = "How much did Sunmere raise in its Series A?"
    assert missing_names(ask, terms_of, lambda t: df.get(t, 0), 5) == ["Series"]
    compare = "Which upfront is larger: Sunmere's or Lanxi's from Sengtai?"
    assert missing_names(compare, terms_of, lambda t: df.get(t, 0), 5) == []


def test_abstention_missing_names_a_name_outside_the_rare_subjects_briefs() -> None:
    briefs = {
        "jinhaiwan": set(lexical_tokens("Sengtai acquires Hong Kong-listed Jinhaiwan Biotech")),
        "orchidstone": set(lexical_tokens("Orchidstone lists on the Hong Kong Stock Exchange")),
    }
    df = {"jinhaiwan": 2, "biotech": 11, "hong": 9, "kong": 9, "stock": 4, "exchang": 5}

    def terms_of(names: set[str]) -> set[str]:
        return set().union(*(t for t in briefs.values() if t & names))

    ask = "When did Jinhaiwan Biotech list on the Hong Kong Stock Exchange?"
    # "Stock Exchange" is in a few briefs, but not in those of the rare name the question is about
    assert missing_names(ask, terms_of, lambda t: df.get(t, 0), 5, rare=2) == ["Stock", "Exchange"]
    # a comparison (rare=0) counts every specific name as a subject of its own
    assert missing_names(ask, terms_of, lambda t: df.get(t, 0), 5) == []


def test_abstention_a_sentence_saying_it_is_undisclosed() -> None:
    question = "What price has Qingyue set for QYB-F9?"
    assert says_unknown("Qingyue is in talks with partners and has not yet set a price.", question)
    assert not says_unknown("Qingyue set a price of EUR 2.1 million.", question)
    dosing = "The company has not disclosed the structure, but said it is dosed once daily."
    assert not says_unknown(dosing, "How often is it dosed?")  # the undisclosed is not the ask


def test_abstention_series_b_is_not_series_a() -> None:
    assert "seriesb" in lexical_tokens("a Series B round") and "phaseiii" in lexical_tokens(
        "the Phase III trial"
    )
    briefs = set(lexical_tokens("Redtide Genomics raised a Series A led by Granite Arc"))
    df = {"redtid": 2, "genom": 2, "seri": 9, "seriesb": 4}
    missing = missing_names(
        "Who led Redtide Genomics' Series B?", lambda _n: briefs, lambda t: df.get(t, 0), 5
    )
    assert missing == ["Series B"]
