"""Keep the deal ledger in step with the briefs: extract what changed, drop what is gone.

Each brief's rows are written in their own transaction (`Ledger.replace`), so a run killed
mid-way leaves whole briefs only, and the next run extracts the rest. A brief whose recorded hash
matches is not touched, so a re-ingest of an unchanged corpus writes nothing.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor

from tqdm import tqdm

from ingest.loaders import Brief
from rag.ledger.db import EXTRACTOR_VERSION
from rag.ledger.extract import BriefText, extract_events
from rag.ledger.sections import read_sections
from rag.ledger.types import Event
from rag.pipeline import Pipeline

# briefs parsed in one spaCy call: one brief alone is a batch of four or five paragraphs, and
# eight at a time cut the parse's CPU by ~10% (corpus/); more gained nothing measurable
_GROUP = 8


def ledger_hash(doc_hash: str) -> str:
    """The hash recorded per brief: the document's and the extractor's version."""
    return f"{doc_hash}|ledger-{EXTRACTOR_VERSION}"


class LedgerSync:
    """One ingest's ledger work: extraction runs in a thread beside the embedding (the encoder
    releases the GIL while it computes, and the spaCy parse is most of extraction), and the rows
    are written by `finish`, after the chunks, so a brief's rows never run ahead of its text.
    The thread parses `_GROUP` briefs at a time but settles each brief's own future, so a
    failure still costs only the briefs from the failed one on."""

    def __init__(self, pipeline: Pipeline, briefs: Iterable[tuple[Brief, str]]) -> None:
        self.ledger = pipeline.ledger
        recorded = self.ledger.hashes()
        hashed = [(b, ledger_hash(h)) for b, h in briefs]
        self.stale = [(b, h) for b, h in hashed if recorded.get(b.doc_id) != h]
        known = tuple(sorted({c for b, _ in hashed for c in b.companies}))
        self.cpu_seconds = 0.0  # the extraction thread's own CPU time (what it costs the machine)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ledger")
        texts = [BriefText(b.doc_id, b.text, b.title, b.date, b.companies, known_companies=known)
                 for b, _ in self.stale]  # fmt: skip
        self._events: list[Future[list[Event]]] = [Future() for _ in texts]
        self._groups = [
            self._pool.submit(self._extract, texts[i : i + _GROUP], self._events[i : i + _GROUP])
            for i in range(0, len(texts), _GROUP)
        ]

    def finish(self, deleted: Iterable[str], progress: bool) -> int:
        """Delete `deleted`, write each stale brief's rows; returns the briefs written."""
        try:
            self.ledger.delete(deleted)
            bar = tqdm(zip(self.stale, self._events, strict=True), total=len(self.stale),
                       desc="deals", unit="brief", disable=not progress or not self.stale,
                       file=sys.stderr)  # fmt: skip
            for (brief, digest), events in bar:
                self.ledger.replace(brief.doc_id, digest, events.result())
            return len(self.stale)
        finally:
            self.cancel()

    def _extract(self, briefs: list[BriefText], futures: list[Future[list[Event]]]) -> None:
        """Parse a group of briefs at once, then extract each into its own future; a failure
        (KeyboardInterrupt included) is handed to `finish` there, as the pool would have."""
        started = time.thread_time()
        try:
            if not all(f.set_running_or_notify_cancel() for f in futures):
                return  # cancelled: `cancel` runs once nothing waits on these futures
            try:
                sections = read_sections([(b.text, b.title) for b in briefs])
            except BaseException as exc:
                for future in futures:
                    future.set_exception(exc)
                return
            for brief, parts, future in zip(briefs, sections, futures, strict=True):
                try:
                    future.set_result(extract_events(brief, parts))
                except BaseException as exc:
                    future.set_exception(exc)
        finally:  # one worker thread: no other writer of the sum
            self.cpu_seconds += time.thread_time() - started

    def cancel(self) -> None:
        """Stop extracting (an ingest that failed before its rows were due)."""
        for group in self._groups:
            group.cancel()
        for future in self._events:
            future.cancel()
        self._pool.shutdown(wait=True)
