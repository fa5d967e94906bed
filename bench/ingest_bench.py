"""Ingest benchmark: how close `ingest_folder` comes to the bare encoder, and what a re-run costs.

For each corpus (the project's `corpus/`, then a scaled copy from `bench.variants`), in one
process with one loaded, warmed-up model:

1. raw encode: `SentenceTransformer.encode` on exactly the texts ingest embeds (built with the
   runner's own loading and chunking), batch size `embed_batch_size`, normalized;
2. full ingest into a fresh embedded Chroma folder (wall clock, store open and close included);
3. raw encode again; the raw figure is the faster of the two runs, which bracket the ingest so
   that neither warm caches nor a slowing machine favour ingest;
4. a no-change re-ingest with a new pipeline object over the same store and folder.

The embedder is loaded and run on a few texts, spaCy (the ledger's parser) imported, loaded and
run on them, and chromadb imported, before any timing: each is a one-time cost of a process, not
of ingesting, and without this the first corpus alone would pay spaCy's load while the scaled one
did not. spaCy's one-time CPU cost is printed beside the table.
Targets (`bench.ingest_report`): ingest <= 1.25x raw encode; re-ingest < 2% of the full ingest;
the deal ledger's extraction (its thread's CPU time, beside the embedding) adds at most 20% to
the rest of the ingest's CPU time.
"""

from __future__ import annotations

import gc
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.ingest_report import CorpusFigures, machine_info, print_report, write_json

REPO = Path(__file__).resolve().parent.parent
_WARM_UP = ["Warm-up: Zhenlu's oral GLP-1 drug in Phase II.", "Licensing deal, USD 18.5 million."]


def run_ingest_bench(scale_chunks: int = 5000, out: Path | None = None) -> int:
    """Run the benchmark, print the table (and write JSON to `out`); 1 if a target is missed."""
    from rag.models import enable_offline

    enable_offline()
    from bench.variants import make_scaled_corpus
    from ingest.chunking import make_splitter
    from rag.embedding import build_embedder, token_counter
    from rag.settings import Settings

    load_at_start = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    settings = Settings()
    _say("loading the embedder and warming up")
    embedder = build_embedder(settings)  # loaded once, outside every timing
    embedder._model.encode(_WARM_UP, batch_size=settings.embed_batch_size, show_progress_bar=False)
    embedder.get_text_embedding_batch(_WARM_UP)
    import chromadb  # noqa: F401  # a one-time import (~1 s), not a cost of ingesting

    spacy_cpu_s = _load_spacy()

    rows: list[CorpusFigures] = []
    with tempfile.TemporaryDirectory(prefix="briefqa-bench-") as tmp:
        work = Path(tmp)
        rows.append(measure_corpus("corpus", REPO / "corpus", work / "data-corpus", embedder))
        if scale_chunks:
            splitter = make_splitter(
                settings.chunk_size, settings.chunk_overlap, token_counter(embedder)
            )
            scaled = work / "scaled"
            _say(f"writing a scaled corpus of about {scale_chunks} chunks")
            make_scaled_corpus(
                REPO / "corpus",
                scaled,
                scale_chunks,
                splitter=splitter,
                max_bytes=int(settings.max_file_mb * 1e6),
            )
            name = f"scaled-{scale_chunks}"
            rows.append(measure_corpus(name, scaled, work / "data-scaled", embedder))
    machine = machine_info()
    machine["load_average_1m_start"] = load_at_start and round(load_at_start, 2)
    machine["spacy_load_cpu_s"] = round(spacy_cpu_s, 2)
    config = {
        "embed_model": settings.embed_model,
        "embed_device": settings.embed_device,
        "embed_batch_size": settings.embed_batch_size,
        "chunk_size": settings.chunk_size,
        "chunk_overlap": settings.chunk_overlap,
    }
    print_report(machine, config, rows)
    if out is not None:
        write_json(out, machine, config, rows)
        print(f"figures written to {out}")
    return 0 if all(row.passed for row in rows) else 1


def measure_corpus(name: str, root: Path, data_dir: Path, embedder: Any) -> CorpusFigures:
    """Raw encode, full ingest into `data_dir`, raw encode again, then a no-change re-ingest."""
    from bench.corpus import embedded_texts
    from ingest.runner import ingest_folder
    from rag.pipeline import build_pipeline
    from rag.settings import Settings

    # An embedded store of its own, whatever BRIEFQA_CHROMA_PATH/URL say.
    settings = Settings(data_dir=data_dir, chroma_path=None, chroma_url=None)
    texts = embedded_texts(root, settings, embedder)
    model, batch_size = embedder._model, settings.embed_batch_size
    _say(f"{name}: {len(texts)} chunks: raw encode, full ingest, raw encode, re-ingest")
    raw_first = _time_raw(model, texts, batch_size)
    clock = _Clock()
    with build_pipeline(settings, embed_model=embedder) as pipeline:
        report = ingest_folder(pipeline, root, progress=False)
    ingest_s, ingest_cpu_s = clock.read()
    raw_second = _time_raw(model, texts, batch_size)
    clock = _Clock()
    with build_pipeline(settings, embed_model=embedder) as pipeline:
        again = ingest_folder(pipeline, root, progress=False)
    reingest_s, _ = clock.read()
    if report.embedded != len(texts):  # the corpus changed under us, or the runner did
        print(f"note: {name}: ingest embedded {report.embedded} chunks, raw encoded {len(texts)}")
    if again.embedded or again.added or again.updated or again.deleted:
        print(f"note: {name}: the no-change re-ingest embedded {again.embedded} chunks")
    return CorpusFigures(
        corpus=name,
        documents=len(report.added),
        chunks=report.embedded,
        ingest_s=ingest_s,
        raw_runs_s=(raw_first[0], raw_second[0]),
        reingest_s=reingest_s,
        ingest_cpu_s=ingest_cpu_s,
        raw_cpu_runs_s=(raw_first[1], raw_second[1]),
        ledger_s=report.deals_seconds,
        ledger_cpu_s=report.deals_cpu_seconds,
    )


def _load_spacy() -> float:
    """Import and load spaCy and parse the warm-up texts (as ingest's ledger would on its first
    brief); returns the CPU seconds that took."""
    from rag.reading.nlp import load_nlp, parse_once

    _say("loading spaCy for the deal ledger")
    clock = _Clock()
    load_nlp()
    parse_once(_WARM_UP)
    return clock.read()[1]


def _time_raw(model: Any, texts: list[str], batch_size: int) -> tuple[float, float]:
    """One `encode` call over all texts, as sentence-transformers is meant to be used."""
    clock = _Clock()
    model.encode(texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False)
    return clock.read()


def _say(message: str) -> None:
    """Progress on stderr, so a long run is not silent and stdout stays the report."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


class _Clock:
    """Wall and process CPU time since creation (after a garbage collection, so none is owed)."""

    def __init__(self) -> None:
        gc.collect()
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def read(self) -> tuple[float, float]:
        """Seconds elapsed: (wall clock, CPU time of all this process's threads)."""
        return time.perf_counter() - self.wall, time.process_time() - self.cpu
