"""The question's names no brief uses (`rag.reading.names`): real spaCy parses, texts and a
corpus view written out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from rag.lexical import lexical_tokens
from rag.reading.names import NameWords, unjoined_names, unknown_names
from rag.reading.question import CorpusView, Question
from rag.types import Passage


def _question(text: str) -> Question:
    return Question(text=text, wh="what", head="", terms=tuple(lexical_tokens(text)),
                    asked=frozenset(), subjects=frozenset(), unknown=(), plural=False)  # fmt: skip


def _words(companies: str, texts: Sequence[str]) -> NameWords:
    """How a corpus of `texts` uses words: its declared companies, and the words it holds."""
    known = {t for text in texts for t in lexical_tokens(text)}
    return NameWords(
        CorpusView(lambda t: int(t in known), list, 40, 5, frozenset(lexical_tokens(companies)))
    )


def test_names_unjoined_names_are_names_no_passage_writes_together() -> None:
    texts = ["Orion Pharma launched Nova Pen in March 2024 and sold its Flex Pump to Kestrel Bio."]
    assert unjoined_names("When did Orion Pharma launch Nova Pump?", texts) == ["Nova Pump"]
    assert unjoined_names("When did Orion Pharma launch Nova Pen?", texts) == []
    # the briefs' companies are joined freely, and acronyms are written out elsewhere
    companies = _words("Orion Kestrel", texts)
    assert unjoined_names("What did the Kestrel Orion deal cover?", texts, companies) == []
    assert unjoined_names("What did Orion GSK agree?", texts) == []
    # a question in title case capitalises every word: its capitals name nothing
    assert unjoined_names("When Did Orion Pharma Launch Nova Pump?", texts) == []


def test_names_unjoined_names_leave_out_a_rounds_word_before_its_letter() -> None:
    texts = ["Xanthe Genomics raised RMB 900 million in a Series C round."]
    assert unjoined_names("How big was Xanthe Genomics Series C?", texts) == []
    # typed in lower case, the spelling pass writes "series" as the briefs do, not the letter
    assert unjoined_names("How big was Xanthe Genomics Series c?", texts) == []
    assert unjoined_names("How big was Xanthe Genomics Series?", texts) == [
        "Xanthe Genomics Series"
    ]


def test_names_unjoined_names_include_a_name_opening_the_question() -> None:
    texts = [
        "Mark Kermode, writing in The Guardian, gave the film four stars; John Lee, three.",
        "Ostrander pays Haichen an upfront sum on signing.",
    ]
    # its first word is capitalised anyway, but a proper noun opening a name of several words
    # is the name's where the texts never write it in lower case: "John Kermode" is no critic
    # the passages know, while "Upfront" opens a terse question about a known name
    assert unjoined_names("John Kermode gave the film how many stars?", texts) == ["John Kermode"]
    assert unjoined_names("Mark Kermode gave the film how many stars?", texts) == []
    assert unjoined_names("Where did Mark Kermode write?", texts) == []
    assert unjoined_names("Upfront Ostrander is paying Haichen?", texts) == []
    assert unjoined_names("Upfront Ostrander is paying Haichen?", texts[:1]) == [
        "Upfront Ostrander"
    ]


def test_names_unjoined_names_include_names_spacy_tags_no_entity() -> None:
    texts = [
        "Twilight Princess came after Ocarina of Time; Link fights with a sword.",
        "Lee was awarded the Presidential Medal of Freedom. The East Side Access project is late.",
    ]
    # a name made of common words is no entity of spaCy's, yet a run of capitals: asked, a
    # made-up title is declined, not answered with the real one's facts
    assert unjoined_names("What character helped Link in Ocarina Princess?", texts) == [
        "Ocarina Princess"
    ]
    assert unjoined_names("What character helped Link in Twilight Princess?", texts) == []
    # a run ends at a lower-case "the" (two names), and a capitalised stop word inside a name
    # is one of its words ("Side")
    assert unjoined_names("Which president awarded Lee the Presidential Medal of Freedom?",
                          texts) == []  # fmt: skip
    assert unjoined_names("When will the East Side Access project open?", texts) == []
    assert unjoined_names("When will the West Side Access project open?", texts) == [
        "West Side Access"
    ]


def test_names_unjoined_names_are_runs_of_capitals() -> None:
    texts = [
        "Orion Pharma launched Nova Pen in March 2024 and sold its Flex Pump to Kestrel Bio.",
        "Lyra Genomics closed a Series C round on the night of 3 May.",
    ]
    words = _words("Orion Kestrel", texts)
    # a company's word beside a product's word the briefs never write with it: another thing
    assert unjoined_names("When did Orion launch Kestrel Pen?", texts, words) == ["Kestrel Pen"]
    # a misspelt word is question analysis' to read, not another name
    assert unjoined_names("How much did Orion pay for Flex Pumpp?", texts, words) == []
    # a word right before a code names the code ("Series C"), not the company
    assert unjoined_names("How big was the Lyra Genomics Series C?", texts, words) == []
    assert unjoined_names("What was the Orion Genomics Series C size?", texts, words) == [
        "Orion Genomics"
    ]
    # a name's words may be written on ("Lyra Europe" in "Lyra European")
    european = [*texts, "Lyra European Holdings raised EUR 10 million."]
    known = _words("Orion Kestrel", [*european, "Sales in Europe grew."])
    assert unjoined_names("How much did Lyra Europe raise?", european, known) == []
    assert unjoined_names("How much did Lyra Europe raise?", texts, known) == ["Lyra Europe"]
    # "of" and "the" stand inside a name
    assert unjoined_names("Who liked the imagery of the Night of the Pen?", texts, words) == [
        "Night of the Pen"
    ]


def test_names_unknown_names_name_each_name_once() -> None:
    # "Zai Lab" is both a name no brief uses and a name of two words no passage writes
    texts = ["CARsgen will receive an upfront payment of RMB 200 million."]
    question = "What upfront payment will Zai Lab receive for CT053?"
    q = replace(_question(question), unknown=("Zai Lab",))
    assert unjoined_names(question, texts) == ["Zai Lab"]
    passage = Passage("d#0", "d", "CARsgen", "2022-03-01", "Wire", texts[0], 0, 1.0)
    assert unknown_names(q, [passage]) == ["Zai Lab"]


def test_names_unknown_names_read_the_passages_briefs_whole() -> None:
    # the retrieved chunk of Orion's brief does not write "Nova Pen"; another chunk of it does
    found = "Orion Pharma will sell the pen in China."
    rest = {"orion": ["Orion Pharma launched Nova Pen in March 2024."], "lyra": ["Lyra Pump."]}
    known = {t for text in [found, *rest["orion"], *rest["lyra"]] for t in lexical_tokens(text)}
    corpus = CorpusView(lambda t: int(t in known), list, 40, 5, frozenset(),
                        lambda doc_id: rest.get(doc_id, []))  # fmt: skip
    passage = Passage("orion#1", "orion", "Orion", "2024-03-01", "Wire", found, 0, 1.0)
    assert unknown_names(_question("When did Orion launch Nova Pen?"), [passage], corpus) == []
    # a name only another brief writes is still unknown to the briefs found
    question = _question("When did Orion launch Lyra Pump?")
    assert unknown_names(question, [passage], corpus) == ["Lyra Pump"]


def test_names_unjoined_names_tell_joined_companies_from_one_company_s_words() -> None:
    texts = ["Casino Royale Holdings paid Kestrel Bio; Orion Pharma watched."]
    known = {t for t in lexical_tokens(texts[0])}
    names = frozenset(frozenset(lexical_tokens(n)) for n in ("Casino Royale", "Kestrel", "Orion"))
    companies = frozenset(t for n in names for t in n)
    view = CorpusView(lambda t: int(t in known), list, 40, 5, companies, company_names=names)
    words = NameWords(view)
    # two companies joined by the question: a deal between them, no unknown name
    assert unjoined_names("What did the Kestrel Orion deal cover?", texts, words) == []
    # one company's words in another order: a name the briefs never use
    assert unjoined_names("What did Royale Casino pay?", texts, words) == ["Royale Casino"]
    assert unjoined_names("What did Casino Royale pay?", texts, words) == []
