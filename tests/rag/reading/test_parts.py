"""Quoted parts of an answer: which further sentences join, and how each is windowed."""

from __future__ import annotations

from rag.lexical import lexical_tokens
from rag.reading.candidates import Sentence, sentences_of
from rag.reading.model import Logistic
from rag.reading.nlp import parse
from rag.reading.parts import (
    MAX_PARTS,
    PART_FEATURES,
    Scored,
    choose_parts,
    part_features,
    part_limits,
    window,
)
from rag.reading.question import Question

TEXT = (
    "Lanxi will receive an upfront payment of RMB 180 million from Sengtai. "
    "CARsgen will receive an upfront payment of RMB 200 million from Huadong. "
    "The companies did not comment on the deal."
)
_TYPE = 0  # which sentence feature `part_features` reads as the sentence's type score


def _question(subjects: tuple[str, ...], parts: int = 2) -> Question:
    return Question(
        text="Which upfront is larger, Lanxi's or CARsgen's?", wh="which", head="upfront",
        terms=("upfront", *subjects), asked=frozenset({"upfront"}),
        subjects=frozenset(subjects), unknown=(), plural=False, parts=parts,
    )  # fmt: skip


def _scored() -> list[Scored]:
    sentences = sentences_of([parse(TEXT)], [0])
    return [Scored(s, [0.5], p) for s, p in zip(sentences, (0.9, 0.6, 0.5), strict=True)]


def _sentence(text: str) -> Sentence:
    """The first sentence of `text`, parsed as a passage of its own."""
    return sentences_of([parse(text)], [0])[0]


def _new_subjects_model() -> Logistic:
    # a model that only looks at the subjects a sentence adds: discriminative, not constant
    coef = tuple(8.0 if name == "new_subjects" else 0.0 for name in PART_FEATURES)
    return Logistic(PART_FEATURES, coef, -2.0)


def test_parts_a_sentence_adding_the_other_subject_joins() -> None:
    scored = _scored()
    q = _question(("lanxi", "carsgen"))
    local = {"upfront": 0.1, "lanxi": 1.0, "carsgen": 1.0}
    chosen = choose_parts(q, scored[0], scored, local, lambda s: 0.0,
                          _new_subjects_model().probability, 0.5, _TYPE, 3)  # fmt: skip
    assert [c.sentence.text for c in chosen] == [s.sentence.text for s in scored[:2]]


def test_parts_nothing_joins_without_a_model_or_above_the_threshold() -> None:
    scored = _scored()
    q = _question(("lanxi", "carsgen"))
    model = _new_subjects_model().probability
    assert choose_parts(q, scored[0], scored, {}, lambda s: 0.0, None, 0.5, _TYPE, 3) == [scored[0]]
    assert len(choose_parts(q, scored[0], scored, {}, lambda s: 0.0, model, 1.01, _TYPE, 3)) == 1


def test_parts_a_sentence_repeating_what_the_answer_quotes_never_joins() -> None:
    text = (
        "Lanxi will receive an upfront payment of RMB 180 million from Sengtai. "
        "Sengtai pays Lanxi the RMB 180 million upfront. "
        "Sengtai may also pay Lanxi RMB 900 million in milestones."
    )
    sentences = sentences_of([parse(text)], [0])
    scored = [Scored(s, [0.5], p) for s, p in zip(sentences, (0.9, 0.8, 0.7), strict=True)]
    q = _question(("lanxi", "sengtai"), parts=1)
    local = {"upfront": 1.0, "lanxi": 0.2, "sengtai": 0.2}
    # a model that takes any sentence that scores well: discriminative, it reads `probability`
    coef = tuple(10.0 if name == "probability" else 0.0 for name in PART_FEATURES)
    model = Logistic(PART_FEATURES, coef, -5.0).probability
    chosen = choose_parts(q, scored[0], scored, local, lambda s: 0.0, model, 0.5, _TYPE, 3)
    # the second sentence holds nothing the first does not; the third adds a figure
    assert [c.sentence.text for c in chosen] == [sentences[0].text, sentences[2].text]


def test_parts_features_measure_what_the_sentence_adds() -> None:
    scored = _scored()
    q = _question(("lanxi", "carsgen"))
    local = {"upfront": 0.5, "lanxi": 1.0, "carsgen": 1.0}
    adds = dict(zip(PART_FEATURES, part_features(q, [scored[0]], scored[1], local, 0.7, 1, _TYPE),
                    strict=True))  # fmt: skip
    same = dict(zip(PART_FEATURES, part_features(q, [scored[0]], scored[2], local, 0.0, 2, _TYPE),
                    strict=True))  # fmt: skip
    assert adds["new_subjects"] == 0.5 and same["new_subjects"] == 0.0
    assert adds["new_terms"] > same["new_terms"]
    assert adds["span"] == 0.7 and adds["ratio"] < 1.0


def test_parts_window_keeps_the_span_and_fits_the_limit() -> None:
    sentence = _scored()[1].sentence
    amount = next(s for s in sentence.spans if s.label == "MONEY")
    a, b = window(sentence, amount, 40)
    text = sentence.sent.doc.text
    assert b - a <= 40 and text[amount.start : amount.end] in text[a:b]
    assert window(sentence, amount, 500) == sentence.span


