"""The reader's fitted weights, kept in one file (`weights.json`, written by `eval/fit_reader.py`):
which entity types answer which questions, and the logistic models that score sentences and
spans and decide whether to answer.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from rag.errors import ConfigError

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
class QuestionTypes:
    """P(an answer's entity type | the question's words): a multinomial logistic regression on
    the embedding of the question without its names. It reads what is asked from every word
    ("how much came up front", "Orion Bio CEO?"), not from a wh-word and head noun alone,
    so a wording the sets never used still gets a type."""

    labels: tuple[str, ...]
    coef: tuple[tuple[float, ...], ...]  # one row per label, one column per embedding dimension
    intercept: tuple[float, ...]
    embedder: str = ""  # the embedding model it was fitted on (the `embed_model` setting)

    def reads(self, embedder: str, vector: Sequence[float]) -> bool:
        """Whether it can read this embedding: from the model it was fitted on, of its size
        (another embedder's space means nothing to it)."""
        return embedder == self.embedder and len(vector) == len(self.coef[0])

    @cached_property
    def _matrix(self) -> Any:
        import numpy as np

        return np.asarray(self.coef, dtype=np.float64), np.asarray(self.intercept)

    def distribution(self, vector: Sequence[float]) -> dict[str, float]:
        """P(type) for a question's embedding (a softmax over the labels)."""
        import numpy as np

        coef, intercept = self._matrix
        z = coef @ np.asarray(vector, dtype=np.float64) + intercept
        p = np.exp(z - z.max())
        return dict(zip(self.labels, map(float, p / p.sum()), strict=True))


@dataclass(frozen=True)
class TypeTable:
    """P(an answer's entity type | the question's wh-word and head noun), counted on the
    development sets' answers and backed off to the wh-word alone, then to all questions. A
    class never counted backs off first to the counted classes whose head nouns mean the
    nearest thing ("price" is near "payment" and "fee"): most heads a new corpus's questions
    use were never counted, and their neighbours' types say more than the wh-word's."""

    by_class: dict[str, dict[str, float]]
    by_wh: dict[str, dict[str, float]]
    prior: dict[str, float]
    class_counts: dict[str, int]
    wh_counts: dict[str, int]
    alpha: float
    neighbours: int = 0  # counted classes a head backs off to (0: none, straight to the wh-word)
    floor: float = 0.0  # a neighbour weighs its head's cosine above this (times its count)
    pull: float = 1.0  # pseudo-counts of the wh-word's distribution among the neighbours
    question: QuestionTypes | None = None  # the types a question's words ask for
    mix: float = 0.0  # that model's share of a never-counted class's back-off (0: unused)
    # its share of a counted class's distribution: a class pools questions that ask for other
    # things ("what|" holds every "what is" question), and the words tell them apart
    mix_counted: float = 0.0

    def headed(self) -> list[tuple[str, str]]:
        """The counted classes that have a head noun, with that noun (the neighbours a head may
        have)."""
        return [(c, head) for c in self.class_counts if (head := c.split("|", 1)[1])]

    def worded(self, qclass: str) -> QuestionTypes | None:
        """The question model where it has a share in this class's distribution (`mix` for a
        class never counted, `mix_counted` for a counted one; None where that share is 0)."""
        counted = self.class_counts.get(qclass, 0) > 0
        return self.question if (self.mix_counted if counted else self.mix) > 0 else None

    def distribution(
        self, qclass: str, near: Sequence[tuple[str, float]] = (),
        asked: Mapping[str, float] | None = None,
    ) -> dict[str, float]:  # fmt: skip
        """P(type | class) for every type; `near` holds counted classes with the cosine of
        their head noun to this class's (the nearest `neighbours` are used), `asked` what the
        question model reads in the question's words (`question`; weighs `mix` in the back-off
        of a class never counted, `mix_counted` of a counted class's distribution)."""
        wh = qclass.split("|", 1)[0]
        n_wh = self.wh_counts.get(wh, 0)
        of_wh = self.by_wh.get(wh, {})
        base = {
            label: (of_wh.get(label, 0.0) * n_wh + self.alpha * p) / (n_wh + self.alpha)
            for label, p in self.prior.items()
        }
        n = self.class_counts.get(qclass, 0)
        own = self.by_class.get(qclass, {})
        # a counted class keeps the back-off the models downstream were fitted with
        nearest = sorted((c for c in near if c[0] != qclass), key=lambda c: -c[1]) if not n else []
        weights = [(c, max(0.0, cos - self.floor) * self.class_counts.get(c, 0))
                   for c, cos in nearest[: self.neighbours]]  # fmt: skip
        total = sum(w for _, w in weights)
        if total > 0:
            mixed = {label: sum(w * self.by_class[c].get(label, 0.0) for c, w in weights)
                     for label in base}  # fmt: skip
            base = {k: (mixed[k] + self.pull * p) / (total + self.pull) for k, p in base.items()}
        if not n and asked:
            base = _blend(base, asked, self.mix)
        out = {
            k: (own.get(k, 0.0) * n + self.alpha * p) / (n + self.alpha) for k, p in base.items()
        }
        return _blend(out, asked, self.mix_counted) if n and asked else out


def _blend(dist: dict[str, float], asked: Mapping[str, float], share: float) -> dict[str, float]:
    """`dist` with `share` of its mass moved to `asked` (over `dist`'s labels)."""
    if not share:
        return dist
    return {k: (1 - share) * p + share * asked.get(k, 0.0) for k, p in dist.items()}


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
    q = t.get("question")
    question = (
        QuestionTypes(tuple(q["labels"]), tuple(map(tuple, q["coef"])), tuple(q["intercept"]),
                      str(q.get("embedder", "")))
        if q else None
    )  # fmt: skip
    types = TypeTable(t["by_class"], t["by_wh"], t["prior"], t["class_counts"], t["wh_counts"],
                      float(t["alpha"]), int(t.get("neighbours", 0)), float(t.get("floor", 0.0)),
                      float(t.get("pull", 1.0)), question, float(t.get("mix", 0.0)),
                      float(t.get("mix_counted", 0.0)))  # fmt: skip
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


def configured_weights(path: Path | None) -> Weights | None:
    """The weights a setting names (None when it names none: the checked-in ones), or an error
    that says what to do."""
    if path is None:
        return None
    try:
        return load_weights(Path(path))
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(
            f"cannot read the reader weights {path} ({exc}); unset BRIEFQA_READER_WEIGHTS for "
            "the checked-in ones, or write them with `python -m eval.fit_reader --out FILE`"
        ) from exc
