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
    assert answer.backend == "openai"
    assert len(deltas) > 1  # tokens arrived as they were generated
    # the 135M model's text stands only when it passes the check; else the quote, and why
    assert answer.mode == "written" or "did not match" in answer.notice
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


class _Scripted(http.server.BaseHTTPRequestHandler):
    """An OpenAI-compatible chat endpoint that streams one scripted reply."""

    reply = ""

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        chunk = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "m",
                 "choices": [{"index": 0, "delta": {"role": "assistant", "content": self.reply},
                              "finish_reason": None}]}  # fmt: skip
        done = dict(chunk, choices=[{"index": 0, "delta": {}, "finish_reason": "stop"}])
        body = f"data: {json.dumps(chunk)}\n\ndata: {json.dumps(done)}\n\ndata: [DONE]\n\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: Any) -> None:
        pass


def _scripted(corpus_data: Any, embedder: Any, reply: str) -> Answer:
    handler = type("Reply", (_Scripted,), {"reply": reply})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/v1"
        return _ask(corpus_data, embedder, openai_base_url=url, llm_timeout_s=10)[0]
    finally:
        server.shutdown()


def test_llm_capable_model_grounded_answer_stands(corpus_data: Any, real_embedder: Any) -> None:
    reply = "CARsgen will receive an upfront payment of RMB 200 million (USD 29.5 million) [1]."
    answer = _scripted(corpus_data, real_embedder, reply)
    assert answer.mode == "written" and not answer.repaired and answer.notice == ""
    assert answer.text.startswith("CARsgen will receive") and "[1]" in answer.text
    assert answer.citations[0].doc_id == SEED


@pytest.mark.parametrize(
    "reply",
    [
        "CARsgen will receive an upfront payment of RMB 250 million [1].",  # an altered figure
        "BeiGene will receive an upfront payment of RMB 200 million (USD 29.5 million) [1].",
        "The briefs don't say.",  # a refusal while the passage answers
    ],
    ids=["altered-figure", "foreign-company", "refusal"],
)
def test_llm_capable_model_unsupported_answer_gives_the_quote(
    corpus_data: Any, real_embedder: Any, reply: str
) -> None:
    answer = _scripted(corpus_data, real_embedder, reply)
    assert answer.mode == "quoted" and answer.repaired and "did not match" in answer.notice
    assert "200 million" in answer.text and "250" not in answer.text
    assert "BeiGene" not in answer.text and answer.citations[0].doc_id == SEED
