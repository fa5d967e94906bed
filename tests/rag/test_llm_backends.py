"""The `openai` backend through a real local server, and every way an LLM server can fail."""

from __future__ import annotations

import http.server
import json
import socket
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from rag.models import packaged_gguf_path
from rag.pipeline import build_pipeline
from rag.settings import Settings
from rag.types import Answer
from tests.conftest import free_port, running_server

SEED = "briefs/2023-01-ct053-carsgen-huadong"
CT053 = "What upfront payment will CARsgen receive for CT053?"


@pytest.fixture(scope="module")
def llm_server() -> Iterator[str]:
    """llama-cpp-python's OpenAI-compatible server with the bundled GGUF, on loopback."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/v1"
    model = str(packaged_gguf_path())
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", model, "--host", "127.0.0.1",
           "--port", str(port), "--n_ctx", "2048", "--n_threads", "2"]  # fmt: skip
    with running_server(
        cmd, lambda: urllib.request.urlopen(f"{url}/models", timeout=2).read(), "llama_cpp.server"
    ):
        yield url


def _ask(data: Any, embedder: Any, **settings: Any) -> tuple[Answer, list[str], float]:
    config = Settings(data_dir=data, llm_backend="openai", openai_model="smollm2", **settings)
    started = time.monotonic()
    with build_pipeline(config, embed_model=embedder) as pipeline:
        events = list(pipeline.answerer.stream(CT053))
    final = events[-1]
    assert isinstance(final, Answer)
    return final, [e for e in events if isinstance(e, str)], time.monotonic() - started


@pytest.mark.slow
def test_llm_openai_backend_answers_through_local_server(
    llm_server: str, corpus_data: Any, real_embedder: Any
) -> None:
    answer, deltas, _ = _ask(corpus_data, real_embedder, openai_base_url=llm_server)
    assert answer.notice == "" and answer.backend == "openai"
    assert len(deltas) > 1  # tokens arrived as they were generated
    assert "200 million" in answer.text and SEED in [c.doc_id for c in answer.citations]


def test_llm_server_down_gives_notice_and_passages(corpus_data: Any, real_embedder: Any) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    answer, _, seconds = _ask(corpus_data, real_embedder, openai_base_url=url, llm_timeout_s=5)
    assert "the LLM did not answer" in answer.notice
    assert "200 million" in answer.text and answer.citations[0].doc_id == SEED
    assert seconds < 30


def test_llm_server_hanging_times_out(corpus_data: Any, real_embedder: Any) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)  # accepts connections, never answers
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/v1"
    try:
        answer, _, seconds = _ask(corpus_data, real_embedder, openai_base_url=url, llm_timeout_s=2)
    finally:
        listener.close()
    assert "did not answer" in answer.notice and answer.citations
    assert seconds < 20


class _Garbage(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = b"<html>502 upstream exploded</html>"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def test_llm_server_returning_garbage_falls_back(corpus_data: Any, real_embedder: Any) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Garbage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/v1"
        answer, _, _ = _ask(corpus_data, real_embedder, openai_base_url=url, llm_timeout_s=5)
    finally:
        server.shutdown()
    assert "did not answer" in answer.notice
    assert "200 million" in answer.text and answer.citations[0].doc_id == SEED
    assert json.dumps(answer.to_json())  # still a well-formed result
