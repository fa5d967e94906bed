"""The fitted weights: loading, the type table's back-off, logistic scores."""

from __future__ import annotations

from rag.reading.candidates import SENTENCE_FEATURES, SPAN_FEATURES
from rag.reading.model import DECISION_FEATURES, Logistic, TypeTable, load_weights
from rag.reading.parts import PART_FEATURES


def test_model_checked_in_weights_match_the_features() -> None:
    w = load_weights()
    assert w.sentence.features == SENTENCE_FEATURES and len(w.sentence.coef) == len(
        SENTENCE_FEATURES
    )
    assert w.span.features == SPAN_FEATURES and len(w.span.coef) == len(SPAN_FEATURES)
    assert w.decision.features == DECISION_FEATURES
    assert w.more is not None and w.more.features == PART_FEATURES
    assert w.provenance.get("fitted_by", "").startswith("python -m eval.fit_reader")


def test_model_type_table_backs_off_to_the_wh_word() -> None:
    table = TypeTable(
        by_class={"how much|payment": {"MONEY": 1.0}},
        by_wh={"how much": {"MONEY": 0.8, "CARDINAL": 0.2}, "when": {"DATE": 1.0}},
        prior={"MONEY": 0.3, "DATE": 0.3, "NP": 0.4},
        class_counts={"how much|payment": 10}, wh_counts={"how much": 20, "when": 20}, alpha=3.0,
    )  # fmt: skip
    assert table.score("how much|payment", "MONEY") > table.score("how much|fee", "MONEY")
    assert table.score("how much|fee", "MONEY") > table.score("how much|fee", "DATE")
    assert table.score("when|", "DATE") > 0.8
    assert abs(table.score("whither|", "NP") - 0.4) < 1e-9  # an unseen wh-word: the prior


def test_model_logistic_is_monotone_in_a_positive_weight() -> None:
    m = Logistic(("a", "b"), (2.0, -1.0), 0.0)
    assert m.probability([1.0, 0.0]) > m.probability([0.0, 0.0]) > m.probability([0.0, 1.0])
