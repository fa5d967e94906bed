"""Query benchmark: retrieval and answer latency, ours against a plain LlamaIndex recipe.

Same process, same models, same Chroma collection for both sides. The peer baseline is the
recipe from LlamaIndex's docs: `VectorStoreIndex.from_vector_store(ChromaVectorStore(...))` with
its default retriever, and `index.as_query_engine(llm=...)` with the same embedded LLM.

Scales: the corpus as ingested, then ~10,000 and ~100,000 chunks. Embedding 100,000 chunks with
MiniLM would take hours on two cores, so the scaled stores hold copies of the real chunks (new ids
and document ids, drug codes suffixed so BM25 sees new terms) with their real vectors plus small
Gaussian noise: latency depends on the number and shape of the vectors and postings, not on what
they mean. Questions are the answerable gold questions; no question is timed twice and each
scale reads questions the run has not read before (their passages' parses and sentence
embeddings are cached per text, as in a running service).
"""

from __future__ import annotations

import json
import re
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RETRIEVAL_QUESTIONS = 30
ANSWER_QUESTIONS = 10


def _pct(values: Sequence[float], q: int) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[q - 1]
        if len(values) > 1
        else values[0]
    )


def _read(pipeline: Any, question: str) -> Any:
    """Retrieval and reading, without composing or the LLM."""
    answerer = pipeline.answerer
    return answerer.read(*answerer.prepare(question)[:3])


def _time(fn: Callable[[str], Any], questions: Sequence[str]) -> list[float]:
    """Each question's latency but the first's, which warms up (first-call costs are not
    latency) and is not timed: timed again, it would find its own work cached. A lone
    question is timed warm rather than not at all."""
    fn(questions[0])
    out = []
    for question in questions[1:] or questions:
        started = time.perf_counter()
        fn(question)
        out.append(time.perf_counter() - started)
    return out


def _unread(questions: Sequence[str], n: int, size: int) -> Sequence[str]:
    """The n-th run of `size` questions, none read in an earlier run where the questions
    suffice (a question read before finds its embedding, and its passages' parses and
    sentence embeddings, cached); from the start again where they do not."""
    start = n * size
    return questions[start : start + size] if start + size <= len(questions) else questions[:size]


def _scale_store(collection: Any, target: int, seed: int = 7) -> int:
    """Add noisy copies of the collection's chunks until it holds about `target` chunks."""
    import numpy as np

    base = collection.get(include=["documents", "metadatas", "embeddings"])
    rng = np.random.default_rng(seed)
    copies = 0
    while collection.count() < target:
        copies += 1
        ids, docs, metas, vecs = [], [], [], []
        for doc, meta, vec in zip(
            base["documents"], base["metadatas"], base["embeddings"], strict=True
        ):
            doc_id = f"{meta['doc_id']}~v{copies}"
            ids.append(f"{doc_id}#{meta['chunk_index']}")
            docs.append(re.sub(r"\b([A-Z]{2,5})-(\d{2,5})\b", rf"\g<1>-\g<2>x{copies}", doc))
            metas.append({**meta, "doc_id": doc_id, "document_id": doc_id, "ref_doc_id": doc_id})
            noisy = np.asarray(vec) + rng.normal(0, 0.02, len(vec))
            vecs.append((noisy / np.linalg.norm(noisy)).tolist())
        for start in range(0, len(ids), 5000):
            sl = slice(start, start + 5000)
            collection.upsert(ids=ids[sl], documents=docs[sl], metadatas=metas[sl],
                              embeddings=vecs[sl])  # fmt: skip
    return int(collection.count())


def _ledger_figures(
    pipeline: Any, questions: Sequence[str], reader_times: Sequence[float]
) -> tuple[float, float, int] | None:
    """p50 of the answers the deal ledger gives (the gold questions it settles) and of the reader
    answers just measured; None when the ledger settles none."""
    answerer = pipeline.answerer
    settled = [q for q in questions if answerer.ledger_answer(q, (), None) is not None]
    if not settled:
        return None
    times = _time(pipeline.ask, settled)
    return _pct(times, 50), _pct(reader_times, 50), len(settled)


def _joined_figures(pipeline: Any, questions: Sequence[str]) -> tuple[float, float, int] | None:
    """p50 of retrieval and reading for the gold questions that join asks (each ask retrieves
    and is read on its own, `rag.reading.subquestions`) and for the others; None when none
    joins asks."""
    from rag.reading.subquestions import sub_questions

    joined = [q for q in questions if sub_questions(q)]
    plain = [q for q in questions if q not in joined]
    if not joined or not plain:
        return None
    for question in questions:  # every one read once: both groups time the reading, not caches
        _read(pipeline, question)
    times = _time(lambda q: _read(pipeline, q), joined)
    return _pct(times, 50), _pct(_time(lambda q: _read(pipeline, q), plain), 50), len(joined)


