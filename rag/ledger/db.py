"""The ledger file: SQLite beside the store, one row per event, written one brief at a time.

A brief's rows are replaced in one transaction together with its hash in `docs`, so a killed
ingest leaves either the old rows or the new ones, never half; a brief whose hash is already
recorded is not touched. The hash carries `EXTRACTOR_VERSION`: a changed extractor re-reads all.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rag.errors import StoreUnavailableError
from rag.ledger.types import Event, event_from_json

EXTRACTOR_VERSION = "33"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (doc_id TEXT PRIMARY KEY, doc_hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES docs(doc_id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    date TEXT NOT NULL,
    names TEXT NOT NULL,   -- '|'-joined lower-case party names, for the company filter
    assets TEXT NOT NULL,  -- '|'-joined lower-case asset names, for the asset filter
    body TEXT NOT NULL     -- the Event as JSON
);
CREATE INDEX IF NOT EXISTS events_doc ON events(doc_id);
CREATE INDEX IF NOT EXISTS events_date ON events(date);
"""


@dataclass(frozen=True)
class DealFilters:
    """What `briefqa deals`, `GET /api/deals` and the Deals tab filter on (all optional)."""

    kind: str | None = None
    company: str | None = None  # substring of a party's name, any case
    asset: str | None = None  # substring of an asset name (code, generic or brand)
    since: str | None = None  # YYYY[-MM[-DD]], inclusive
    until: str | None = None  # YYYY[-MM[-DD]], inclusive


class Ledger:
    """The events table of one data dir."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as con:
                con.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise StoreUnavailableError(
                f"cannot open the deal ledger {path} ({exc}); check the data dir is writable, "
                "or delete the file and run `briefqa ingest` to rebuild it"
            ) from exc

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        con = sqlite3.connect(self.path, timeout=30)
        try:
            con.execute("PRAGMA foreign_keys = ON")
            with con:  # one transaction: committed on success, rolled back on any error
                yield con
        finally:
            con.close()

    def hashes(self) -> dict[str, str]:
        """Each recorded brief's hash (what ingest compares to skip unchanged briefs)."""
        with self._connect() as con:
            return dict(con.execute("SELECT doc_id, doc_hash FROM docs"))

    def replace(self, doc_id: str, doc_hash: str, events: Iterable[Event]) -> None:
        """Swap a brief's rows for `events`, atomically."""
        rows = [
            (
                doc_id, e.kind, e.date,
                "|".join(n.lower() for n in e.names()), "|".join(a.lower() for a in e.asset),
                json.dumps(e.to_json(), ensure_ascii=False),
            )
            for e in events
        ]  # fmt: skip
        with self._lock, self._connect() as con:
            con.execute("DELETE FROM docs WHERE doc_id = ?", (doc_id,))  # cascades to events
            con.execute("INSERT INTO docs VALUES (?, ?)", (doc_id, doc_hash))
            con.executemany(
                "INSERT INTO events (doc_id, kind, date, names, assets, body) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )

    def delete(self, doc_ids: Iterable[str]) -> None:
        """Remove these briefs' rows."""
        with self._lock, self._connect() as con:
            con.executemany("DELETE FROM docs WHERE doc_id = ?", [(d,) for d in doc_ids])

    def events(self, filters: DealFilters | None = None) -> list[Event]:
        """The events matching `filters`, oldest first."""
        f = filters or DealFilters()
        where: list[str] = ["1"]
        args: list[str | int] = []
        if f.kind:
            where.append("kind = ?")
            args.append(f.kind)
        if f.company:
            where.append("instr(names, ?) > 0")
            args.append(f.company.lower())
        if f.asset:
            where.append("instr(assets, ?) > 0")
            args.append(f.asset.lower())
        if f.since:
            where.append("date >= ?")
            args.append(f.since)
        if f.until:
            # "2024" must include 2024-12-31: compare on the filter's own precision.
            where.append("substr(date, 1, ?) <= ?")
            args.extend([len(f.until), f.until])
        sql = f"SELECT body FROM events WHERE {' AND '.join(where)} ORDER BY date, doc_id, id"
        with self._connect() as con:
            return [event_from_json(json.loads(b)) for (b,) in con.execute(sql, args)]

    def count(self) -> int:
        """Rows in the ledger."""
        with self._connect() as con:
            return int(con.execute("SELECT count(*) FROM events").fetchone()[0])
