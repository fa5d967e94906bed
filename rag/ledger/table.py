"""The ledger as a flat table: one row of display strings per event (CLI, CSV, the Deals tab)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from rag.errors import BriefqaError
from rag.ledger.types import TERMS, Event, Money

COLUMNS = ("date", "kind", "parties", "asset", "territory", "indication", *TERMS, "doc_id",
           "title")  # fmt: skip


def money_text(money: Money | None) -> str:
    """A term as the brief states it ("undisclosed" when it says so)."""
    if money is None:
        return ""
    return "undisclosed" if money.undisclosed else money.text


def event_rows(events: Sequence[Event]) -> list[dict[str, str]]:
    """One dict of strings per event, keyed by `COLUMNS`."""
    rows = []
    for e in events:
        row = {
            "date": e.date,
            "kind": e.kind,
            "parties": ", ".join(f"{p.name} ({p.role})" for p in e.parties),
            "asset": " / ".join(e.asset),
            "territory": e.territory or "",
            "indication": e.indication or "",
            "doc_id": e.doc_id,
            "title": e.title,
        }
        row.update({term: money_text(e.money.get(term)) for term in TERMS})
        rows.append(row)
    return rows


def write_csv(events: Sequence[Event], path: Path) -> None:
    """Write the table as CSV (UTF-8, a header row)."""
    try:
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(event_rows(events))
    except OSError as exc:
        raise BriefqaError(f"cannot write {path} ({exc.strerror}); pick a writable path") from exc
