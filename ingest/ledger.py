"""Keep the deal ledger in step with the briefs: extract what changed, drop what is gone.

Each brief's rows are written in their own transaction (`Ledger.replace`), so a run killed
mid-way leaves whole briefs only, and the next run extracts the rest. A brief whose recorded hash
matches is not touched, so a re-ingest of an unchanged corpus writes nothing.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

from tqdm import tqdm

from ingest.loaders import Brief
from rag.ledger.db import EXTRACTOR_VERSION
from rag.ledger.extract import BriefText, extract_events
from rag.ledger.types import Event
from rag.pipeline import Pipeline


def ledger_hash(doc_hash: str) -> str:
    """The hash recorded per brief: the document's and the extractor's version."""
    return f"{doc_hash}|ledger-{EXTRACTOR_VERSION}"


class LedgerSync:
    """One ingest's ledger work: extraction runs in a thread beside the embedding (the encoder
    releases the GIL while it computes, and the spaCy parse is most of extraction), and the rows
    are written by `finish`, after the chunks, so a brief's rows never run ahead of its text."""

    def __init__(self, pipeline: Pipeline, briefs: Iterable[tuple[Brief, str]]) -> None:
        self.ledger = pipeline.ledger
        recorded = self.ledger.hashes()
        hashed = [(b, ledger_hash(h)) for b, h in briefs]
        self.stale = [(b, h) for b, h in hashed if recorded.get(b.doc_id) != h]
        known = tuple(sorted({c for b, _ in hashed for c in b.companies}))
        self.cpu_seconds = 0.0  # the extraction thread's own CPU time (what it costs the machine)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ledger")
        self._events = [self._pool.submit(self._extract, b, known) for b, _ in self.stale]

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

    def _extract(self, brief: Brief, known: tuple[str, ...]) -> list[Event]:
        started = time.thread_time()
        text = BriefText(brief.doc_id, brief.text, brief.title, brief.date, brief.companies,
                         known_companies=known)  # fmt: skip
        try:
            return extract_events(text)
        finally:  # one worker thread: no other writer of the sum
            self.cpu_seconds += time.thread_time() - started

    def cancel(self) -> None:
        """Stop extracting (an ingest that failed before its rows were due)."""
        for future in self._events:
            future.cancel()
        self._pool.shutdown(wait=True)
