"""The ledger file: atomic per-brief replacement, filters, deletion."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rag.ledger.db import DealFilters, Ledger
from rag.ledger.types import Event, Money, Party


def _event(doc: str, kind: str, date: str, company: str, asset: str = "") -> Event:
    return Event(
        doc, kind, date, parties=(Party(company, "sponsor"),), asset=(asset,) if asset else (),
        money={"upfront": Money(5e6, "USD", "USD 5 million", 5e6)},
    )  # fmt: skip


def test_ledger_replace_swaps_a_briefs_rows_and_round_trips(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "l.sqlite")
    ledger.replace("a", "h1", [_event("a", "licence", "2024-01-02", "Zorbex Bio", "ZX-1")])
    ledger.replace("a", "h2", [_event("a", "approval", "2024-03-04", "Zorbex Bio")])
    (event,) = ledger.events()
    assert event.kind == "approval" and ledger.hashes() == {"a": "h2"}
    assert event.money["upfront"] == Money(5e6, "USD", "USD 5 million", 5e6)


def test_ledger_replace_failing_midway_keeps_the_old_rows(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "l.sqlite")
    ledger.replace("a", "h1", [_event("a", "licence", "2024-01-02", "Zorbex Bio")])

    def broken() -> Iterator[Event]:
        yield _event("a", "approval", "2024-03-04", "Zorbex Bio")
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        ledger.replace("a", "h2", broken())
    assert [e.kind for e in ledger.events()] == ["licence"] and ledger.hashes() == {"a": "h1"}


def test_ledger_filters_by_kind_company_asset_and_dates(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "l.sqlite")
    ledger.replace("a", "h", [_event("a", "licence", "2023-05-01", "Zorbex Bio", "ZX-117")])
    ledger.replace("b", "h", [_event("b", "approval", "2024-12-31", "Halcyon Pharma", "HP-9")])
    docs = lambda f: [e.doc_id for e in ledger.events(f)]  # noqa: E731
    assert docs(DealFilters(kind="approval")) == ["b"]
    assert docs(DealFilters(company="zorbex")) == ["a"]
    assert docs(DealFilters(asset="zx-1")) == ["a"]
    assert docs(DealFilters(since="2024")) == ["b"]
    assert docs(DealFilters(until="2024")) == ["a", "b"]  # "2024" includes its last day
    assert docs(DealFilters(until="2024-06")) == ["a"]
    ledger.delete(["a"])
    assert docs(None) == ["b"] and ledger.count() == 1
