"""Evaluation metrics (pure)."""

from __future__ import annotations

import json
from pathlib import Path

from eval.gold import load_gold
from eval.metrics import (
    SHORT_CHARS,
    Result,
    is_correct,
    is_correct_plain,
    is_grounded,
    percentile,
    plain_normal,
    summarize,
    variant_in,
)


def _result(**kw: object) -> Result:
    base: dict[str, object] = {
        "id": "q", "question": "?", "type": "amount", "answer": "", "abstained": False,
        "cited_doc_ids": ("a",), "retrieved_doc_ids": ("a", "b"), "gold_doc_ids": ("a",),
        "answerable": True, "correct": True, "correct_plain": True, "grounded": True,
        "repaired": False, "latency_s": 1.0,
    }  # fmt: skip
    base.update(kw)
    return Result(**base)  # type: ignore[arg-type]


def test_metrics_variant_matches_normalised_numbers() -> None:
    for answer in ("RMB200m", "200 million yuan", "RMB 200,000,000", "rmb 200 million"):
        assert variant_in("RMB 200 million", answer), answer
    assert not variant_in("RMB 200 million", "RMB 250 million")
    assert variant_in("NMPA", "The nmpa approved it")


def test_metrics_variant_figures_must_stand_together() -> None:
    # the day of one date and the year of another are not the date
    wrong_year = "It filed on 28 November 2023. Trading began in 2024."
    assert not variant_in("28 November 2024", wrong_year)
    assert variant_in("28 November 2024", "It listed on 28 Nov. 2024, raising HK$1 billion.")
    assert variant_in("1271–1368", "The dynasty ruled from 1271 to 1368.")
    assert not variant_in("1271–1368", "It began in 1271. Its capital moved in 1368.")


def test_metrics_correct_needs_every_group_and_abstain_for_unanswerable() -> None:
    groups = [["200 million"], ["29.5 million"]]
    assert is_correct("RMB 200 million (USD 29.5 million) [1].", False, groups)
    assert not is_correct("RMB 200 million [1].", False, groups)
    assert not is_correct("RMB 200 million (USD 29.5 million)", True, groups)
    assert is_correct("The briefs don't say.", True, [])
    assert not is_correct("It is 12%.", False, [])


def test_metrics_grounded_ignores_citation_markers() -> None:
    assert is_grounded("It pays RMB 200 million [1].", ["an upfront of RMB 200 million"])
    assert not is_grounded("It pays RMB 250 million [1].", ["an upfront of RMB 200 million"])


def test_metrics_grounded_takes_the_cited_briefs_dates_and_listed_totals() -> None:
    cites = ["the NDA was accepted", "an upfront of USD 40 million", "an upfront of USD 70 million"]
    assert is_grounded("9 October 2023: NDA accepted [1].", cites, ["2023-10-09"])
    assert not is_grounded("9 October 2023: NDA accepted [1].", cites, ["2023-10-08"])
    listed = "USD 110 million in all: A USD 40 million [2]; B USD 70 million [3]."
    assert is_grounded(listed, cites)
    assert not is_grounded(listed.replace("110", "120"), cites)
    assert not is_grounded("USD 40 million in all: A USD 40 million [2].", cites[:1])
    assert not is_grounded("2,093 in all: 2023 [1]; 70 [2].", ["in 2023 and 70 sites"])


def test_metrics_summarize_retrieval_citations_and_abstention() -> None:
    results = [
        _result(retrieved_doc_ids=("b", "a"), cited_doc_ids=("a", "b"), latency_s=1.0),
        _result(correct=False, retrieved_doc_ids=("c",), cited_doc_ids=("c",), latency_s=3.0),
        _result(
            answerable=False,
            abstained=True,
            gold_doc_ids=(),
            cited_doc_ids=(),
            type="unanswerable",
            latency_s=2.0,
        ),  # fmt: skip
        _result(
            answerable=False,
            abstained=False,
            correct=False,
            gold_doc_ids=(),
            type="unanswerable",
            latency_s=2.0,
        ),  # fmt: skip
    ]
    m = summarize(results)
    assert m["accuracy"] == 0.5
    assert (m["hit@1"], m["hit@5"], m["mrr"]) == (0.0, 0.5, 0.25)
    assert m["citation_precision"] == round(1 / 3, 4)  # a, b, c cited on answerable; only a gold
    assert m["citation_recall"] == 0.5
    assert m["abstention_recall"] == 0.5 and m["abstention_precision"] == 1.0
    assert m["false_abstention_rate"] == 0.0
    assert m["latency_p50_s"] == 2.0 and percentile([], 50) == 0.0


