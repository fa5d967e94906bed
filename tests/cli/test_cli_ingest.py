"""The CLI as a function: exit codes, JSON outputs and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from briefqa.cli import main
from tests.conftest import write_brief

COUNT_KEYS = {"added", "updated", "unchanged", "deleted", "skipped", "chunks", "seconds"}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "briefs"
    write_brief(root, "2024-01-a.md", "CLI brief", "Acme receives USD 9m upfront for AX-1.")
    (root / "empty.txt").write_bytes(b"")
    return root


def test_cli_ingest_json_and_status_json(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "data")
    assert main(["--data-dir", data, "ingest", str(folder), "--json"]) == 0
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert set(report) >= COUNT_KEYS
    assert (report["added"], report["skipped"], report["chunks"]) == (1, 1, 1)
    assert report["details"]["skipped"] == [{"path": "empty.txt", "reason": "empty file"}]

    assert main(["--data-dir", data, "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert {"documents", "chunks", "embed_model", "store", "last_ingest"} <= set(status)
    assert (status["documents"], status["chunks"]) == (1, 1)


def test_cli_ingest_human_summary_lists_skips(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(tmp_path / "d"), "ingest", str(folder), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "1 added" in out and "1 skipped" in out and "skipped empty.txt: empty file" in out


def test_cli_ingest_nothing_usable_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "x.bin").write_bytes(b"\x00")
    assert main(["--data-dir", str(tmp_path / "d"), "ingest", str(tmp_path / "junk")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: no usable briefs") and "Traceback" not in err


def test_cli_ingest_unreachable_server_exits_1(
    folder: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("BRIEFQA_CHROMA_URL", "http://127.0.0.1:9")
    assert main(["--data-dir", str(tmp_path / "d"), "ingest", str(folder)]) == 1
    assert "error: cannot open the Chroma store at http://127.0.0.1:9" in capsys.readouterr().err


def test_cli_bad_setting_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BRIEFQA_CHUNK_SIZE", "lots")
    assert main(["--data-dir", str(tmp_path), "status"]) == 1
    assert "error: invalid settings (chunk_size:" in capsys.readouterr().err
