"""`briefqa deals`: filters, JSON, CSV and a clear error for an unwritable CSV path."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from briefqa.cli import main


def test_cli_deals_json_filters_to_the_ct053_licence(
    corpus_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--data-dir", str(corpus_data), "deals", "--kind", "licence", "--asset", "ct053"]
    assert main([*args, "--json"]) == 0
    (deal,) = json.loads(capsys.readouterr().out)
    assert deal["doc_id"] == "briefs/2023-01-ct053-carsgen-huadong"
    assert deal["money"]["upfront"]["text"] == "RMB 200 million (USD 29.5 million)"
    roles = {p["role"]: p["name"] for p in deal["parties"]}
    assert roles == {"licensor": "CARsgen Therapeutics", "licensee": "Huadong Medicine"}
    assert "RMB 200 million" in deal["cites"]["upfront"]["quote"]


def test_cli_deals_table_and_csv(
    corpus_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "deals.csv"
    args = ["--data-dir", str(corpus_data), "deals", "--since", "2025", "--kind", "approval"]
    assert main([*args, "--csv", str(out)]) == 0
    printed = capsys.readouterr().out
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows and all(r["kind"] == "approval" and r["date"] >= "2025" for r in rows)
    assert all(r["doc_id"] in printed for r in rows)


def test_cli_deals_unwritable_csv_is_one_error_line(
    corpus_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "missing-folder" / "deals.csv"
    assert main(["--data-dir", str(corpus_data), "deals", "--csv", str(target)]) == 1
    assert capsys.readouterr().err.startswith("error: cannot write")
