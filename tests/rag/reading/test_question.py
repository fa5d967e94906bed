"""Question analysis against a small corpus view (real spaCy, no index)."""

from __future__ import annotations

from rag.lexical import lexical_tokens
from rag.reading.question import CorpusView, analyze, with_written_out

BRIEFS = [
    "CARsgen will receive an upfront payment of RMB 200 million from Huadong Medicine for CT053.",
    "BeiGene licensed tislelizumab to Novartis; the NMPA approved it in 2021.",
    "3SBio raised HK$1.2 billion in its placement.",
    "Innovent won NMPA approval for mazdutide on 27 June 2025.",
] + [f"Filler brief {n} about a financing round and an upfront payment." for n in range(20)]


def _view() -> CorpusView:
    docs = [set(lexical_tokens(b)) for b in BRIEFS]
    df: dict[str, int] = {}
    for terms in docs:
        for t in terms:
            df[t] = df.get(t, 0) + 1
    return CorpusView(lambda t: df.get(t, 0), lambda: list(df), len(docs), 5)


def test_question_wh_word_and_head_noun() -> None:
    q = analyze("What upfront payment will CARsgen receive for CT053?", _view())
    assert (q.wh, q.head) == ("what", "payment")
    assert {"carsgen", "ct053"} <= q.subjects and "upfront" in q.asked
    how = analyze("How much did 3SBio raise in its placement?", _view())
    assert how.wh == "how much"
    bare = analyze("Upfront for CT053?", _view())
    assert bare.wh == "" and bare.head


def test_question_the_asked_noun_is_never_a_subject_however_written() -> None:
    # "NMPA" is written like a name and is rare in the corpus, but the question asks for it
    q = analyze("CARsgen NMPA?", _view())
    assert q.head == "nmpa" and "nmpa" in q.asked and "nmpa" not in q.subjects
    assert "carsgen" in q.subjects


def test_question_bare_form_drops_the_names_and_keeps_the_asked_noun() -> None:
    # the question model reads what is asked for from the words besides the names: a head
    # written like one ("CEO", "ORR") is what it must read, where "CARsgen" is what it is about
    q = analyze("CARsgen CEO?", _view())
    assert "CEO" in q.bare.split() and "CARsgen" not in q.bare
    orr = analyze("What ORR did CT053 reach?", _view())
    assert "ORR" in orr.bare.split() and "CT053" not in orr.bare


def test_question_a_determined_acronym_of_what_is_is_the_asked_noun() -> None:
    # "the ORR of CT053", "CT053's ORR": an article or a possessive makes the capitals a thing
    # asked for; a bare name after "what is" is what the question is about
    for text in ("What is the ORR of CT053?", "What was CT053's ORR?"):
        q = analyze(text, _view())
        assert q.head == "orr" and "orr" in q.asked and "ct053" in q.subjects, text
    assert analyze("What is CARsgen?", _view()).head == ""


def test_question_imperative_asks_for_its_object() -> None:
    # "Name"/"List" questions have no wh-word: the verb's object is what is asked, not the
    # compound that modifies it
    q = analyze("Name the anchor investors of the 3SBio placement.", _view())
    assert (q.wh, q.head) == ("", "investor")
    listed = analyze("List the territories covered by the licence.", _view())
    assert listed.head == "territory" and listed.plural


def test_question_head_noun_where_the_parse_hangs_the_wh_word_elsewhere() -> None:
    # the small model's parse leaves these heads unattached to the wh-word: the noun right
    # after "which" (past a number or adjective), the subject a "how large" describes
    which = analyze("For which tumour types is CT053 being trialled?", _view())
    assert (which.wh, which.head, which.plural) == ("which", "type", True)
    assert {"tumour", "type"} <= which.asked
    large = analyze("How large is the milestone CARsgen receives?", _view())
    assert (large.wh, large.head) == ("how large", "milestone")
    assert analyze("What did CARsgen receive?", _view()).head == ""  # "what" is the object


def test_question_names_with_inner_capitals_or_digits_are_subjects() -> None:
    q = analyze("When did BeiGene and 3SBio announce their deals?", _view())
    assert {"beigen", "sbio"} <= q.subjects  # both names, whatever the stemmer makes of them
    assert not q.unknown


def test_question_unknown_name_is_reported_but_typo_is_corrected() -> None:
    unknown = analyze("What upfront did Zentalis pay for CT053?", _view())
    assert unknown.unknown == ("Zentalis",)
    typo = analyze("innovnt mazdutide aprvl date", _view())
    assert not typo.unknown
    assert "innov" in " ".join(typo.terms) and "mazdutid" in " ".join(typo.terms)


