"""The fits behind the reader's weights, on small made-up data whose answer is known."""

from __future__ import annotations

import random

import pytest

from eval.fitting import fit_logistic, fit_ranker
from rag.errors import ConfigError


def _groups() -> list[tuple[list[list[float]], list[int], float]]:
    """Questions of five candidates each. Within a question the right one has the highest
    first feature. Half the questions have none, and the second feature is high for every
    candidate of the other half: it separates right from wrong candidates across questions
    while saying nothing about which candidate of a question is right."""
    rng = random.Random(7)
    groups = []
    for n in range(80):
        level = 1.0 if n % 2 else 0.0
        rows = [[rng.random(), level + rng.random() * 0.1] for _ in range(5)]
        right = max(range(5), key=lambda i: rows[i][0])
        ys = [int(i == right) for i in range(5)]
        if not level:  # half the questions have no right candidate: retrieval missed
            ys = [0] * 5
        groups.append((rows, ys, 1.0))
    return groups


def test_fitting_the_ranker_learns_what_tells_candidates_of_one_question_apart() -> None:
    groups = _groups()
    model = fit_ranker(groups, ("within", "across"))
    answered = [g for g in groups if any(g[1])]
    hits = 0
    for rows, ys, _w in answered:
        best = max(range(len(rows)), key=lambda i: model.probability(rows[i]))
        hits += ys[best]
    assert hits == len(answered)
    # the feature that only says which questions have a right candidate weighs next to nothing
    # (a logistic regression over the candidates alone gives it 0.7 of the other's weight)
    assert abs(model.coef[1]) < 0.1 * model.coef[0]


def test_fitting_the_ranker_gives_probabilities_that_rise_with_its_score() -> None:
    model = fit_ranker(_groups(), ("within", "across"))
    low, high = model.probability([0.1, 1.0]), model.probability([0.9, 1.0])
    assert 0.0 < low < high < 1.0


def test_fitting_the_ranker_weighs_the_close_calls_not_the_candidates_far_below() -> None:
    # the right candidate mostly has the highest first feature, the second nudging it; then each
    # question gets forty candidates far below every other, low in both features
    rng = random.Random(5)
    groups = []
    for _ in range(80):
        rows = [[rng.random(), rng.random()] for _ in range(4)]
        right = max(range(4), key=lambda i: rows[i][0] + 0.3 * rows[i][1] + rng.gauss(0, 0.15))
        groups.append((rows, [int(i == right) for i in range(4)], 1.0))
    padded = [
        (rows + [[rng.random() - 3, -1 - 3 * rng.random()] for _ in range(40)], ys + [0] * 40, w)
        for rows, ys, w in groups
    ]
    plain, far = fit_ranker(groups, ("a", "b")), fit_ranker(padded, ("a", "b"))
    # what the reader picks by, the features' ratio, stays (a pairwise fit, whose pairs are then
    # mostly the easy ones, moves it by 23%); only the calibration moves
    assert far.coef[1] / far.coef[0] == pytest.approx(plain.coef[1] / plain.coef[0], rel=0.01)


def test_fitting_a_logistic_regression_separates_the_labels() -> None:
    rows = [[x / 10] for x in range(10)]
    labels = [int(x >= 5) for x in range(10)]
    model = fit_logistic(rows, labels, [1.0] * 10, ("x",))
    assert model.probability([0.9]) > 0.5 > model.probability([0.0])


def test_fitting_a_model_without_right_or_wrong_examples_says_what_to_do() -> None:
    rows = [[0.1, 0.2], [0.3, 0.4]]
    with pytest.raises(ConfigError, match="too few questions.*--limit"):
        fit_logistic(rows, [1, 1], [1.0, 1.0], ("a", "b"))
    with pytest.raises(ConfigError, match="no examples"):
        fit_ranker([(rows, [0, 0], 1.0)], ("a", "b"))  # a question with no right candidate
