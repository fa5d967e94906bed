"""Questions about many rows, answered from the ledger: read the question, pick the rows, reply,
and number each item's citation like any other answer's. None when the ledger cannot settle it.

The rows and their name index are read once and kept until the ledger file changes (ingest
writes it), so a ledger question costs one small parse and a scan of the rows in memory.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from rag.ledger.asking import asks_money, read_query
from rag.ledger.reply import LedgerItem, LedgerReply, reply
from rag.ledger.roles import swapped_sides
from rag.ledger.select import Rows, index_rows, select_rows
from rag.ledger.shares import totals_as_shares
from rag.ledger.types import Cite
from rag.lexical import lexical_tokens
from rag.reading.nlp import parse
from rag.types import Answer, Citation


class LedgerAnswerer:
    """Answers list, count, ranking, sum, timeline and amendment questions from a `Ledger`."""

    def __init__(self, ledger: Any) -> None:
        self.ledger = ledger
        self._lock = threading.Lock()
        self._seen: tuple[int, int] | None = None
        self._index = index_rows(())
        self._party_names: tuple[Rows | None, frozenset[frozenset[str]]] = (None, frozenset())

    def rows(self) -> Rows:
        """The ledger's rows, indexed, re-read when the file changed."""
        try:
            stat = self.ledger.path.stat()
            seen = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            return index_rows(())
        with self._lock:
            if seen != self._seen:
                self._index = index_rows(self.ledger.events())
                self._seen = seen
            return self._index

    def party_names(self) -> frozenset[frozenset[str]]:
        """The (stemmed) words of every company the rows name as a party (no regulators), one
        set per company."""
        index = self.rows()
        if self._party_names[0] is not index:
            names = {frozenset(lexical_tokens(p.name)) for e in index.events for p in e.parties
                     if p.role != "agency"}  # fmt: skip
            self._party_names = (index, frozenset(names))
        return self._party_names[1]

    def swapped(self, question: str, doc_id: str, answer: str = "") -> str:
        """Why a brief cannot answer a question after a sum in one deal ("" when it can): the
        question casts its companies on the deal's other side (its figure is the other side's),
        or asks what one of a round's several investors put in where `answer` states only the
        round's total (`shares.totals_as_shares`). A question after anything else reads no side
        ("What rights did Huadong get?")."""
        events = [e for e in self.rows().events if e.doc_id == doc_id]
        if not events or not asks_money(question):
            return ""
        doc = parse(question)
        why = [f"says {s}" for s in swapped_sides(doc, events)]
        why += totals_as_shares(doc, events, answer)
        return "the closest brief " + "; ".join(why) if why else ""

    def reply(self, question: str, rare: Callable[[str], bool]) -> LedgerReply | None:
        """The ledger's reply, or None when it does not settle the question."""
        index = self.rows()
        if not index.events:
            return None
        query = read_query(question)
        mentioned = index.names.mentioned(question)
        rows = select_rows(query, mentioned, index, rare)
        return reply(query, rows, index.names, mentioned)

    def answer(self, question: str, backend: str, rare: Callable[[str], bool]) -> Answer | None:
        """An `Answer` with one numbered citation per cited sentence, or None."""
        found = self.reply(question, rare)
        if found is None:
            return None
        titles = {e.doc_id: (e.title, e.date) for e in reversed(self.rows().events)}
        numbers: dict[tuple[str, int], int] = {}
        citations: list[Citation] = []

        def marked(item: LedgerItem) -> str:
            n = numbers.get((item.cite.doc_id, item.cite.start))
            if n is None:
                n = numbers[(item.cite.doc_id, item.cite.start)] = len(citations) + 1
                citations.append(_citation(n, item.cite, *titles.get(item.cite.doc_id, ("", ""))))
            return f"{item.text} [{n}]"

        lead = found.lead
        if found.dated:
            lead = f"{lead} {' -> '.join(marked(d) for d in found.dated)}:".strip()
        parts = [marked(item) for item in found.items]
        text = " ".join(p for p in (lead, "; ".join(parts) + ".", found.note) if p)
        retrieved = tuple((c.doc_id, 1.0) for c in citations)
        return Answer(question, text, False, tuple(citations), tuple(dict(retrieved).items()),
                      backend, mode="ledger")  # fmt: skip


def _citation(n: int, cite: Cite, title: str, date: str) -> Citation:
    return Citation(n, cite.doc_id, title, date, "", cite.quote, cite.quote, (cite.start, cite.end))
