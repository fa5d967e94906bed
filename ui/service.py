"""`BriefService`: the server process's single owner of a `Pipeline`, shared by page and API.

The pipeline's parts are not safe to use from several threads at once (the answerer keeps the
request's filters on the shared retriever, the embedded LLM has one context, the store is opened
lazily), so every use of it, read or write, happens under one re-entrant lock. Answers are
produced by a worker thread that holds the lock until the answer is complete, so a client that
goes away mid-stream can never leave the lock held.
"""

from __future__ import annotations

import logging
import queue
import re
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.loaders import SIDECAR_SUFFIX, SUPPORTED_SUFFIXES
from rag.errors import BriefqaError
from rag.ledger.db import DealFilters
from rag.ledger.types import Event
from rag.pipeline import Pipeline
from rag.prompts import Turn
from rag.retrieval import Filters
from rag.store import DocState
from rag.types import Answer

log = logging.getLogger("briefqa.ui")

_SAFE_NAME = re.compile(r"[\w][\w .()+,=@-]*")  # letters/digits first; no separators or ':'
_MAX_NAME = 150
_END = object()


class UploadRejected(BriefqaError):
    """An uploaded file refused before it is saved; `status` is the HTTP status to answer."""

    def __init__(self, name: str, reason: str, status: int = 400) -> None:
        super().__init__(f"{name!r}: {reason}" if name else reason)
        self.reason = reason
        self.status = status


class DocumentNotFound(BriefqaError):  # noqa: N818 - reads as the HTTP 404 it becomes
    """A delete names a document the index does not hold."""


@dataclass(frozen=True)
class UploadItem:
    """One uploaded file: the name the client gave and its bytes."""

    name: str
    data: bytes


