"""The decision's thresholds, picked on small made-up outcomes whose best pair is known."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from eval.fit_cases import judge
from eval.fit_decision import Outcome, pick_thresholds, uncounted
from rag.errors import ConfigError
from rag.reading.model import load_weights


def _outcomes(low_mass_right: int, name: str = "briefs2") -> tuple[list[float], list[Outcome]]:
    """One set of 100 questions, all answered with probability 0.9 (the model cannot tell them
    apart): 60 answerable and right, 40 unanswerable. Ten of the unanswerable ones ask for a
    sum their quoted sentences do not hold (type mass 0.1); so do `low_mass_right` of the
    right ones. Everything else holds a type that answers (mass 0.8)."""
    outs = []
    for n in range(60):
        outs.append(Outcome(name, True, False, False, True, 0.1 if n < low_mass_right else 0.8, 1))
    for n in range(40):
        outs.append(Outcome(name, False, True, False, True, 0.1 if n < 10 else 0.8, 1))
    return [0.9] * len(outs), outs


def test_fit_decision_declines_a_quantity_question_without_such_a_span_when_it_pays() -> None:
    probs, outs = _outcomes(low_mass_right=0)
    held, score, answer, quantity = pick_thresholds(probs, outs)
    # the ten unanswerable sum questions are declined by the type rule, none of the right ones
    assert held and quantity > 0.1 and answer <= 0.9
    assert score == 70


def test_fit_decision_keeps_the_rule_off_when_it_declines_what_is_answered() -> None:
    # as many right answers as unanswerable questions lack such a span: the rule gains nothing,
    # and it would decline 10 of 60 answerable questions, past the 5% ceiling
    probs, outs = _outcomes(low_mass_right=10)
    held, score, _answer, quantity = pick_thresholds(probs, outs)
    assert held and quantity == 0.0
    assert score == 60


def test_fit_decision_never_declines_past_the_false_refusal_ceiling() -> None:
    # three right answers lack such a span too (5% of 60): the rule still pays within it
    probs, outs = _outcomes(low_mass_right=3)
    held, score, _answer, quantity = pick_thresholds(probs, outs)
    assert held and quantity > 0.1 and score == 67
    # four would pass the ceiling: then the rule stays off
    probs, outs = _outcomes(low_mass_right=4)
    held, _score, _answer, quantity = pick_thresholds(probs, outs)
    assert held and quantity == 0.0


def test_fit_decision_holds_the_ceiling_on_every_set() -> None:
    # squad2-sample's answered questions count as much as the briefs': four right answers
    # declined there keep the rule off too, although it would make more questions right
    probs, outs = _outcomes(low_mass_right=4, name="squad2")
    held, score, _answer, quantity = pick_thresholds(probs, outs)
    assert held and quantity == 0.0 and score == 60
    # and a set within the ceiling does not let another pass it
    probs_b, outs_b = _outcomes(low_mass_right=0, name="briefs2")
    held, _score, _answer, quantity = pick_thresholds(probs + probs_b, outs + outs_b)
    assert held and quantity == 0.0


def test_fit_decision_weighs_the_questions_read_as_a_new_corpus() -> None:
    # counted, the rule pays (ten unanswerable sums declined, no right answer lost)
    probs, outs = _outcomes(low_mass_right=0)
    assert pick_thresholds(probs, outs)[3] > 0.1
    # read with a table that never counted them, 25 right answers' sentences hold no type the
    # question model expects: the rule would cost more there than it gains counted
    new = _outcomes(low_mass_right=25)
    held, score, _answer, quantity = pick_thresholds(probs, outs, new)
    assert quantity == 0.0 and score == 60 + 60
    # the ceiling is the counted reading's: the new one's 25 refusals do not break it
    assert held


def test_fit_decision_says_how_to_write_missing_folds(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="eval.fit_types --folds"):
        uncounted([SimpleNamespace(set="briefs2")], load_weights(), tmp_path, {}, judge)
