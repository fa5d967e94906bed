"""The Deals tab's data, built from ledger events without Gradio: filters, rows, chart, timeline.

Every string read from a brief goes through `render.text` (cell text) or `attr` (tooltips), so a
brief holding `<img onerror=...>` shows as text: the page's Dataframe puts "html" cells into the
page as they are. Each cell carries its cited sentence as a `title` tooltip and starts with a
`data-k` sort key, because the table sorts on the cell's raw markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from rag.errors import BriefqaError
from rag.ledger.db import DealFilters
from rag.ledger.names import build_names
from rag.ledger.table import money_text
from rag.ledger.types import KINDS, Cite, Event, Money
from ui.render import text

COLUMNS = ("#", "Date", "Kind", "Parties", "Asset", "Territory", "Upfront", "Total", "Proceeds",
           "Source")  # fmt: skip
_HTML: list[Literal["number", "html"]] = ["html"]
DATATYPES: list[Literal["number", "html"]] = ["number", *_HTML * (len(COLUMNS) - 1)]
TABLE_TERMS = ("upfront", "total", "proceeds")
PLOT_TERMS = ("upfront", "total")
PLOT_COLUMNS = ("date", "usd_million", "term", "deal", "figure")
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_PAD = pd.Timedelta(days=45)


class BadDealQuery(BriefqaError):
    """A deal filter the ledger cannot apply (unknown kind, malformed date); HTTP 400."""


def deal_filters(
    kind: str | None = None,
    company: str | None = None,
    asset: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> DealFilters:
    """Filters from the page's or the query's raw values; blank means no filter.

    Dates must be YYYY, YYYY-MM or YYYY-MM-DD: the ledger compares them as strings, so `202403`
    would silently match the wrong rows.
    """
    values = [(v or "").strip() or None for v in (kind, company, asset, since, until)]
    kind_v, company_v, asset_v, since_v, until_v = values
    if kind_v is not None:
        kind_v = kind_v.lower()
        if kind_v not in KINDS:
            raise BadDealQuery(f"unknown deal kind {kind_v!r}; use one of {', '.join(KINDS)}")
    for name, value in (("since", since_v), ("until", until_v)):
        if value is not None and not _DATE.fullmatch(value):
            raise BadDealQuery(f"{name} {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    return DealFilters(kind_v, company_v, asset_v, since_v, until_v)


def usd_value(money: Money | None) -> float | None:
    """The USD figure the brief states: `Money.usd`, else a USD sum's amount; never converted."""
    if money is None or money.undisclosed:
        return None
    if money.usd is not None:
        return money.usd
    if money.currency == "USD" and money.amount is not None:
        return money.amount
    return None


def attr(value: object) -> str:
    """Escape text for an HTML attribute (tooltips keep no line breaks)."""
    return html.escape(" ".join(str(value).split()), quote=True)


def cell(shown_html: str, key: str, cite: Cite | None) -> str:
    """One table cell: sort key first, the cited sentence as its tooltip."""
    tip = f' title="{attr(cite.quote)}"' if cite is not None else ""
    return f'<span class="bq-cell" data-k="{attr(key)}"{tip}>{shown_html}</span>'


def _money_key(money: Money | None) -> str:
    # Sorted on the stated USD value, zero-padded so string order is number order; a figure
    # with no USD value sorts with the blanks rather than being compared across currencies.
    usd = usd_value(money)
    return "" if usd is None else f"{round(usd):016d}"


def _parties(event: Event) -> str:
    parts = []
    for party in event.parties:
        cite = event.cites.get(f"party:{party.name}")
        tip = f' title="{attr(cite.quote)}"' if cite is not None else ""
        parts.append(
            f'<span class="bq-party"{tip}>{text(party.name)}</span> '
            f'<span class="bq-role">({text(party.role)})</span>'
        )
    return "; ".join(parts)


