"""The two fits the reader's models use: a weighted logistic regression, and a ranker that
learns which candidate of one question is the answer (scikit-learn both)."""

from __future__ import annotations

import random
from collections.abc import Sequence

from rag.errors import ConfigError
from rag.reading.model import Logistic, QuestionTypes

# a long brief gives hundreds of pairs; each question's pairs share its weight whatever their
# number, so the cap bounds the fit's size and cost, not any question's say
PAIRS_PER_QUESTION = 30


def fit_logistic(rows: list[list[float]], labels: list[int], weights: list[float],
                 names: tuple[str, ...]) -> Logistic:  # fmt: skip
    """A logistic regression (scikit-learn, L2, balanced by the given sample weights)."""
    from sklearn.linear_model import LogisticRegression

    _two_classes(labels, names)
    # sample weights rescaled to mean 1: their scale would otherwise set the regularisation
    mean = sum(weights) / len(weights)
    model = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced")
    model.fit(rows, labels, sample_weight=[w / mean for w in weights])
    return Logistic(names, tuple(round(float(c), 4) for c in model.coef_[0]),
                    round(float(model.intercept_[0]), 4))  # fmt: skip


def fit_ranker(groups: Sequence[tuple[list[list[float]], list[int], float]],
               names: tuple[str, ...]) -> Logistic:  # fmt: skip
    """A pairwise ranker calibrated as a probability. `groups` holds, per question, its
    candidates' features, their labels and the question's weight.

    The reader keeps a question's best candidate, so the weights are fitted on the differences
    between a right and a wrong candidate of the same question (a logistic regression without
    intercept on those differences), not on every candidate alone: what makes one sentence
    better than its neighbours, not what makes sentences right in general. A one-feature
    logistic regression on the ranking score then maps it to a probability (Platt scaling),
    which the span and decision models read."""
    from sklearn.linear_model import LogisticRegression

    rng = random.Random(0)  # the same pairs on every run: the fit is reproducible
    diffs: list[list[float]] = []
    labels: list[int] = []
    weights: list[float] = []
    for rows, ys, weight in groups:
        pairs = [(p, n) for p, yp in enumerate(ys) if yp for n, yn in enumerate(ys) if not yn]
        if len(pairs) > PAIRS_PER_QUESTION:
            pairs = rng.sample(pairs, PAIRS_PER_QUESTION)
        for p, n in pairs:
            d = [a - b for a, b in zip(rows[p], rows[n], strict=True)]
            # both orders: the classes balance and the model stays without intercept
            diffs += [d, [-x for x in d]]
            labels += [1, 0]
            weights += [weight / len(pairs)] * 2
    _two_classes(labels, names)
    mean = sum(weights) / len(weights)
    model = LogisticRegression(C=1.0, max_iter=2000, fit_intercept=False)
    model.fit(diffs, labels, sample_weight=[w / mean for w in weights])
    coef = [float(c) for c in model.coef_[0]]
    scores, flat, sw = [], [], []
    for rows, ys, weight in groups:
        scores += [[sum(c * v for c, v in zip(coef, row, strict=True))] for row in rows]
        flat += ys
        sw += [weight / len(rows)] * len(rows)
    platt = fit_logistic(scores, flat, sw, ("rank",))
    scale = platt.coef[0]
    return Logistic(names, tuple(round(c * scale, 4) for c in coef), platt.intercept)


def fit_softmax(rows: list[list[float]], labels: list[str], weights: list[float],
                c: float, embedder: str = "") -> QuestionTypes:  # fmt: skip
    """A multinomial logistic regression (scikit-learn, L2 of strength `1/c`, sample weights
    rescaled to mean 1) as a `QuestionTypes` over the labels seen (two at least), on the
    embeddings of the model named `embedder`."""
    from sklearn.linear_model import LogisticRegression

    mean = sum(weights) / len(weights)
    model = LogisticRegression(C=c, max_iter=3000)
    model.fit(rows, labels, sample_weight=[w / mean for w in weights])
    coef = [[float(v) for v in row] for row in model.coef_]
    intercept = [float(v) for v in model.intercept_]
    if len(model.classes_) == 2:  # one row, for the second class: a softmax over (0, row)
        coef, intercept = [[0.0] * len(coef[0]), coef[0]], [0.0, intercept[0]]
    return QuestionTypes(tuple(str(label) for label in model.classes_),
                         tuple(map(tuple, coef)), tuple(intercept), embedder)  # fmt: skip


def _two_classes(labels: Sequence[int], names: tuple[str, ...]) -> None:
    """A model needs right and wrong examples both; a quick fit on a few questions may lack one."""
    if len(set(labels)) < 2:
        kind = "no examples" if not labels else f"only {'right' if labels[0] else 'wrong'} ones"
        raise ConfigError(
            f"too few questions to fit the model over {', '.join(names[:3])}, ...: {kind}; "
            "fit on more of them (a larger --limit, or none)"
        )