def test_question_besides_clause_is_known_already() -> None:
    q = analyze("Besides the NMPA, which agency approved tislelizumab?", _view())
    assert "nmpa" in q.known
    assert q.head == "agency" and "agenc" in q.asked


def test_question_a_name_is_never_read_as_another() -> None:
    # a short company name and a trial code one digit off are unknown, not typos of known ones
    assert analyze("What upfront did Zai Lab pay?", _view()).unknown == ("Zai Lab",)
    # a name before a word the briefs' companies share is its own ("Bio" of "Kestrel Bio")
    bio = CorpusView(lambda t: 3 if t == "bio" else _view().doc_freq(t), _view().vocabulary,
                     len(BRIEFS), 5, frozenset({"carsgen", "bio"}))  # fmt: skip
    assert analyze("What did Orion Bio pay for CT053?", bio).unknown == ("Orion",)
    assert analyze("What did CT054 show?", _view()).unknown == ("CT054",)
    # an opening capital, a lower-case word spaCy calls a proper noun, or a misspelt part of a
    # company the briefs declare are no unknown names
    view = CorpusView(_view().doc_freq, _view().vocabulary, len(BRIEFS), 5, frozenset({"carsgen"}))
    assert not analyze("Maximum upfront for CT053?", view).unknown
    assert not analyze("carsgen upfront px hkd", view).unknown
    assert not analyze("What did CARsgen Therapeutix receive?", view).unknown


def test_question_a_month_no_brief_writes_is_no_unknown_name() -> None:
    # a brief may give its month only as its date ("the March 2024 approval")
    assert not analyze("What did CARsgen report in March 2024?", _view()).unknown
    assert analyze("What did Zentalis report in March 2024?", _view()).unknown == ("Zentalis",)


def test_question_a_lower_case_generic_name_no_brief_uses_is_unknown() -> None:
    assert analyze("When was semaglutide approved?", _view()).unknown == ("semaglutide",)
    # English words, and words made of them, that the briefs happen not to use are no names
    for question in ("Which licensor got a bispecific monotherapy?", "What was the hkd px?"):
        assert not analyze(question, _view()).unknown


def test_question_a_name_typed_in_lower_case_no_brief_uses_is_unknown() -> None:
    # a user types names in lower case too ("qilon", "wuxi apptec"), and such a name is never
    # read as a corpus word sharing some of its letters
    assert analyze("how much did qilon raise in its placement?", _view()).unknown == ("qilon",)
    assert analyze("who is the ceo of wuxi apptec?", _view()).unknown == ("wuxi apptec",)
    # a word a letter or two off a corpus word is that word; English words and shorthand are
    # no names; a corpus name comes here in its capitals (the spelling pass writes it so)
    typo = analyze("how much did 3SBio raise in its placemnt?", _view())
    assert not typo.unknown and "placement" in " ".join(typo.terms)
    assert not analyze("what was the placement px in hkd?", _view()).unknown
    assert not analyze("what did 3SBio mgmt say about the placement?", _view()).unknown
    # nor is a typed name read as the corpus word that shares its letters but not its first
    assert analyze("what did kovartis license?", _view()).unknown == ("kovartis",)
    assert not analyze("how much did 3SBio raise in its placement?", _view()).unknown


def test_question_a_dictionary_name_in_lower_case_acting_as_a_party_is_unknown() -> None:
    # dictionaries hold many companies' names ("merck", "pfizer"): one no brief uses, standing
    # bare as the payer, the owner or the agent, as only a name does, names what no brief covers
    assert analyze("how much did pfizer pay upfront for CT053?", _view()).unknown == ("pfizer",)
    assert analyze("what is merck's upfront for CT053?", _view()).unknown == ("merck",)
    assert analyze("upfront paid by merck for CT053", _view()).unknown == ("merck",)
    # with an article, a number or a modifier it is a thing; a plural is no one name
    assert not analyze("how much did the pfizer unit pay for CT053?", _view()).unknown
    assert not analyze("how much did investors pay for CT053?", _view()).unknown


