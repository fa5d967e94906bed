"""The two fits the reader's models use: a weighted logistic regression (scikit-learn), and a
ranker that learns which candidate of one question is the answer (scipy's optimiser)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rag.errors import ConfigError
from rag.reading.model import Logistic, QuestionTypes

# the sentence ranker's L2 strength is 1/RANKER_C. Fitted on two sets and ranking the third,
# C = 1 to 100 came within two questions of each other (1 lowest on the brief sets); end to
# end 3 read better than 30 on four of six readings, worse on one (README)
RANKER_C = 3.0


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
               names: tuple[str, ...], c: float = RANKER_C) -> Logistic:  # fmt: skip
    """A listwise ranker calibrated as a probability. `groups` holds, per question, its
    candidates' features, their labels and the question's weight.

    The reader keeps a question's best candidate, so the weights are those of a conditional
    logit: a softmax over each question's candidates, fitted to put the probability on its
    right ones (L2 of strength `1/c`, minimised by scipy's L-BFGS): the one-candidate choice
    the reader makes. A pairwise fit weighs every (right, wrong) pair alike, so a question's many
    easy wrong candidates outvote the one close call that decides it. A one-feature logistic
    regression on the ranking score then maps it to a probability (Platt scaling), which the
    span and decision models read."""
    import numpy as np
    from scipy.optimize import minimize
    from scipy.special import logsumexp

    data = [(np.asarray(rows, dtype=float), np.asarray(ys, dtype=bool), weight)
            for rows, ys, weight in groups if any(ys) and not all(ys)]  # fmt: skip
    _two_classes([y for _rows, ys, _w in data for y in ys], names)
    mean = sum(w for _rows, _ys, w in data) / len(data)

    def loss(b: Any) -> tuple[float, Any]:
        total, grad = 0.5 / c * float(b @ b), b / c
        for x, y, weight in data:
            s = x @ b
            every, right = logsumexp(s), logsumexp(s[y])
            # d/db of (log sum over all - log sum over right): softmax(all) - softmax(right)
            shares = np.exp(s - every) - np.where(y, np.exp(s - right), 0.0)
            total += weight / mean * float(every - right)
            grad = grad + weight / mean * (x.T @ shares)
        return total, grad

    coef = [float(v) for v in minimize(loss, np.zeros(len(names)), jac=True,
                                       method="L-BFGS-B").x]  # fmt: skip
    scores, flat, sw = [], [], []
    for rows, ys, weight in groups:
        scores += [[sum(k * v for k, v in zip(coef, row, strict=True))] for row in rows]
        flat += ys
        sw += [weight / len(rows)] * len(rows)
    platt = fit_logistic(scores, flat, sw, ("rank",))
    scale = platt.coef[0]
    # "+ 0.0": a weight rounded to nothing is written 0.0, not -0.0
    return Logistic(names, tuple(round(k * scale, 4) + 0.0 for k in coef), platt.intercept)


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
