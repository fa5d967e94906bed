"""Questions about many rows, answered from the ledger: read the question, pick the rows, reply,
and number each item's citation like any other answer's. None when the ledger cannot settle it.

The rows and their name index are read once and kept until the ledger file changes (ingest
writes it), so a ledger question costs one small parse and a scan of the rows in memory.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from rag.ledger.asking import read_query
from rag.ledger.names import NameIndex, build_names
from rag.ledger.reply import LedgerReply, reply
from rag.ledger.select import select_rows
from rag.ledger.types import Cite, Event
from rag.types import Answer, Citation


class LedgerAnswerer:
    """Answers list, count, ranking, sum, timeline and amendment questions from a `Ledger`."""

    def __init__(self, ledger: Any) -> None:
        self.ledger = ledger
        self._lock = threading.Lock()
        self._seen: tuple[int, int] | None = None
        self._rows: list[Event] = []
        self._names = NameIndex({}, {})

    def rows(self) -> tuple[list[Event], NameIndex]:
        """The ledger's rows and their names, re-read when the file changed."""
        try:
            stat = self.ledger.path.stat()
            seen = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            return [], NameIndex({}, {})
        with self._lock:
            if seen != self._seen:
                self._rows = self.ledger.events()
                self._names = build_names(self._rows)
                self._seen = seen
            return self._rows, self._names

    def reply(self, question: str, rare: Callable[[str], bool]) -> LedgerReply | None:
        """The ledger's reply, or None when it does not settle the question."""
        events, names = self.rows()
        if not events:
            return None
        query = read_query(question)
        mentioned = names.mentioned(question)
        rows = select_rows(query, mentioned, names, events, rare)
        return reply(query, rows, names, mentioned)

    def answer(self, question: str, backend: str, rare: Callable[[str], bool]) -> Answer | None:
        """An `Answer` with one numbered citation per cited sentence, or None."""
        found = self.reply(question, rare)
        if found is None:
            return None
        events, _ = self.rows()
        titles = {e.doc_id: (e.title, e.date) for e in reversed(events)}
        numbers: dict[tuple[str, int], int] = {}
        citations: list[Citation] = []
        parts = []
        for item in found.items:
            n = numbers.get((item.cite.doc_id, item.cite.start))
            if n is None:
                n = numbers[(item.cite.doc_id, item.cite.start)] = len(citations) + 1
                citations.append(_citation(n, item.cite, *titles.get(item.cite.doc_id, ("", ""))))
            parts.append(f"{item.text} [{n}]")
        text = " ".join(p for p in (found.lead, "; ".join(parts) + ".", found.note) if p)
        retrieved = tuple((c.doc_id, 1.0) for c in citations)
        return Answer(question, text, False, tuple(citations), tuple(dict(retrieved).items()),
                      backend, mode="ledger")  # fmt: skip


def _citation(n: int, cite: Cite, title: str, date: str) -> Citation:
    return Citation(n, cite.doc_id, title, date, "", cite.quote, cite.quote, (cite.start, cite.end))
