"""The fitted weights: loading, the type table's back-off, logistic scores."""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path

import pytest

from rag.errors import ConfigError
from rag.reading.candidates import SENTENCE_FEATURES, SPAN_FEATURES
from rag.reading.model import (
    DECISION_FEATURES,
    WEIGHTS_PATH,
    Logistic,
    QuestionTypes,
    TypeTable,
    Weights,
    configured_weights,
    load_weights,
    weights_from_dict,
)
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
    assert (
        table.distribution("how much|payment")["MONEY"]
        > table.distribution("how much|fee")["MONEY"]
    )
    assert table.distribution("how much|fee")["MONEY"] > table.distribution("how much|fee")["DATE"]
    assert table.distribution("when|")["DATE"] > 0.8
    assert abs(table.distribution("whither|")["NP"] - 0.4) < 1e-9  # an unseen wh-word: the prior


def test_model_type_table_backs_an_unseen_head_off_to_its_nearest_counted_heads() -> None:
    table = TypeTable(
        by_class={"what|payment": {"MONEY": 1.0}, "what|year": {"DATE": 1.0}},
        by_wh={"what": {"MONEY": 0.3, "DATE": 0.3, "NP": 0.4}},
        prior={"MONEY": 0.3, "DATE": 0.3, "NP": 0.4},
        class_counts={"what|payment": 10, "what|year": 10}, wh_counts={"what": 40}, alpha=3.0,
        neighbours=1, floor=0.3, pull=1.0,
    )  # fmt: skip
    # "price" was never counted; it means what "payment" does, not what "year" does
    near = [("what|payment", 0.7), ("what|year", 0.2)]
    price = table.distribution("what|price", near)
    assert price["MONEY"] > 0.8 > table.distribution("what|price")["MONEY"]
    assert abs(sum(price.values()) - 1.0) < 1e-9
    # no neighbour above the floor, or none allowed: the wh-word's distribution as before
    far = table.distribution("what|price", [("what|payment", 0.25)])
    assert far == table.distribution("what|price")
    off = replace(table, neighbours=0)
    assert off.distribution("what|price", near) == table.distribution("what|price")
    # a counted class keeps its own back-off: the models downstream were fitted on it
    assert table.distribution("what|year", near) == table.distribution("what|year")


def test_model_question_model_reads_a_type_and_weighs_its_share_of_the_back_off() -> None:
    question = QuestionTypes(("DATE", "MONEY", "NP"), ((0.0, 4.0), (4.0, 0.0), (0.0, 0.0)),
                             (0.0, 0.0, 1.0))  # fmt: skip
    asked = question.distribution((1.0, 0.0))
    assert max(asked, key=asked.__getitem__) == "MONEY"
    assert abs(sum(asked.values()) - 1.0) < 1e-9
    table = TypeTable(
        by_class={"what|year": {"DATE": 1.0}},
        by_wh={"what": {"MONEY": 0.3, "DATE": 0.3, "NP": 0.4}},
        prior={"MONEY": 0.3, "DATE": 0.3, "NP": 0.4}, class_counts={"what|year": 10},
        wh_counts={"what": 40}, alpha=3.0, question=question, mix=0.5,
    )  # fmt: skip
    # a class never counted: half its back-off is what the words ask for
    worded = table.distribution("what|upfront", (), asked)
    assert worded["MONEY"] > table.distribution("what|upfront")["MONEY"]
    assert abs(sum(worded.values()) - 1.0) < 1e-9
    # a counted class, or no share, keeps the table's own distribution
    assert table.distribution("what|year", (), asked) == table.distribution("what|year")
    assert replace(table, mix=0.0).distribution("what|upfront", (), asked) == (
        table.distribution("what|upfront")
    )
    # with a share of counted classes, a counted class moves toward the words too
    pooled = replace(table, mix_counted=0.5).distribution("what|year", (), asked)
    assert pooled["MONEY"] > table.distribution("what|year")["MONEY"]
    assert abs(sum(pooled.values()) - 1.0) < 1e-9


def test_model_question_model_round_trips_through_its_json_form() -> None:
    from eval.fit_reader import weights_to_dict

    w = load_weights()
    question = QuestionTypes(("DATE", "MONEY"), ((0.0, 0.0), (1.5, -2.0)), (0.0, 0.25), "m")
    types = replace(w.types, question=question, mix=0.35, mix_counted=0.2)
    back = weights_from_dict(weights_to_dict(replace(w, types=types))).types
    assert back.question == question and back.mix == 0.35 and back.mix_counted == 0.2
    # it reads only the embeddings of the model it was fitted on, of their size
    assert question.reads("m", (1.0, 0.0))
    assert not question.reads("other", (1.0, 0.0)) and not question.reads("m", (1.0,) * 3)


def test_model_every_threshold_round_trips_through_its_json_form() -> None:
    from eval.fit_reader import weights_to_dict

    w = load_weights()
    # every number, a distinct value each: a threshold read into another's field shows
    numbers = [f.name for f in fields(Weights) if f.type in ("float", "int")]
    changed = replace(w, **{name: n + 2 for n, name in enumerate(numbers)})
    back = weights_from_dict(weights_to_dict(changed))
    assert back == changed


def test_model_logistic_is_monotone_in_a_positive_weight() -> None:
    m = Logistic(("a", "b"), (2.0, -1.0), 0.0)
    assert m.probability([1.0, 0.0]) > m.probability([0.0, 0.0]) > m.probability([0.0, 1.0])


def test_model_configured_weights_read_a_file_or_say_what_to_do(tmp_path: Path) -> None:
    assert configured_weights(None) is None  # the checked-in ones
    copy = tmp_path / "weights.json"
    copy.write_text(WEIGHTS_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    assert configured_weights(copy) == load_weights()
    with pytest.raises(ConfigError, match="BRIEFQA_READER_WEIGHTS"):
        configured_weights(tmp_path / "missing.json")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot read the reader weights"):
        configured_weights(tmp_path / "broken.json")