@dataclass
class UploadResult:
    """What an upload did; `rejected` lists {"path", "reason"} for each file not ingested."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[dict[str, str]] = field(default_factory=list)

    @property
    def accepted(self) -> list[str]:
        """Document ids now in the index from this upload."""
        return self.added + self.updated + self.unchanged


def check_upload_name(name: str) -> str:
    """Return a safe file name for the uploads folder, or raise `UploadRejected` (400) why not.

    Only a bare file name is accepted: no folders, no `..`, no absolute or drive paths, no hidden
    files, no README (a full `briefqa ingest` skips those), and a brief's file type.
    """
    given, name = name, name.strip()
    if not name:
        raise UploadRejected(given, "the file has no name")
    if "/" in name or "\\" in name or ":" in name or name.startswith(".."):
        raise UploadRejected(given, "give a bare file name, not a path (no '/', '\\', ':', '..')")
    if name.startswith("."):
        raise UploadRejected(given, "hidden file names (starting with '.') are not briefs")
    if len(name) > _MAX_NAME or not _SAFE_NAME.fullmatch(name):
        raise UploadRejected(
            given,
            f"use letters, digits, spaces and - _ . ( ) in file names of at most {_MAX_NAME} "
            "characters",
        )
    lower = name.lower()
    if not lower.endswith((*SUPPORTED_SUFFIXES, SIDECAR_SUFFIX)):
        suffix = Path(lower).suffix or "(none)"
        raise UploadRejected(
            given,
            f"unsupported file type {suffix}; use .txt, .md, .html or .pdf "
            f"(plus an optional <name>{SIDECAR_SUFFIX} metadata file)",
        )
    if Path(name).stem.upper() == "README":
        raise UploadRejected(given, "README files are documentation, not briefs; rename it")
    return name


class BriefService:
    """Thread-safe operations over one pipeline: ask, list, deals, upload, delete, health."""

    _instances: weakref.WeakKeyDictionary[Pipeline, BriefService] = weakref.WeakKeyDictionary()
    _instances_lock = threading.Lock()

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self.settings = pipeline.settings
        self.lock = threading.RLock()

    @classmethod
    def of(cls, pipeline: Pipeline) -> BriefService:
        """The one service (and so the one lock) of this pipeline."""
        with cls._instances_lock:
            if pipeline not in cls._instances:
                cls._instances[pipeline] = cls(pipeline)
            return cls._instances[pipeline]

    @property
    def max_upload_bytes(self) -> int:
        """The upload size limit in bytes."""
        return int(self.settings.max_upload_mb * 1e6)

    def warm_up(self) -> None:
        """Open the store and load the models now rather than on the first question."""
        with self.lock:
            _ = self.pipeline.answerer
            self.pipeline.store.count()

    # -- reading ---------------------------------------------------------------------------------

    def stream(
        self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None
    ) -> Iterator[str | Answer]:
        """Draft deltas, then the checked `Answer`; errors are raised here, in the caller."""
        events: queue.Queue[Any] = queue.Queue()

        def work() -> None:
            try:
                with self.lock:
                    for event in self.pipeline.answerer.stream(question, history, filters):
                        events.put(event)
            except BaseException as exc:  # handed to the reader, who raises it
                events.put(exc)
            finally:
                events.put(_END)

        threading.Thread(target=work, name="briefqa-answer", daemon=True).start()
        while (event := events.get()) is not _END:
            if isinstance(event, BaseException):
                raise event
            yield event

    def ask(
        self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None
    ) -> Answer:
        """Answer without streaming."""
        with self.lock:
            answer: Answer = self.pipeline.answerer.ask(question, history, filters)
            return answer

    def documents(self) -> list[DocState]:
        """Indexed briefs, newest first."""
        with self.lock:
            states = list(self.pipeline.store.documents().values())
        return sorted(states, key=lambda s: (s.date, s.doc_id), reverse=True)

    def companies(self) -> list[str]:
        """Companies named in the index, for the filter."""
        with self.lock:
            return list(self.pipeline.retriever.companies())

    def deals(self, filters: DealFilters | None = None) -> list[Event]:
        """The deal ledger's events matching `filters`, oldest first."""
        with self.lock:
            return list(self.pipeline.ledger.events(filters))

    def health(self) -> dict[str, Any]:
        """Index size and the models in use."""
        from rag.llms import describe_llm

        with self.lock:
            store = self.pipeline.store
            documents, chunks = len(store.documents()), store.count()
            meta = store.meta()
        return {
            "status": "ok",
            "documents": documents,
            "chunks": chunks,
            "backend": self.settings.llm_backend,
            "model": describe_llm(self.settings),
            "embed_model": meta.get("embed_model") or self.settings.embed_model,
            "last_ingest": meta.get("last_ingest"),
        }

    # -- writing ---------------------------------------------------------------------------------

    def check_item(self, item: UploadItem) -> str:
        """The safe name of an upload, or `UploadRejected` (400 bad name, 413 too large)."""
        name = check_upload_name(item.name)
        if len(item.data) > self.max_upload_bytes:
            raise UploadRejected(
                name, f"larger than the {self.settings.max_upload_mb:g} MB upload limit", 413
            )
        return name

    def upload(
        self, items: Iterable[UploadItem], progress: Callable[[int, int, str], None] | None = None
    ) -> UploadResult:
        """Save uploads under the uploads folder and ingest them; bad files land in `rejected`.

        A file the loader cannot read is not kept: an earlier upload of that name is restored.
        """
        result = UploadResult()
        briefs: dict[str, bytes] = {}
        sidecars: dict[str, bytes] = {}
        for item in items:
            try:
                name = self.check_item(item)
            except UploadRejected as exc:
                result.rejected.append({"path": item.name, "reason": exc.reason})
                continue
            if name.lower().endswith(SIDECAR_SUFFIX):
                sidecars[name[: -len(SIDECAR_SUFFIX)]] = item.data
            else:
                briefs[name] = item.data
        uploads = self.settings.uploads_dir
        uploads.mkdir(parents=True, exist_ok=True)
        todo = [(name, data, sidecars.pop(Path(name).stem, None)) for name, data in briefs.items()]
        for stem, data in sidecars.items():  # metadata for a brief uploaded earlier
            earlier = _briefs_named(uploads, stem)
            if earlier:
                todo.append((earlier[0].name, earlier[0].read_bytes(), data))
            else:
                reason = f"no brief {stem}.* in this upload or among earlier uploads"
                result.rejected.append({"path": stem + SIDECAR_SUFFIX, "reason": reason})
        for done, (name, data, sidecar) in enumerate(todo):
            if progress is not None:
                progress(done, len(todo), name)
            with self.lock:
                self._ingest_one(uploads, name, data, sidecar, result)
        if progress is not None:
            progress(len(todo), len(todo), "done")
        return result

    def delete(self, doc_id: str) -> list[str]:
        """Remove a brief from the index and its files from disk; returns the removed files."""
        from ingest.runner import remove_document

        with self.lock:
            if doc_id not in self.pipeline.store.documents():
                raise DocumentNotFound(f"no document {doc_id!r} in the index")
            return remove_document(self.pipeline, self.settings.corpus_dir, doc_id)

    def _ingest_one(
        self, uploads: Path, name: str, data: bytes, sidecar: bytes | None, result: UploadResult
    ) -> None:
        from ingest.runner import ingest_files

        target = uploads / name
        clash = [p.name for p in _briefs_named(uploads, target.stem) if p.name != name]
        if clash:
            reason = f"{clash[0]} already has the id uploads/{target.stem}; rename one of them"
            result.rejected.append({"path": name, "reason": reason})
            return
        paths = [target] + ([uploads / (target.stem + SIDECAR_SUFFIX)] if sidecar else [])
        backup = {p: p.read_bytes() if p.is_file() else None for p in paths}
        target.write_bytes(data)
        if sidecar is not None:
            paths[1].write_bytes(sidecar)
        try:
            report = ingest_files(self.pipeline, self.settings.corpus_dir, [target])
        except BaseException:
            _restore(backup)
            raise
        if report.skipped:
            _restore(backup)
            result.rejected.extend({"path": name, "reason": s["reason"]} for s in report.skipped)
        result.added += report.added
        result.updated += report.updated
        result.unchanged += report.unchanged


def _briefs_named(folder: Path, stem: str) -> list[Path]:
    """Briefs in `folder` whose id would be `<folder>/<stem>` (any supported suffix)."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.stem == stem and p.name.lower().endswith(SUPPORTED_SUFFIXES)
    )


def _restore(backup: dict[Path, bytes | None]) -> None:
    for path, data in backup.items():
        if data is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(data)