def test_question_a_long_name_a_letter_off_a_declared_company_is_that_company() -> None:
    view = CorpusView(_view().doc_freq, _view().vocabulary, len(BRIEFS), 5,
                      frozenset(lexical_tokens("CARsgen Innovent")))  # fmt: skip
    typo = analyze("What upfront did Carsgne receive for CT053?", view)
    assert not typo.unknown and "carsgen" in typo.subjects  # two letters swapped
    assert analyze("What did Inovent win?", view).unknown == ()
    # short names and names two letters off stay unknown
    assert analyze("What did Carsgenix receive?", view).unknown == ("Carsgenix",)


def test_question_a_gloss_in_brackets_names_no_unknown_subject() -> None:
    # "(INN)" explains the user's own words; the briefs need not use it
    assert analyze("What is the generic (INN) name of CT053?", _view()).unknown == ()
    assert analyze("What is the INN name of CT053?", _view()).unknown == ("INN",)


def test_question_asked_takes_in_what_an_of_phrase_names() -> None:
    # "the name of the pivotal trial" asks about a trial: its words are asked too
    q = analyze("What is the name of the pivotal trial behind the approval?", _view())
    assert q.head == "name" and {"name", "pivot", "trial"} <= q.asked


def test_question_a_count_of_the_asked_noun_is_not_asked_but_a_year_is() -> None:
    # "three" says how many answer; the answering sentence names them, it does not say "three"
    q = analyze("Which three companies did BeiGene license tislelizumab to?", _view())
    assert "compani" in q.asked and "three" not in q.asked
    dated = analyze("Which 2021 approval did BeiGene win?", _view())
    assert "2021" in dated.asked


def test_question_a_type_noun_asked_for_names_the_answer_s_type_not_its_words() -> None:
    # "in which year" asks for a date: "patients aged 12 years" holds no answer to it
    q = analyze("In which year did BeiGene license tislelizumab?", _view())
    assert q.head == "year" and "year" not in q.asked
    assert "month" not in analyze("What month was tislelizumab approved?", _view()).asked
    assert "citi" not in analyze("Which city is BeiGene based in?", _view()).asked
    # a unit that is no wh-word's head stays a word asked about
    assert "year" in analyze("What was BeiGene's revenue last year?", _view()).terms


def test_question_a_possessive_is_no_asked_word() -> None:
    # the "'s" of "BeiGene's 2021 revenues" is no word the answering sentence states
    q = analyze("What were BeiGene's 2021 revenues?", _view())
    assert q.asked == {"revenu", "2021"}
    # nor the "'s" of an "of" phrase ("of BeiGene's 2021 placement")
    of = analyze("Gross proceeds of BeiGene's 2021 placement?", _view())
    assert "s" not in of.asked and {"proceed", "placement"} <= of.asked


def test_question_a_versus_comparison_asks_two_things() -> None:
    assert analyze("What upfront did CARsgen get versus 3SBio?", _view()).parts == 2
    assert analyze("What upfront did CARsgen get?", _view()).parts == 1


def test_question_a_comma_list_counts_each_of_its_items() -> None:
    # three asks, though the parser reads the first comma as an apposition
    q = "Wrap up Kestrel: Suzhou plant cost, KB-210's EMA status and what it owed Orion?"
    assert analyze(q, _view()).parts == 3


def test_question_an_acronym_the_passages_write_out_asks_for_its_words() -> None:
    texts = ["Zevor-cel showed an objective response rate of 94.8% in the LUMMICAR-1 study."]
    q = with_written_out(analyze("What was the ORR of zevor-cel?", _view()), texts, _view())
    assert {"object", "respons", "rate"} <= set(q.terms) and {"respons", "rate"} <= q.asked
    same = analyze("What was the upfront of zevor-cel?", _view())
    assert with_written_out(same, texts, _view()) is same  # no acronym: unchanged


def test_question_a_name_written_as_its_capitals_is_a_subject() -> None:
    texts = ["BeiGene licensed tislelizumab to Novartis; the NMPA approved it in 2021."]
    q = with_written_out(analyze("What did BG license to Novartis?", _view()), texts, _view())
    assert "beigen" in q.terms and "beigen" in q.subjects and "beigen" not in q.asked


def test_question_a_follow_up_without_a_head_asks_the_earlier_questions_thing() -> None:
    earlier = "What upfront payment did CARsgen receive for CT053?"
    again = analyze("What is it after the amendment?", _view(), context=earlier)
    assert again.head == "payment" and {"upfront", "payment"} <= again.asked
    assert analyze("What is it after the amendment?", _view()).head == ""
    # a follow-up naming its own thing keeps it
    assert analyze("What royalty is due?", _view(), context=earlier).head == "royalty"
