"""Fixtures for the page and API: real servers on free loopback ports, small corpora."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from ingest.runner import ingest_folder
from rag.pipeline import Pipeline, build_pipeline
from rag.settings import Settings
from tests.conftest import CORPUS, write_brief

CT053 = "briefs/2023-01-ct053-carsgen-huadong"
XSS_TITLE = "Zorbex <img src=x onerror='window.__xss=1'> deal"
XSS_BODY = (
    "Zorbex Bio will receive USD 77 million upfront for ZX-117 from Halcyon Pharma. "
    '<script>window.__xss = 2</script> The <img src=x onerror="window.__xss=3"> tag is text.'
)


class ServerThread:
    """uvicorn serving an ASGI app from a thread, on a free port of 127.0.0.1."""

    def __init__(self, app: Any) -> None:
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self.port = int(self._sock.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app, log_level="warning", lifespan="on", timeout_graceful_shutdown=2
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    def __enter__(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self._sock.close()


def small_corpus(root: Path) -> Path:
    """A few briefs: the CT053 one from the project corpus, two of ours (one full of HTML)."""
    for suffix in (".txt", ".meta.json"):
        target = root / (CT053 + suffix)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / (CT053 + suffix), target)
    write_brief(root, "briefs/2024-03-zorbex-zx117.md", XSS_TITLE, XSS_BODY, date="2024-03-02")
    write_brief(
        root,
        "briefs/2024-06-quillon-series-b.md",
        "Quillon Therapeutics closes Series B",
        "Quillon Therapeutics raised USD 45 million in a Series B round led by Brightwater.",
        date="2024-06-10",
    )
    return root


def make_pipeline(tmp_path: Path, embedder: Any, **overrides: Any) -> Pipeline:
    """A pipeline over `tmp_path/corpus` (already filled), ingested, with the real embedder."""
    settings = Settings(
        data_dir=tmp_path / "data",
        corpus_dir=tmp_path / "corpus",
        llm_backend=overrides.pop("llm_backend", "extractive"),
        **overrides,
    )
    pipeline = build_pipeline(settings, embed_model=embedder)
    ingest_folder(pipeline, settings.corpus_dir, progress=False)
    return pipeline


@pytest.fixture
def served(tmp_path: Path, real_embedder: Any) -> Iterator[tuple[ServerThread, Pipeline]]:
    """The full server (page + API, no token) over the small corpus, extractive backend."""
    from ui.server import create_server_app

    small_corpus(tmp_path / "corpus")
    with (
        make_pipeline(tmp_path, real_embedder) as pipeline,
        ServerThread(create_server_app(pipeline)) as server,
    ):
        yield server, pipeline
