"""Load: 16 concurrent /api/ask clients x 30 questions against one server while uploads happen."""

from __future__ import annotations

import json
import statistics
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from rag.pipeline import Pipeline
from tests.conftest import write_brief
from tests.ui.conftest import ServerThread, make_pipeline

CLIENTS = 16
QUESTIONS_EACH = 30
UPLOADS = 12
FIRMS = 6
QUESTIONS = [f"What upfront payment will Firm{i} receive for FX-{i}?" for i in range(FIRMS)] + [
    "What will Loadco 3 receive for LD-3?",  # answerable once that upload is in
    "Which firm got a breakthrough designation?",  # nothing says: an abstention
]


def _brief(i: int) -> bytes:
    return (
        f'---\ntitle: "Loadco {i} licenses LD-{i}"\ndate: 2024-10-{i + 1:02d}\n---\n'
        f"Loadco {i} will receive USD {100 + i} million upfront for LD-{i} from Bigpharma.\n"
    ).encode()


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@pytest.fixture
def short_server(tmp_path: Path, real_embedder: Any) -> Iterator[tuple[ServerThread, Pipeline]]:
    """Short briefs (a question costs mostly its sentence scoring), extractive backend."""
    from ui.server import create_server_app

    for i in range(FIRMS):
        body = f"Firm{i} will receive USD {10 + i} million upfront for FX-{i}. It closed in May."
        write_brief(tmp_path / "corpus", f"briefs/firm{i}.md", f"Firm{i} licenses FX-{i}", body)
    with (
        make_pipeline(tmp_path, real_embedder) as pipeline,
        ServerThread(create_server_app(pipeline)) as server,
    ):
        yield server, pipeline


@pytest.mark.slow
def test_load_concurrent_asks_during_uploads(
    short_server: tuple[ServerThread, Pipeline], tmp_path: Path
) -> None:
    server, pipeline = short_server
    latencies: list[float] = []
    failures: list[str] = []
    uploaded: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(CLIENTS + 1)
    asking_done = threading.Event()

    def asker(worker: int) -> None:
        with httpx.Client(base_url=server.url, timeout=120) as client:
            start.wait()
            for i in range(QUESTIONS_EACH):
                question = QUESTIONS[(worker + i) % len(QUESTIONS)]
                began = time.perf_counter()
                try:
                    response = client.post("/api/ask", json={"question": question})
                    ok = response.status_code == 200 and bool(response.json()["answer"])
                    problem = "" if ok else f"{response.status_code} {response.text[:200]}"
                except httpx.HTTPError as exc:
                    problem = f"{type(exc).__name__}: {exc}"
                with lock:
                    latencies.append(time.perf_counter() - began)
                    if problem:
                        failures.append(problem)

    def uploader() -> None:
        with httpx.Client(base_url=server.url, timeout=120) as client:
            start.wait()
            for i in range(UPLOADS):
                files = [("files", (f"loadco-{i}.md", _brief(i), "text/markdown"))]
                response = client.post("/api/documents", files=files)
                if response.status_code != 200 or not response.json()["added"]:
                    failures.append(f"upload {i}: {response.status_code} {response.text[:200]}")
                else:
                    uploaded.append(f"uploads/loadco-{i}")
                asking_done.wait(timeout=0.5)  # spread the uploads over the run

    threads = [threading.Thread(target=asker, args=(w,)) for w in range(CLIENTS)]
    threads.append(threading.Thread(target=uploader))
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads[:-1]:
        thread.join()
    asking_done.set()
    threads[-1].join()
    wall = time.perf_counter() - began

    stats = {
        "requests": len(latencies),
        "errors": len(failures),
        "p50_s": round(statistics.median(latencies), 4),
        "p95_s": round(_percentile(latencies, 0.95), 4),
        "max_s": round(max(latencies), 4),
        "wall_s": round(wall, 2),
        "uploads": len(uploaded),
    }
    (tmp_path / "load.json").write_text(json.dumps({**stats, "failures": failures}, indent=2))
    print(f"\nload: {json.dumps(stats)} (details in {tmp_path / 'load.json'})")

    assert failures == [] and len(latencies) == CLIENTS * QUESTIONS_EACH
    assert len(uploaded) == UPLOADS
    with httpx.Client(base_url=server.url, timeout=60) as client:
        listed = {d["doc_id"] for d in client.get("/api/documents").json()["documents"]}
        assert set(uploaded) | {"briefs/firm0"} <= listed  # no upload was lost
        for i in (0, UPLOADS - 1):
            body = client.post(
                "/api/ask", json={"question": f"What will Loadco {i} receive for LD-{i}?"}
            ).json()
            assert f"USD {100 + i} million" in body["answer"]
    assert sorted(p.name for p in pipeline.settings.uploads_dir.iterdir()) == sorted(
        f"loadco-{i}.md" for i in range(UPLOADS)
    )
