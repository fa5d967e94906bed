"""The Chroma server path: a real `chroma run` on loopback, ingested into over HTTP."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ingest.runner import ingest_folder
from rag.errors import StoreUnavailableError
from rag.pipeline import build_pipeline
from rag.settings import Settings
from rag.store import ChromaStore
from tests.conftest import HashingEmbedding, free_port, running_server, store_snapshot, write_brief


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    """Start `chroma run` on a free loopback port; stop it at the end."""
    exe = shutil.which("chroma", path=str(Path(sys.executable).parent))
    assert exe, "the chroma CLI comes with chromadb"
    port = free_port()
    cmd = [
        exe,
        "run",
        "--path",
        str(tmp_path / "server"),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]

    def ready() -> object:
        import chromadb

        return chromadb.HttpClient(host="127.0.0.1", port=port).heartbeat()

    with running_server(cmd, ready, "chroma run", timeout_s=60):
        yield f"http://127.0.0.1:{port}"


def test_store_server_ingest_is_idempotent_over_http(chroma_server: str, tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    write_brief(root, "2024-01-a.md", "Server brief A", "Acme pays USD 3m upfront. " * 20)
    write_brief(root, "2024-01-b.md", "Server brief B", "Beta wins NMPA approval.")
    settings = Settings(data_dir=tmp_path / "data", chroma_url=chroma_server)
    with build_pipeline(settings, HashingEmbedding()) as pipeline:
        first = ingest_folder(pipeline, root, progress=False)
        snapshot = store_snapshot(pipeline)
        second = ingest_folder(pipeline, root, progress=False)
        assert len(first.added) == 2 and second.embedded == 0
        assert store_snapshot(pipeline) == snapshot
        (root / "2024-01-b.md").unlink()
        assert ingest_folder(pipeline, root, progress=False).deleted == ["2024-01-b"]
    assert not (tmp_path / "data" / "chroma").exists()  # nothing went to the embedded store
    # A second client (another machine, say) sees the same index.
    with ChromaStore.open(settings) as other:
        assert set(other.documents()) == {"2024-01-a"}


def test_store_server_unreachable_says_what_to_do(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, chroma_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(StoreUnavailableError, match="cannot open the Chroma store.*chroma run"):
        ChromaStore.open(settings)


def test_store_embedded_has_one_owner(settings: Settings, tmp_path: Path) -> None:
    with ChromaStore.open(settings):
        probe = subprocess.run(
            [sys.executable, "-m", "briefqa", "--data-dir", str(settings.data_dir), "status"],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert probe.returncode == 1
    assert "error: the store at" in probe.stderr and "pid " in probe.stderr
    assert "Traceback" not in probe.stderr
    after: Any = subprocess.run(  # the lock went with its owner
        [sys.executable, "-m", "briefqa", "--data-dir", str(settings.data_dir), "status"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert after.returncode == 0, after.stderr
