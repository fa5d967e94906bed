"""`ingest_folder`: bring the store in step with a folder of briefs, incrementally and safely.

Unchanged documents cost a hash; changed ones are replaced whole; removed ones are deleted; files
that cannot be read are reported and everything else goes in. See `rag.store` for why a run
killed at any point leaves nothing the next run does not repair.
"""

from __future__ import annotations

import sys
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from llama_index.core.schema import MetadataMode, TextNode
from tqdm import tqdm

from ingest.chunking import chunk_brief, document_hash, make_splitter
from ingest.ledger import LedgerSync
from ingest.loaders import SIDECAR_SUFFIX, SUPPORTED_SUFFIXES, Brief, SkipFile, load_brief
from rag.embedding import token_counter
from rag.errors import BriefqaError, NoUsableDocumentsError
from rag.pipeline import Pipeline
from rag.store import Chunk

_SLICE_BATCHES = 4  # model batches per embedding call: the progress bar's step (256 by default)


@dataclass
class IngestReport:
    """What one ingest did; `as_json()` is the `--json` output."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)
    chunks: int = 0
    embedded: int = 0
    repaired: int = 0
    deals: int = 0  # briefs whose ledger rows were (re)extracted
    seconds: float = 0.0
    deals_seconds: float = 0.0  # of `seconds`, the ledger's wait after the embedding, and writes
    deals_cpu_seconds: float = 0.0  # the ledger extraction's own CPU time (beside the embedding)

    def as_json(self) -> dict[str, Any]:
        """Counts first (for scripts), then the details."""
        detail = asdict(self)
        counts = {
            k: len(detail[k]) for k in ("added", "updated", "unchanged", "deleted", "skipped")
        }
        return {
            **counts,
            "chunks": self.chunks,
            "embedded": self.embedded,
            "deals_extracted": self.deals,
            "seconds": round(self.seconds, 3),
            "deals_seconds": round(self.deals_seconds, 3),
            "deals_cpu_seconds": round(self.deals_cpu_seconds, 3),
            "details": {k: detail[k] for k in (*counts, "notes")} | {"repaired": self.repaired},
        }


def ingest_folder(pipeline: Pipeline, root: Path, progress: bool = True) -> IngestReport:
    """Ingest every brief under `root` and remove indexed documents no longer there."""
    started = time.perf_counter()
    root = _folder(root)
    report = IngestReport()
    briefs = _load_all(root, _candidate_files(root), pipeline, report)
    if not briefs:
        raise NoUsableDocumentsError(
            f"no usable briefs in {root} ({len(report.skipped)} files skipped); "
            "add .txt, .md, .html or .pdf files. The index was left as it was."
        )
    return _apply(pipeline, briefs, report, started, progress, sync=True)


def ingest_files(
    pipeline: Pipeline, root: Path, paths: Iterable[Path], progress: bool = False
) -> IngestReport:
    """Add or update just these files (under `root`, which ids are relative to); delete nothing.

    For uploads into a running server: bad files are reported in `skipped`, never raised.
    """
    started = time.perf_counter()
    root = _folder(root)
    report = IngestReport()
    resolved = sorted(p.resolve() for p in paths)
    outside = [str(p) for p in resolved if not p.is_relative_to(root)]
    if outside:
        raise BriefqaError(f"{', '.join(outside)} is outside {root}; ids are paths under it")
    briefs = _load_all(root, resolved, pipeline, report)
    return _apply(pipeline, briefs, report, started, progress, sync=False)


def remove_document(pipeline: Pipeline, root: Path, doc_id: str) -> list[str]:
    """Delete a document's chunks and its files (brief and sidecar) under `root`; returns the
    removed file names. Raises `BriefqaError` for an unknown id."""
    root = _folder(root)
    if doc_id not in pipeline.store.documents():
        raise BriefqaError(f"no document {doc_id!r} in the index")
    pipeline.store.delete_document(doc_id)
    pipeline.ledger.delete([doc_id])
    _bump(pipeline)
    removed: list[str] = []
    target = (root / doc_id).resolve()
    if not target.is_relative_to(root):
        return removed
    for path in target.parent.glob("*"):
        # Exactly `<id>.<ext>` and its sidecar: `x.v2.md` belongs to document `x.v2`, not `x`.
        own = path.name == f"{target.name}{SIDECAR_SUFFIX}" or (
            path.suffix.lower() in SUPPORTED_SUFFIXES and path.stem == target.name
        )
        if own and path.is_file():
            path.unlink()
            removed.append(path.relative_to(root).as_posix())
    return sorted(removed)


def _folder(root: Path) -> Path:
    root = root.resolve()
    if not root.is_dir():
        raise BriefqaError(f"{root} is not a folder; pass the folder that holds your briefs")
    return root


def _apply(
    pipeline: Pipeline,
    briefs: list[Brief],
    report: IngestReport,
    started: float,
    progress: bool,
    sync: bool,
) -> IngestReport:
    """Write what changed (and, with `sync`, delete what is gone); fill in the report."""
    settings = pipeline.settings
    store = pipeline.store
    # the version counts changes to the chunker's own rules (v2: no cut inside a number; v3: a
    # chunk starting inside a table keeps its header), so a store chunked by older rules is
    # re-chunked
    fingerprint = f"{settings.embed_model}|{settings.chunk_size}|{settings.chunk_overlap}|v3"
    previous = store.meta().get("embed_model")
    if previous and previous != settings.embed_model:
        store.recreate()  # vectors of two models cannot share one collection
        note = f"embedding model changed from {previous}; the index was rebuilt"
        report.notes.append({"path": "", "note": note})
    committed = store.documents()
    orphans = store.orphan_ids(committed)
    if orphans:  # left by a killed run: remove before anything else
        store.delete_ids(orphans)
        report.repaired = len(orphans)

    todo: list[tuple[Brief, str]] = []
    hashed: list[tuple[Brief, str]] = []
    for brief in briefs:
        doc_hash = document_hash(brief, fingerprint)
        hashed.append((brief, doc_hash))
        state = committed.get(brief.doc_id)
        if state is not None and state.doc_hash == doc_hash:
            report.unchanged.append(brief.doc_id)
            continue
        (report.updated if state is not None else report.added).append(brief.doc_id)
        todo.append((brief, doc_hash))

    if sync:
        present = {b.doc_id for b in briefs}
        for doc_id in sorted(set(committed) - present):
            store.delete_document(doc_id)
            report.deleted.append(doc_id)

    ledger_started = time.perf_counter()
    ledger = LedgerSync(pipeline, hashed)  # extracts beside the embedding
    embed_seconds = 0.0
    try:
        if todo:
            embed_started = time.perf_counter()
            report.embedded = _embed_and_write(pipeline, todo, progress)
            embed_seconds = time.perf_counter() - embed_started
    except BaseException:
        ledger.cancel()
        raise
    # After the chunks: a brief's rows never run ahead of the text they cite.
    report.deals = ledger.finish(report.deleted, progress)
    # what the ledger adds to the ingest: its whole span less the embedding it ran beside
    report.deals_seconds = time.perf_counter() - ledger_started - embed_seconds
    report.deals_cpu_seconds = ledger.cpu_seconds
    _bump(pipeline)
    report.chunks = store.count()
    report.seconds = time.perf_counter() - started
    return report


def _bump(pipeline: Pipeline) -> None:
    pipeline.store.update_meta(
        generation=uuid.uuid4().hex,  # tells readers (the lexical index) to re-sync
        embed_model=pipeline.settings.embed_model,
        last_ingest=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    )


def _load_all(
    root: Path, paths: Iterable[Path], pipeline: Pipeline, report: IngestReport
) -> list[Brief]:
    max_bytes = int(pipeline.settings.max_file_mb * 1e6)
    briefs: dict[str, Brief] = {}
    for path in paths:
        rel = path.relative_to(root).as_posix()
        try:
            brief = load_brief(path, root, max_bytes)
        except SkipFile as exc:
            report.skipped.append({"path": rel, "reason": str(exc)})
            continue
        except OSError as exc:
            report.skipped.append({"path": rel, "reason": f"cannot read it ({exc.strerror})"})
            continue
        if brief.doc_id in briefs:
            other = briefs[brief.doc_id].path
            reason = f"same id as {other} (ids drop the extension); rename one of them"
            report.skipped.append({"path": rel, "reason": reason})
            continue
        briefs[brief.doc_id] = brief
        report.notes.extend({"path": rel, "note": note} for note in brief.notes)
    return list(briefs.values())


def _candidate_files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        rel_parts = path.relative_to(root).parts
        if any(part.startswith(".") for part in rel_parts):
            continue  # hidden files and folders (.git, .DS_Store) are not briefs
        if path.stem.upper() == "README":
            continue  # a folder's documentation, not a brief
        if path.is_file() and not path.name.endswith(SIDECAR_SUFFIX):
            yield path


def _embed_and_write(pipeline: Pipeline, todo: list[tuple[Brief, str]], progress: bool) -> int:
    """Embed across documents in large slices (fast), write each document once it is complete."""
    settings = pipeline.settings
    embedder = pipeline.embed_model
    splitter = make_splitter(settings.chunk_size, settings.chunk_overlap, token_counter(embedder))
    per_doc = [(brief.doc_id, chunk_brief(brief, splitter, h)) for brief, h in todo]
    flat: list[TextNode] = [node for _, nodes in per_doc for node in nodes]
    vectors: dict[str, list[float]] = {}
    bar = tqdm(
        total=len(flat), desc="embedding", unit="chunk", disable=not progress, file=sys.stderr
    )
    pending = iter(per_doc)
    next_doc = next(pending, None)
    with bar:
        step = _SLICE_BATCHES * settings.embed_batch_size
        for start in range(0, len(flat), step):
            batch = flat[start : start + step]
            texts = [node.get_content(metadata_mode=MetadataMode.EMBED) for node in batch]
            embeddings = embedder.get_text_embedding_batch(texts)
            vectors.update(zip((n.node_id for n in batch), embeddings, strict=True))
            bar.update(len(batch))
            ready = []
            while next_doc is not None and all(n.node_id in vectors for n in next_doc[1]):
                ready.append((next_doc[0], _chunks(next_doc[1], vectors)))
                next_doc = next(pending, None)
            pipeline.store.write_documents(ready)  # every document this slice completed
    return len(flat)


def _chunks(nodes: list[TextNode], vectors: dict[str, Any]) -> list[Chunk]:
    from llama_index.core.vector_stores.utils import node_to_metadata_dict

    chunks = []
    for node in nodes:
        # llama-index's own record layout, so its ChromaVectorStore reads these as nodes.
        metadata = node_to_metadata_dict(node, remove_text=True, flat_metadata=True)
        chunks.append(Chunk(node.node_id, node.text, vectors.pop(node.node_id), metadata))
    return chunks