def test_metrics_gold_loader_reports_bad_lines(tmp_path: Path) -> None:
    good = {"id": "q1", "question": "Q?", "answers": [["a"]], "doc_ids": ["d"], "type": "name"}
    path = tmp_path / "gold.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps(good),
                "{not json",
                json.dumps({**good, "id": "q2", "answers": "x"}),
                json.dumps(good),
            ]
        )
        + "\n"  # fmt: skip
    )
    items, problems = load_gold(path)
    assert [i.id for i in items] == ["q1"]
    assert [p.split(":")[0] for p in problems] == ["line 2", "line 3", "line 4"]


def test_metrics_correct_with_any_group_needs_one_group() -> None:
    groups = [["USD 29.5 million"], ["RMB 200 million"]]
    assert is_correct("RMB 200m [1].", False, groups, any_group=True)
    assert not is_correct("RMB 200m [1].", False, groups)
    assert not is_correct("RMB 200m [1].", True, groups, any_group=True)


def test_metrics_plain_normal_lowercases_dehyphenates_and_drops_thousands_commas() -> None:
    assert plain_normal("RMB 1,025 million for CT-053") == "rmb 1025 million for ct 053"
    assert plain_normal("1,025,000  and 1,5") == "1025000 and 1,5"


def test_metrics_plain_correct_is_substring_without_number_matching() -> None:
    groups = [["1,025 million"], ["T-Charge"]]
    assert is_correct_plain("RMB 1025 million via the t charge platform [1].", False, groups)
    assert not is_correct_plain("RMB 1025 million [1].", False, groups)
    assert is_correct_plain("RMB 1025 million [1].", False, groups, any_group=True)
    # the plain rule does not read quantities: `is_correct` accepts what it rejects
    assert not is_correct_plain("RMB200m", False, [["200 million"]])
    assert is_correct("RMB200m", False, [["200 million"]])
    assert not is_correct_plain("RMB 1025 million", True, groups)


def test_metrics_plain_correct_unanswerable_only_when_abstained() -> None:
    assert is_correct_plain("The briefs don't say.", True, [])
    assert not is_correct_plain("It was USD 5 million [1].", False, [])


def test_metrics_short_and_correct_counts_markers_in_the_length() -> None:
    fits = "x" * (SHORT_CHARS - 4) + " [1]"
    too_long = "x" * (SHORT_CHARS - 3) + " [1]"
    results = [
        _result(answer=fits, correct=True, correct_plain=True),
        _result(answer=too_long, correct=True, correct_plain=True),
        _result(answer="short [1]", correct=True, correct_plain=False),
        _result(answer="short [1]", correct=False, correct_plain=False),
    ]
    m = summarize(results)
    assert (m["accuracy"], m["plain_accuracy"]) == (0.75, 0.5)
    assert m["short_and_correct"] == 0.5
    assert m["short_and_correct_plain"] == 0.25


def test_metrics_answer_length_percentiles_leave_abstentions_out() -> None:
    results = [_result(answer="a" * n) for n in (10, 20, 30, 40, 50)]
    results.append(_result(answer="The briefs don't say.", abstained=True))
    m = summarize(results)
    assert m["answer_chars_p50"] == 30.0 and m["answer_chars_p90"] == 46.0
    assert summarize([_result(abstained=True)])["answer_chars_p50"] is None


def test_metrics_retrieval_and_citations_skip_items_without_gold_docs() -> None:
    results = [
        _result(retrieved_doc_ids=("a",), cited_doc_ids=("a",)),
        _result(gold_doc_ids=(), retrieved_doc_ids=("x",), cited_doc_ids=("x",)),
        # a near-miss unanswerable names the brief that tempts, which is no citation target
        _result(answerable=False, correct=False, gold_doc_ids=("t",), cited_doc_ids=("t",)),
    ]
    m = summarize(results)
    assert (m["hit@1"], m["hit@5"], m["mrr"]) == (1.0, 1.0, 1.0)
    assert (m["citation_precision"], m["citation_recall"]) == (1.0, 1.0)
