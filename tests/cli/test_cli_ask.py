"""`briefqa ask`: JSON shape, filters and the empty-index error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefqa.cli import main
from tests.conftest import write_brief


def test_cli_ask_json_has_the_documented_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BRIEFQA_LLM_BACKEND", "extractive")
    root = tmp_path / "briefs"
    write_brief(root, "2024-01-a.md", "Acme licenses AX-1 to Beta", "Acme will receive USD 9 "
                "million upfront for AX-1.", companies=["Acme Bio", "Beta Pharma"])  # fmt: skip
    write_brief(root, "2021-05-b.md", "Gamma raises a Series B", "Gamma raised RMB 300 million.",
                date="2021-05-02", companies=["Gamma"])  # fmt: skip
    data = str(tmp_path / "data")
    assert main(["--data-dir", data, "ingest", str(root), "--quiet"]) == 0
    capsys.readouterr()

    assert (
        main(["--data-dir", data, "ask", "How much does Acme get upfront for AX-1?", "--json"]) == 0
    )
    answer = json.loads(capsys.readouterr().out)
    assert {"answer", "abstained", "citations", "retrieved_doc_ids"} <= set(answer)
    assert "USD 9 million" in answer["answer"] and not answer["abstained"]
    assert {"n", "doc_id", "title", "text"} <= set(answer["citations"][0])
    assert answer["citations"][0]["doc_id"] == "2024-01-a"

    assert (
        main(["--data-dir", data, "ask", "How much was raised?", "--since", "2022", "--json"]) == 0
    )
    assert json.loads(capsys.readouterr().out)["retrieved_doc_ids"] == ["2024-01-a"]

    asked = "How much does Acme get upfront?"
    assert main(["--data-dir", data, "ask", asked, "--company", "acme"]) == 0
    out = capsys.readouterr().out
    assert "sources:" in out and "[1] Acme licenses AX-1 to Beta" in out


def test_cli_ask_declined_shows_each_closest_passage_s_opening(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BRIEFQA_LLM_BACKEND", "extractive")
    root = tmp_path / "briefs"
    write_brief(root, "2024-01-a.md", "Acme's AX-1 gets FDA Breakthrough Therapy designation",
                "The FDA granted Breakthrough Therapy designation to Acme's AX-1 in March 2024. "
                + "AX-1 is an oral KRAS inhibitor in a Phase 2 trial. " * 12,
                companies=["Acme Bio"])  # fmt: skip
    data = str(tmp_path / "data")
    assert main(["--data-dir", data, "ingest", str(root), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", data, "ask", "When did the FDA approve AX-1?"]) == 0
    out = capsys.readouterr().out
    assert "The briefs don't say." in out and "closest passages:" in out
    listed = out.split("closest passages:")[1].splitlines()
    openings = [line.strip() for line in listed if line.strip().startswith("“")]
    entries = [line for line in listed if line.startswith("  - ")]
    # one opening per passage, on one line, never longer than a line of the terminal
    assert entries and len(openings) == len(entries)
    assert all(len(line) <= 165 for line in openings)


def test_cli_ask_on_empty_index_says_run_ingest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(tmp_path), "ask", "anything?"]) == 1
    assert capsys.readouterr().err.strip() == "error: the index is empty; run briefqa ingest"
