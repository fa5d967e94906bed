"""The reader's fitted weights, kept in one file (`weights.json`, written by `eval/fit_reader.py`):
which entity types answer which questions, and the logistic models that score sentences and
spans and decide whether to answer.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

WEIGHTS_PATH = Path(__file__).with_name("weights.json")
DECISION_FEATURES = (
    "sentence", "span", "subject_doc", "asked_sent", "asked_doc", "dense", "undisclosed",
    "margin", "short", "type", "local", "conflict",
)  # fmt: skip


@dataclass(frozen=True)
class Logistic:
    """A fitted logistic model over named features."""

    features: tuple[str, ...]
    coef: tuple[float, ...]
    intercept: float

    def probability(self, values: Sequence[float]) -> float:
        """P(positive) for one feature vector (in `features` order)."""
        z = self.intercept + sum(c * v for c, v in zip(self.coef, values, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(frozen=True)
class TypeTable:
    """P(an answer's entity type | the question's wh-word and head noun), counted on the
    development sets' answers and backed off to the wh-word alone, then to all questions."""

    by_class: dict[str, dict[str, float]]
    by_wh: dict[str, dict[str, float]]
    prior: dict[str, float]
    class_counts: dict[str, int]
    wh_counts: dict[str, int]
    alpha: float

    def score(self, qclass: str, label: str) -> float:
        """How likely a span of this type answers a question of this class (0..1)."""
        wh = qclass.split("|", 1)[0]
        base = self.prior.get(label, 0.0)
        n_wh = self.wh_counts.get(wh, 0)
        p_wh = (self.by_wh.get(wh, {}).get(label, 0.0) * n_wh + self.alpha * base) / (
            n_wh + self.alpha
        )
        n = self.class_counts.get(qclass, 0)
        return (self.by_class.get(qclass, {}).get(label, 0.0) * n + self.alpha * p_wh) / (
            n + self.alpha
        )


@dataclass(frozen=True)
class Weights:
    """Everything fitted: the type table, the logistic models and the thresholds."""

    types: TypeTable
    sentence: Logistic
    span: Logistic
    decision: Logistic
    answer_threshold: float  # decline below this decision probability
    span_threshold: float  # below this span probability the answer is the sentence
    extra_threshold: float  # further spans join the answer above this probability
    extra_threshold_plural: float  # ... when the question asks for several things
    provenance: dict[str, Any]
    rerank: float = 0.0  # weight of a sentence's best span against its own score (0..1)
    more: Logistic | None = None  # does a further sentence add a part the answer lacks?
    more_threshold: float = 1.01  # a further sentence joins above this probability
    answer_chars: int = 284  # characters the quoted parts of one answer share
    lead_threshold: float = 1.01  # above this, a quoted answer's best span leads it
    # a question whose likeliest answer type is a quantity is declined when the types its quoted
    # sentences hold have less than this probability of answering it (0: never)
    quantity_threshold: float = 0.0


def _logistic(raw: dict[str, Any]) -> Logistic:
    return Logistic(tuple(raw["features"]), tuple(raw["coef"]), float(raw["intercept"]))


def weights_from_dict(raw: dict[str, Any]) -> Weights:
    """Weights from their JSON form."""
    t = raw["types"]
    types = TypeTable(t["by_class"], t["by_wh"], t["prior"], t["class_counts"], t["wh_counts"],
                      float(t["alpha"]))  # fmt: skip
    th = raw["thresholds"]
    return Weights(
        types, _logistic(raw["sentence"]), _logistic(raw["span"]), _logistic(raw["decision"]),
        float(th["answer"]), float(th["span"]), float(th["extra"]), float(th["extra_plural"]),
        raw.get("provenance", {}), float(th.get("rerank", 0.0)),
        _logistic(raw["more"]) if "more" in raw else None, float(th.get("more", 1.01)),
        int(th.get("answer_chars", 284)), float(th.get("lead", 1.01)),
        float(th.get("quantity", 0.0)),
    )  # fmt: skip


@lru_cache(maxsize=4)
def load_weights(path: Path = WEIGHTS_PATH) -> Weights:
    """The weights checked in beside this module (or another file of the same form)."""
    return weights_from_dict(json.loads(path.read_text(encoding="utf-8")))
