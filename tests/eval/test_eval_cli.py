"""`briefqa eval` on a user's own corpus and gold file, and `--compare`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefqa.cli import main
from rag.ledger.db import Ledger
from tests.conftest import write_brief


def test_eval_cli_writes_reports_and_compares(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "mine"
    write_brief(corpus, "2024-01-a.md", "Acme licenses AX-1 to Beta",
                "Acme will receive USD 9 million upfront for AX-1.")  # fmt: skip
    write_brief(corpus, "2024-02-b.md", "Gamma raises Series B", "Gamma raised RMB 300 million "
                "in a Series B round led by Delta Capital.")  # fmt: skip
    gold = tmp_path / "gold.jsonl"
    rows = [
        {"id": "g1", "question": "How much does Acme receive upfront for AX-1?",
         "answers": [["9 million"]], "doc_ids": ["2024-01-a"], "type": "amount"},
        "this line is broken",
        {"id": "g2", "question": "Who won the 2022 FIFA World Cup?", "answers": [],
         "doc_ids": [], "type": "unanswerable"},
    ]  # fmt: skip
    gold.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    base = ["--data-dir", str(tmp_path / "data"), "eval", "--gold", str(gold), "--corpus",
            str(corpus), "--backend", "extractive"]  # fmt: skip

    assert main([*base, "--out", str(tmp_path / "run1")]) == 0
    captured = capsys.readouterr()
    assert "line 2" in captured.err and "skipped" in captured.err
    run = tmp_path / "run1"
    assert {p.name for p in run.iterdir()} == {
        "results.jsonl",
        "summary.json",
        "report.md",
        "report.html",
    }
    results = [json.loads(line) for line in (run / "results.jsonl").read_text().splitlines()]
    assert [r["id"] for r in results] == ["g1", "g2"]
    assert {"id", "question", "type", "answer", "abstained", "cited_doc_ids", "retrieved_doc_ids",
            "correct", "grounded", "repaired", "latency_s"} <= set(results[0])  # fmt: skip
    assert results[0]["correct"] and results[1]["abstained"]
    summary = json.loads((run / "summary.json").read_text())
    assert summary["overall"]["accuracy"] == 1.0 and summary["settings"]["backend"] == "extractive"
    assert set(summary["by_type"]) == {"amount", "unanswerable"}
    assert "<svg" in (run / "report.html").read_text()

    assert main([*base, "--out", str(tmp_path / "run2"), "--limit", "1"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(tmp_path / "data"), "eval", "--compare",
                 str(run), str(tmp_path / "run2")]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "accuracy" in out and "right -> wrong: 0" in out


def test_eval_cli_keeps_an_eval_corpus_out_of_the_main_deal_ledger(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine, other = tmp_path / "mine", tmp_path / "other"
    write_brief(mine, "2024-01-a.md", "Acme licenses AX-1 to Beta", "Acme will receive USD 9 "
                "million upfront from Beta for AX-1.", companies=("Acme", "Beta"))  # fmt: skip
    write_brief(other, "2024-02-b.md", "Gamma raises Series B", "Gamma raised RMB 300 million "
                "in a Series B round.", companies=("Gamma",))  # fmt: skip
    gold = tmp_path / "gold.jsonl"
    line = {"id": "g1", "question": "How much did Gamma raise?", "answers": [["300 million"]],
            "type": "amount"}  # fmt: skip
    gold.write_text(json.dumps(line) + "\n")
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "ingest", "--quiet", str(mine)]) == 0
    assert main(["--data-dir", str(data), "eval", "--gold", str(gold), "--corpus", str(other),
                 "--backend", "extractive", "--out", str(tmp_path / "run")]) == 0  # fmt: skip
    capsys.readouterr()

    def docs(path: Path) -> set[str]:
        return {e.doc_id for e in Ledger(path).events()}

    # the main ledger holds the main corpus alone, and the eval corpus has a ledger of its own
    assert docs(data / "ledger.sqlite") == {"2024-01-a"}
    (own,) = [p for p in data.glob("ledger-*.sqlite")]
    assert docs(own) == {"2024-02-b"}
