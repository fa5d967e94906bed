"""The type table's neighbour back-off, fitted on made-up rows whose best setting is known."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from eval.fit_types import ALPHA_GRID, TypeRow, count_types, fit_neighbours, fit_question_mix
from rag.reading.model import TypeTable

# three sets that each ask about amounts and dates with heads of their own: a head one set uses
# is never counted on the others, but its nearest counted head answers alike
_HEADS = {
    "a": {"payment": "MONEY", "year": "DATE"},
    "b": {"fee": "MONEY", "date": "DATE"},
    "c": {"price": "MONEY", "day": "DATE"},
}
_MONEY = frozenset(("payment", "fee", "price"))


def _cosine(a: str, b: str) -> float:
    return 1.0 if a == b else 0.8 if (a in _MONEY) == (b in _MONEY) else 0.1


def _rows() -> list[TypeRow]:
    return [
        TypeRow(s, f"what|{head}", (label,))
        for s, heads in _HEADS.items()
        for head, label in heads.items()
        for _ in range(5)
    ]


def test_fit_types_counts_each_set_alike() -> None:
    rows = _rows() + [TypeRow("a", "what|payment", ("MONEY",))] * 90  # one set asks far more
    table = count_types(rows, {"a": 100, "b": 10, "c": 10})
    # weighed per set: set a's hundred questions (95 on amounts) count as much as b's ten
    assert abs(table.by_wh["what"]["MONEY"] - (0.95 + 0.5 + 0.5) / 3) < 1e-9


def test_fit_types_picks_neighbours_when_held_out_heads_have_them() -> None:
    table, report = fit_neighbours(_rows(), {"a": 10, "b": 10, "c": 10}, _cosine)
    assert table.neighbours > 0
    for name, held in report["held_out_log_likelihood"].items():
        assert held > report["without_neighbours"][name]
    assert (
        table.distribution("what|cost", [("what|fee", 0.8), ("what|date", 0.1)])["MONEY"]
        > table.distribution("what|cost")["MONEY"]
    )


def test_fit_types_keeps_neighbours_off_when_they_mislead() -> None:
    # the nearest head answers with the other type: the wh-word alone predicts better
    flipped = lambda a, b: 1.0 if a == b else 0.1 if (a in _MONEY) == (b in _MONEY) else 0.8  # noqa: E731
    table, report = fit_neighbours(_rows(), {"a": 10, "b": 10, "c": 10}, flipped)
    assert table.neighbours == 0
    assert report["held_out_log_likelihood"] == report["without_neighbours"]


def _worded_rows(informative: bool) -> list[TypeRow]:
    """Rows whose questions' embeddings (made up, two dimensions) say their type: amounts lie
    along the first axis, dates along the second; or, not `informative`, say nothing."""
    out = []
    for row in _rows():
        money = row.labels == ("MONEY",)
        vector = (1.0, 0.1) if money else (0.1, 1.0)
        out.append(replace(row, vector=vector if informative else (0.5, 0.5)))
    return out


def _fit_worded(rows: list[TypeRow]) -> tuple[TypeTable, dict[str, Any]]:
    """The question model's settings fitted on the rows, with heads that say nothing across
    sets (no neighbours): (the table, the fit's report)."""
    sizes = {"a": 10, "b": 10, "c": 10}
    exact = lambda a, b: 1.0 if a == b else 0.0  # noqa: E731
    table, _ = fit_neighbours(rows, sizes, exact)
    return fit_question_mix(rows, sizes, table, exact)


def test_fit_types_mixes_the_question_model_in_when_words_say_the_type() -> None:
    # the heads alone say nothing held out (no neighbours): the words must
    fitted, report = _fit_worded(_worded_rows(informative=True))
    assert fitted.mix > 0 and fitted.question is not None
    for name, held in report["held_out_log_likelihood"].items():
        assert held > report["without_question_model"][name]
    asked = fitted.question.distribution((1.0, 0.1))
    assert max(asked, key=asked.__getitem__) == "MONEY"
    assert (
        fitted.distribution("what|cost", (), asked)["MONEY"]
        > fitted.distribution("what|cost")["MONEY"]
    )


def test_fit_types_keeps_the_question_model_out_when_words_say_nothing() -> None:
    fitted, report = _fit_worded(_worded_rows(informative=False))
    assert fitted.mix == 0.0 and fitted.mix_counted == 0.0
    assert report["held_out_log_likelihood"] == report["without_question_model"]


def test_fit_types_mixes_the_question_model_into_a_class_that_pools_questions() -> None:
    # every set asks "what is ..." for amounts and dates alike: the class is counted everywhere
    # and says nothing held out, the question's words tell the two apart
    fitted, report = _fit_worded(
        [replace(row, qclass="what|") for row in _worded_rows(informative=True)]
    )
    assert fitted.mix_counted > 0 and fitted.question is not None
    for name, held in report["held_out_log_likelihood"].items():
        assert held > report["never_counted_only"][name]
    asked = fitted.question.distribution((1.0, 0.1))
    mixed = fitted.distribution("what|", (), asked)
    assert mixed["MONEY"] > fitted.distribution("what|")["MONEY"]
    assert abs(sum(mixed.values()) - 1.0) < 1e-9


def _classed(labels: dict[str, dict[str, str]], filler: tuple[str, ...] = ()) -> list[TypeRow]:
    """Five rows per set and class (`labels`: set -> class -> its answers' type), and one per
    type of `filler` in a class of its own, whose question embeddings say nothing."""
    rows = [
        TypeRow(s, qclass, (label,), (0.5, 0.5))
        for s, classes in labels.items()
        for qclass, label in classes.items()
        for _ in range(5)
    ]
    return rows + [TypeRow(s, "what|thing", (f,), (0.5, 0.5)) for s in labels for f in filler]


def test_fit_types_trusts_a_class_s_own_counts_when_every_set_agrees() -> None:
    agree = {s: {"what|amount": "MONEY", "what|year": "DATE"} for s in "abc"}
    fitted, _report = _fit_worded(_classed(agree))
    assert fitted.alpha == min(ALPHA_GRID)


def test_fit_types_leans_on_the_back_off_when_sets_read_a_class_apart() -> None:
    # "what|figure" is a sum in one set, a date in another, a share in the third: counted on
    # two sets it says little of the third, and the wh-word's spread says more
    apart = {"a": {"what|figure": "MONEY"}, "b": {"what|figure": "DATE"},
             "c": {"what|figure": "PERCENT"}}  # fmt: skip
    fitted, _report = _fit_worded(_classed(apart, ("MONEY", "DATE", "PERCENT") * 5))
    assert fitted.alpha == max(ALPHA_GRID)