def test_parts_window_keeps_the_question_words_beside_the_span() -> None:
    # "Who became the third Abbot of Veyne?": the span model's pick ("1307") is not the answer;
    # the answer stands beside the question's words, and a window weighing them keeps them
    text = (
        "Ortran Vell, 3rd Abbot Veyne, met King Aldric in 1307 and later travelled across the "
        "northern lands for many years before he returned to his home monastery in Carreth."
    )
    sentence = _sentence(text)
    year = next(s for s in sentence.spans if s.text == "1307")
    plain = text[slice(*window(sentence, year, 70))]
    weighed = text[slice(*window(sentence, year, 70, {"3rd": 1.0, "abbot": 2.0, "veyn": 2.0}))]
    assert "1307" in plain and "Abbot" not in plain
    assert "1307" in weighed and "Abbot Veyne" in weighed, weighed
    assert len(weighed) <= 70


def test_parts_limits_keep_the_best_part_whole_when_the_others_can_give_way() -> None:
    assert part_limits(284, [400]) == [284]
    # the best part's 149 characters stay whole; the next gets what is left
    assert part_limits(284, [149, 400]) == [149, 129]
    assert part_limits(284, [90, 100]) == [90, 100]  # both fit: neither is cut
    limits = part_limits(284, [400] * MAX_PARTS)
    assert min(limits) >= 60 and sum(limits) <= 284


def _cuts(text: str, label: str, limits: range) -> list[tuple[str, str]]:
    """The span of `label` first in the sentence and each window around it, one per limit."""
    sentence = _sentence(text)
    first = next(s for s in sentence.spans if s.label == label)
    return [(text[first.start : first.end], text[slice(*window(sentence, first, n))])
            for n in limits]  # fmt: skip


def test_parts_window_never_cuts_an_amount_in_two() -> None:
    text = (
        "That raised HK$7.86 billion, or roughly US$1 billion, and valued the company at about "
        "US$10.3 billion after a greenshoe option over 82.6 million additional shares."
    )
    for span, cut in _cuts(text, "MONEY", range(40, 130, 7)):
        assert span in cut
        assert not cut.endswith(("US$10.3", "82.6", "HK$7.86", "US$")), cut
        assert not cut.startswith(("billion", "million")), cut


def test_parts_window_never_ends_on_a_number_whose_scale_the_parse_missed() -> None:
    # spaCy tokenises "million.[note" as one word outside any entity: "$24" alone would be a
    # figure the passage lacks
    text = (
        "In April 2007, the singer embarked on her first worldwide concert tour, visiting 97 "
        "venues and grossed over $24 million.[note 1] She conducted food drives at six stops."
    )
    for _span, cut in _cuts(text, "DATE", range(60, 130, 3)):
        assert not cut.rstrip().endswith(("$24", "97")), cut


def test_parts_an_asks_best_sentence_is_a_candidate_beyond_the_read_ones() -> None:
    scored = _scored()
    q = _question(("lanxi", "carsgen"))
    # a model that only takes the best sentence of one of the question's asks
    coef = tuple(8.0 if name == "ask" else 0.0 for name in PART_FEATURES)
    model = Logistic(PART_FEATURES, coef, -2.0).probability
    # only the best sentence is read; the second is what the question's second ask found
    chosen = choose_parts(q, scored[0], scored, {}, lambda s: 0.0, model, 0.5, _TYPE, 1,
                          [scored[1]])  # fmt: skip
    assert [c.sentence.text for c in chosen] == [scored[0].sentence.text, scored[1].sentence.text]
    assert choose_parts(q, scored[0], scored, {}, lambda s: 0.0, model, 0.5, _TYPE, 1) == [
        scored[0]
    ]


def test_parts_window_keeps_the_list_a_span_heads() -> None:
    # the question's words pull the window left, but never past the list the span opens
    text = (
        "Hexiang has obtained exclusive rights to develop and commercialize KGT-118, a long-acting "
        "antibody, in mainland China, Hong Kong, Macau and Taiwan from UK-based Kelvingrove "
        "Therapeutics Ltd., the companies said on Monday in a joint statement."
    )
    sentence = _sentence(text)
    china = next(s for s in sentence.spans if s.text == "China")
    weights = {"hexiang": 1.0, "right": 1.0, "kgt": 1.0, "118": 1.0}
    cut = text[slice(*window(sentence, china, 120, weights))]
    assert "mainland China, Hong Kong, Macau and Taiwan" in cut, cut
    assert len(cut) <= 120


def test_parts_window_holding_as_many_question_words_keeps_the_likelier_answer() -> None:
    # "Who secretly paid the rent?": windows dropping the opening date or the closing name hold
    # the same question words; the one holding the span the span model rates likely wins
    text = (
        "During the long summer of 1791, his friends found Arlen Vose a small house in Tarrow, "
        "far from the centre of the city, for which the rent was secretly paid by an admirer, "
        "Countess Velmira."
    )
    sentence = _sentence(text)
    tarrow = next(s for s in sentence.spans if s.text == "Tarrow")
    countess = next(s for s in sentence.spans if "Velmira" in s.text)
    weights = {t: 1.0 for t in lexical_tokens("rent secretly paid")}
    plain = text[slice(*window(sentence, tarrow, 120, weights))]
    likely = {(countess.start, countess.end): 0.8, (tarrow.start, tarrow.end): 0.3}
    weighed = text[slice(*window(sentence, tarrow, 120, weights, likely))]
    assert "Velmira" not in plain, plain
    assert "Tarrow" in weighed and "Countess Velmira" in weighed, weighed
    assert len(weighed) <= 120
