"""Evaluation outputs (`eval/report.py`): the new figures reach every file."""

from __future__ import annotations

import json
from pathlib import Path

from eval.metrics import Result, summarize, summarize_by_type
from eval.report import write_reports


def _result(rid: str, answer: str, correct: bool, plain: bool, any_group: bool = False) -> Result:
    return Result(
        id=rid, question="How much?", type="amount", answer=answer, abstained=False,
        cited_doc_ids=("a",), retrieved_doc_ids=("a",), gold_doc_ids=("a",), answerable=True,
        correct=correct, correct_plain=plain, grounded=True, repaired=False, latency_s=0.5,
        expected=(("USD 5 million",), ("RMB 36 million",)), any_group=any_group,
    )  # fmt: skip


def test_report_writes_short_and_correct_beside_accuracy(tmp_path: Path) -> None:
    results = [
        _result("q1", "USD 5 million [1].", True, True),
        _result("q2", "USD 5m [1].", True, False),
        _result("q3", "about USD 6 million [1].", False, False, any_group=True),
    ]
    summary = {"overall": summarize(results), "by_type": summarize_by_type(results),
               "settings": {"backend": "extractive"}}  # fmt: skip
    write_reports(tmp_path, results, summary)

    rows = [json.loads(line) for line in (tmp_path / "results.jsonl").read_text().splitlines()]
    assert [(r["correct_plain"], r["any_group"]) for r in rows] == [
        (True, False), (False, False), (False, True),
    ]  # fmt: skip
    overall = json.loads((tmp_path / "summary.json").read_text())["overall"]
    assert overall["short_and_correct"] == round(2 / 3, 4)
    assert overall["short_and_correct_plain"] == round(1 / 3, 4)
    assert overall["answer_chars_p50"] == 18.0
    lines = (tmp_path / "report.md").read_text().splitlines()
    names = [line.split(" | ")[0].lstrip("| ") for line in lines if line.startswith("| ")]
    assert names[1:5] == ["accuracy", "short_and_correct", "plain_accuracy",
                          "short_and_correct_plain"]  # fmt: skip
    assert "| amount | 3 | 0.667 | 0.667 | 0.333 |" in "\n".join(lines)
    assert "- expected: (USD 5 million) OR (RMB 36 million)" in lines
    assert "short_and_correct" in (tmp_path / "report.html").read_text()
