"""A run killed at any point, followed by another run, ends with the index of a clean run."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ingest.runner import ingest_folder
from rag.pipeline import build_pipeline
from rag.settings import Settings
from rag.store import ChromaStore
from tests.conftest import HashingEmbedding, store_snapshot, write_brief


class Killed(BaseException):
    """Stands for the process dying: not an Exception, so nothing on the way catches it."""


def _versions(root: Path, version: int) -> None:
    (root / "b9.md").unlink(missing_ok=True)
    for n in range(4):
        body = " ".join(f"Version {version} sentence {i} of brief {n}." for i in range(12 + n * 9))
        write_brief(root, f"b{n}.md", f"Brief {n}", body)
    if version == 2:  # v2 drops a brief and adds one
        (root / "b3.md").unlink()
        write_brief(root, "b9.md", "Brief nine", "A new brief in version two.")


def _clean_run(tmp_path: Path, root: Path) -> dict[str, tuple[str, str]]:
    settings = Settings(data_dir=tmp_path / "clean", chunk_size=50, chunk_overlap=5)
    with build_pipeline(settings, HashingEmbedding()) as pipeline:
        ingest_folder(pipeline, root, progress=False)
        return store_snapshot(pipeline)


def _patch_writes(mp: pytest.MonkeyPatch, die_after: int | None) -> dict[str, int]:
    """Count the store's writes (upserts and deletes); from write `die_after` on, land half of
    the batch and 'die'."""
    calls = {"n": 0}
    for name in ("_upsert", "_delete"):
        original = getattr(ChromaStore, name)

        def write(self: ChromaStore, batch: Any, original: Any = original) -> None:
            calls["n"] += 1
            if die_after is not None and calls["n"] > die_after:
                if len(batch) > 1:
                    original(self, batch[: len(batch) // 2])
                raise Killed
            original(self, batch)

        mp.setattr(ChromaStore, name, write)
    return calls


def _count_writes(root: Path, settings: Settings) -> int:
    _versions(root, 1)
    with build_pipeline(settings, HashingEmbedding()) as pipeline:
        ingest_folder(pipeline, root, progress=False)
        _versions(root, 2)
        with pytest.MonkeyPatch.context() as mp:
            calls = _patch_writes(mp, None)
            ingest_folder(pipeline, root, progress=False)
    return calls["n"]


def test_ingest_killed_at_every_write_recovers(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    probe = Settings(data_dir=tmp_path / "probe", chunk_size=50, chunk_overlap=5)
    writes = _count_writes(root, probe)
    expected = _clean_run(tmp_path, root)
    # old heads out, other chunks in, stale chunks out, new heads in (one batch), and the removed
    # brief's head and chunks out
    assert writes >= 5

    for kill_at in range(writes):
        _versions(root, 1)
        settings = Settings(data_dir=tmp_path / f"k{kill_at}", chunk_size=50, chunk_overlap=5)
        with build_pipeline(settings, HashingEmbedding()) as pipeline:
            ingest_folder(pipeline, root, progress=False)
        _versions(root, 2)
        with pytest.MonkeyPatch.context() as mp:
            _patch_writes(mp, kill_at)
            with build_pipeline(settings, HashingEmbedding()) as pipeline, pytest.raises(Killed):
                ingest_folder(pipeline, root, progress=False)
        with build_pipeline(settings, HashingEmbedding()) as pipeline:
            ingest_folder(pipeline, root, progress=False)
            assert store_snapshot(pipeline) == expected, f"killed at write {kill_at}"
            again = ingest_folder(pipeline, root, progress=False)
            assert again.embedded == 0 and again.repaired == 0


@pytest.mark.slow
def test_ingest_kill_9_mid_embedding_then_rerun_matches_clean_run(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    for n in range(60):
        body = " ".join(f"Brief {n} reports figure {i * n} for program QX-{n}." for i in range(40))
        write_brief(root, f"{n:02d}.md", f"Brief number {n}", body)
    env = {**os.environ, "BRIEFQA_EMBED_BATCH_SIZE": "8"}
    cmd = [sys.executable, "-m", "briefqa", "--data-dir", str(tmp_path / "killed"), "ingest"]

    # Once right after the first progress tick, once a few ticks later. The kill follows a tick
    # that shows work still to do (never a fixed sleep: a fast machine could finish first).
    for ticks in (1, 3):
        proc = subprocess.Popen(
            [*cmd, str(root)], env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL
        )
        assert proc.stderr is not None
        seen, counts = b"", list[int]()
        while len(counts) < ticks:
            chunk = proc.stderr.read1(4096)  # type: ignore[attr-defined]
            assert chunk, f"ingest ended before {ticks} embedding ticks: {seen[-500:]!r}"
            seen += chunk
            counts = sorted({
                int(done) for done, total in re.findall(rb"embedding:.*?\| *(\d+)/(\d+)", seen)
                if 0 < int(done) < int(total)
            })  # fmt: skip
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL

    done = subprocess.run([*cmd, str(root), "--json"], env=env, capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    clean = subprocess.run(
        [
            sys.executable,
            "-m",
            "briefqa",
            "--data-dir",
            str(tmp_path / "clean"),
            "ingest",
            str(root),
            "--json",
        ],
        env=env,
        capture_output=True,
        timeout=600,
    )
    assert clean.returncode == 0
    snapshots = []
    for name in ("killed", "clean"):
        with build_pipeline(Settings(data_dir=tmp_path / name)) as pipeline:
            snapshots.append(store_snapshot(pipeline))
            states = pipeline.store.documents()
            assert len(states) == 60
            assert sum(s.chunk_count for s in states.values()) == pipeline.store.count()
    assert snapshots[0] == snapshots[1]