def table_rows(events: Sequence[Event]) -> list[list[Any]]:
    """One row per event, in `COLUMNS` order; column 0 numbers the rows from 1 (`row_event`)."""
    rows: list[list[Any]] = []
    for n, e in enumerate(events):
        kind_cite = e.cites.get("kind")
        names = e.names()
        source = f'{text(e.title or e.doc_id)}<br><code class="bq-doc-id">{text(e.doc_id)}</code>'
        row: list[Any] = [
            n + 1,
            cell(text(e.date), e.date, kind_cite),
            cell(text(e.kind), e.kind, kind_cite),
            cell(_parties(e), names[0].lower() if names else "", None),
            cell(text(", ".join(e.asset)), ", ".join(e.asset).lower(), e.cites.get("asset")),
            cell(text(e.territory or ""), (e.territory or "").lower(), e.cites.get("territory")),
        ]
        for term in TABLE_TERMS:
            money = e.money.get(term)
            row.append(cell(text(money_text(money)), _money_key(money), e.cites.get(term)))
        row.append(cell(source, (e.title or e.doc_id).lower(), kind_cite))
        rows.append(row)
    return rows


def row_event(events: Sequence[Event], number: object) -> Event | None:
    """The event a row's "#" value stands for (None for anything else)."""
    try:
        n = int(float(str(number))) - 1
    except ValueError:
        return None
    return events[n] if 0 <= n < len(events) else None


def table_frame(events: Sequence[Event]) -> pd.DataFrame:
    """The rows as the DataFrame the page's table shows."""
    return pd.DataFrame(table_rows(events), columns=list(COLUMNS))


def column_fields(event: Event, column: int) -> list[str]:
    """The `cites` keys behind a table column (date and source cells cite the event sentence)."""
    name = COLUMNS[column] if 0 <= column < len(COLUMNS) else ""
    if name in ("Date", "Kind", "Source"):
        return ["kind"]
    if name == "Parties":
        return [f"party:{p.name}" for p in event.parties]
    if name in ("Asset", "Territory"):
        return [name.lower()]
    if name.lower() in TABLE_TERMS:
        return [name.lower()]
    return []


def deal_label(event: Event) -> str:
    """A short name for the event: its parties, else its asset, else the brief's title."""
    return " / ".join(event.names()) or ", ".join(event.asset) or event.title or event.doc_id


@dataclass(frozen=True)
class PlotData:
    """The chart's points, its x range and the figures left out of it."""

    frame: pd.DataFrame  # PLOT_COLUMNS; "date" as datetimes, one row per stated figure
    left_out: list[str]  # "date deal: term text" for each figure without a stated USD value
    x_lim: list[float] | None  # Unix seconds, padded so points at the ends are not cut in half


def plot_data(events: Sequence[Event]) -> PlotData:
    """Upfront and total values in USD million by date; a figure is plotted only when its brief
    states a USD value (`usd_value`), the others are listed as left out."""
    points: list[dict[str, Any]] = []
    left_out: list[str] = []
    for e in events:
        for term in PLOT_TERMS:
            money = e.money.get(term)
            if money is None or money.undisclosed:
                continue
            usd = usd_value(money)
            if usd is None:
                left_out.append(f"{e.date} {deal_label(e)}: {term} {money.text}")
                continue
            points.append({"date": e.date, "usd_million": usd / 1e6, "term": term,
                           "deal": deal_label(e), "figure": money.text})  # fmt: skip
    frame = pd.DataFrame(points, columns=list(PLOT_COLUMNS))
    frame["date"] = pd.to_datetime(frame["date"], errors="coerce")
    dates = frame["date"].dropna()
    x_lim = None
    if len(dates):
        lo, hi = dates.min() - _PAD, dates.max() + _PAD
        x_lim = [lo.timestamp(), hi.timestamp()]
    return PlotData(frame, left_out, x_lim)


def asset_names(events: Sequence[Event]) -> list[str]:
    """Every asset name the ledger holds, once each (first spelling seen), sorted."""
    seen: dict[str, str] = {}
    for e in events:
        for name in e.asset:
            seen.setdefault(name.casefold(), name)
    return sorted(seen.values(), key=str.casefold)


def asset_events(events: Sequence[Event], name: str) -> list[Event]:
    """The events about this product under any of its names (code, generic, brand: the rows
    that list them together say which), in date order.

    Whole names, unlike the ledger's substring filter: the timeline of CT053 must not show CT0531.
    """
    if not name.strip():
        return []
    names = build_names(events)
    key = names.mentioned(name.strip())
    wanted = name.strip().casefold()
    hits = [
        e for e in events
        if wanted in {a.casefold() for a in e.asset} or (key and key[0] in names.keys_of(e))
    ]  # fmt: skip
    return sorted(hits, key=lambda e: (e.date, e.doc_id))
