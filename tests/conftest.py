"""Shared fixtures: real Chroma on tmp_path, the real packaged embedder, a discriminative fake."""

from __future__ import annotations

import hashlib
import json
import math
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from llama_index.core.base.embeddings.base import BaseEmbedding

from rag.models import enable_offline
from rag.pipeline import Pipeline, build_pipeline
from rag.settings import Settings

enable_offline()

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
SHARED = REPO.parent / "shared"


class HashingEmbedding(BaseEmbedding):
    """Deterministic bag-of-words vectors: texts sharing words are close, others are not.

    For tests where the embedder is not what is under test (store bookkeeping, crash recovery).
    """

    dim: int = 64
    calls: int = 0

    def _vector(self, text: str) -> list[float]:
        vec = [0.0] * self.dim
        for word in re.findall(r"\w+", text.lower()):
            digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
            vec[int.from_bytes(digest, "big") % self.dim] += 1.0
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]

    def _get_text_embedding(self, text: str) -> list[float]:
        self.calls += 1
        return self._vector(text)

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._vector(query)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._vector(query)


@pytest.fixture(scope="session")
def real_embedder() -> Any:
    """The packaged all-MiniLM-L6-v2, loaded once per test session."""
    from rag.embedding import build_embedder

    return build_embedder(Settings())


@pytest.fixture(scope="session")
def corpus_data(tmp_path_factory: pytest.TempPathFactory, real_embedder: Any) -> Path:
    """A data dir with the project corpus ingested once per test session (treat as read-only)."""
    from ingest.runner import ingest_folder

    data = tmp_path_factory.mktemp("corpus-data")
    with build_pipeline(Settings(data_dir=data), embed_model=real_embedder) as pipeline:
        ingest_folder(pipeline, CORPUS, progress=False)
    return data


@contextmanager
def running_server(
    cmd: Sequence[str], ready: Callable[[], object], name: str, timeout_s: float = 120
) -> Iterator[subprocess.Popen[bytes]]:
    """Start a server process, wait until `ready()` stops raising, and stop it afterwards."""
    proc = subprocess.Popen(list(cmd), stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                ready()
                break
            except Exception:
                assert proc.poll() is None, f"{name} exited"
                assert time.monotonic() < deadline, f"{name} did not come up in {timeout_s} s"
                time.sleep(0.3)
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings whose state lives under the test's tmp dir (never in the repo)."""
    return Settings(data_dir=tmp_path / "data", chunk_size=64, chunk_overlap=8)


@pytest.fixture
def fake_pipeline(settings: Settings) -> Any:
    """A pipeline over real Chroma with the hashing embedder."""
    with build_pipeline(settings, embed_model=HashingEmbedding()) as pipeline:
        yield pipeline


@pytest.fixture
def real_pipeline(tmp_path: Path, real_embedder: Any) -> Any:
    """A pipeline over real Chroma with the real packaged embedder and default chunking."""
    with build_pipeline(Settings(data_dir=tmp_path / "data"), real_embedder) as pipeline:
        yield pipeline


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A private copy of the project corpus, free to edit."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target, ignore=shutil.ignore_patterns("README.md"))
    return target


def write_brief(
    root: Path,
    rel: str,
    title: str,
    body: str,
    date: str = "2024-05-01",
    companies: Sequence[str] = ("Testco",),
) -> Path:
    """Write a Markdown brief with front matter; returns its path."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    front = {"title": title, "date": date, "source": "Test Wire", "companies": list(companies)}
    # JSON is valid YAML: titles with quotes or colons stay intact.
    lines = "".join(f"{key}: {json.dumps(value)}\n" for key, value in front.items())
    path.write_text(f"---\n{lines}---\n# {title}\n\n{body}\n", encoding="utf-8")
    return path


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def store_snapshot(pipeline: Pipeline) -> dict[str, tuple[str, str]]:
    """Every chunk id with its text and document hash: what 'the same index' means in tests."""
    got = pipeline.store.collection.get(include=["documents", "metadatas"])
    return {
        i: (doc, meta["doc_hash"])
        for i, doc, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
    }