def run_query_bench(scales: Sequence[int] = (10_000, 100_000), answers: bool = True) -> int:
    """Print retrieval p50/p95 per scale and embedded answer p50/p95, ours vs the baseline."""
    from rag.models import enable_offline

    enable_offline()
    from llama_index.core import VectorStoreIndex
    from llama_index.core.schema import QueryBundle
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from ingest.runner import ingest_folder
    from rag.pipeline import build_pipeline
    from rag.retrieval import Filters
    from rag.settings import Settings

    gold = [json.loads(line) for line in (REPO / "eval" / "gold.jsonl").read_text().splitlines()]
    questions = [g["question"] for g in gold if g["answers"] and not g.get("history")]
    rows: list[tuple[str, int, float, float, float, float]] = []
    ledger: tuple[float, float, int] | None = None
    joined: tuple[float, float, int] | None = None
    with tempfile.TemporaryDirectory(prefix="briefqa-qbench-") as tmp:
        settings = Settings(data_dir=Path(tmp))
        pipeline = build_pipeline(settings)
        ingest_folder(pipeline, REPO / "corpus", progress=False)
        store, embed = pipeline.store, pipeline.embed_model
        baseline = VectorStoreIndex.from_vector_store(
            ChromaVectorStore(chroma_collection=store.collection), embed_model=embed
        )
        for n, target in enumerate((0, *scales)):
            size = _scale_store(store.collection, target) if target else store.count()
            store.update_meta(generation=f"bench-{size}")
            pipeline.lexical.sync(store)  # index build is ingest-time work, not query latency
            asked = _unread(questions, n, RETRIEVAL_QUESTIONS + 1)
            ours = _time(lambda q: pipeline.retriever.search(QueryBundle(q), Filters()), asked)
            peer = _time(baseline.as_retriever().retrieve, asked)
            rows.append(("retrieval", size, _pct(ours, 50), _pct(ours, 95), _pct(peer, 50),
                         _pct(peer, 95)))  # fmt: skip
            # questions not read before (retrieval above keeps no embedding the reader uses)
            read = _time(lambda q: _read(pipeline, q), asked)
            rows.append(("retrieval + reading", size, _pct(read, 50), _pct(read, 95),
                         _pct(peer, 50), _pct(peer, 95)))  # fmt: skip
            if answers and target == 0:
                llm = pipeline.llm
                engine = baseline.as_query_engine(llm=llm)
                # the last questions: none of the scales' runs reads them first
                fresh = questions[-(ANSWER_QUESTIONS + 1) :]
                ours_a = _time(pipeline.ask, fresh)
                peer_a = _time(engine.query, fresh)
                rows.append(("answer (embedded LLM)", size, _pct(ours_a, 50), _pct(ours_a, 95),
                             _pct(peer_a, 50), _pct(peer_a, 95)))  # fmt: skip
                ledger = _ledger_figures(pipeline, questions, ours_a)
        # last: it reads every question, which would leave the runs above nothing unread
        joined = _joined_figures(pipeline, questions)
        joined_at = store.count()
        pipeline.close()
    print(f"{'what':<22} {'chunks':>7} {'ours p50':>9} {'ours p95':>9} {'peer p50':>9} "
          f"{'peer p95':>9} {'p50 ratio':>9}")  # fmt: skip
    for what, size, o50, o95, p50, p95 in rows:
        times = "".join(f"{v * 1000:>7.1f}ms " for v in (o50, o95, p50, p95))
        print(f"{what:<22} {size:>7} {times}{o50 / p50:>8.2f}x")
    if answers and ledger:
        l50, r50, n = ledger
        print(f"ledger answers ({n} gold questions the ledger settles): p50 {l50 * 1000:.1f} ms "
              f"against {r50 * 1000:.1f} ms for reader answers: {l50 / r50:.2f}x "
              f"({'PASS' if l50 <= r50 else 'MISS'}: no slower)")  # fmt: skip
    if joined:
        j50, o50, n = joined
        print(f"questions joining asks ({n} gold questions, at {joined_at} chunks, each read "
              "once before): retrieval + reading "
              f"p50 {j50 * 1000:.1f} ms against {o50 * 1000:.1f} ms for the others: "
              f"{j50 / o50:.2f}x")  # fmt: skip
    biggest = max((r for r in rows if r[0] == "retrieval"), key=lambda r: r[1])
    answer = [r for r in rows if r[0].startswith("answer")]
    ok = biggest[2] < 0.050 and (not answer or answer[0][2] < 2.0)
    print(
        f"targets: retrieval p50 < 50 ms at {biggest[1]} chunks: {biggest[2] * 1000:.1f} ms; "
        + (f"embedded answer p50 < 2 s: {answer[0][2]:.2f} s; " if answer else "")
        + ("PASS" if ok else "MISS")
    )
    return 0 if ok else 1
