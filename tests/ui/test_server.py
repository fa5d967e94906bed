"""`briefqa serve`: a real process that prints its URL, binds loopback and stops on Ctrl+C."""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from rag.errors import BriefqaError
from tests.conftest import REPO
from tests.ui.conftest import small_corpus
from ui.server import bind, local_url


def test_server_local_url_names_a_reachable_address() -> None:
    assert local_url("127.0.0.1", 7860) == "http://127.0.0.1:7860/"
    assert local_url("0.0.0.0", 80) == "http://127.0.0.1:80/"
    assert local_url("::1", 8000) == "http://[::1]:8000/"


def test_server_bind_refuses_a_busy_port_with_a_message() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(BriefqaError, match=f"cannot listen on 127.0.0.1:{port}"):
            bind("127.0.0.1", port)
    with bind("127.0.0.1", 0) as sock:
        assert sock.getsockname()[0] == "127.0.0.1" and sock.getsockname()[1] > 0


@pytest.mark.slow
def test_server_briefqa_serve_prints_url_serves_and_stops(tmp_path: Path) -> None:
    small_corpus(tmp_path / "corpus")
    env = {
        **os.environ,
        "BRIEFQA_CORPUS_DIR": str(tmp_path / "corpus"),
        "BRIEFQA_LLM_BACKEND": "extractive",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("BRIEFQA_HOST", None)
    command = [sys.executable, "-m", "briefqa", "--data-dir", str(tmp_path / "data"), "serve"]
    process = subprocess.Popen(
        [*command, "--port", "0"],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in process.stdout or []:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    try:
        url, seen, deadline = None, [], time.monotonic() + 180
        while url is None and time.monotonic() < deadline and process.poll() is None:
            try:
                seen.append(lines.get(timeout=1))
            except queue.Empty:
                continue
            match = re.search(r"serving the page at (http://\S+/)", seen[-1])
            url = match.group(1) if match else None
        assert url is not None, "".join(seen)
        assert url.startswith("http://127.0.0.1:")  # loopback by default
        health = httpx.get(url + "api/health", timeout=30).json()
        assert health["documents"] == 3 and health["backend"] == "extractive"
        assert httpx.get(url, timeout=30).status_code == 200
    finally:
        process.send_signal(signal.SIGINT)
        try:
            code = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert code == 0
