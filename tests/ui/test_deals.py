"""The Deals tab's data: filters, table cells (escaped, cited, sortable), chart points, timeline."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from rag.ledger.db import DealFilters
from rag.ledger.types import KINDS, Cite, Event, Money, Party
from tests.ui.conftest import CT053, XSS_TITLE, make_pipeline, small_corpus
from ui import deals

EVIL = '<script>alert(1)</script> <img src=x onerror="alert(2)">'
LEAD = "Acme Bio licensed AX-1 to Borealis Pharma for Greater China."
TERMS = "Acme Bio gets RMB 100 million (USD 14 million) upfront, USD 300 million in total."


def cite(quote: str, start: int = 0) -> Cite:
    """A cite of `quote` in the Acme brief."""
    return Cite("briefs/acme", start, start + len(quote), quote)


def licence_event(**changes: Any) -> Event:
    """An Acme / Borealis licence with every field cited; `changes` replace fields."""
    fields: dict[str, Any] = {
        "doc_id": "briefs/acme",
        "kind": "licence",
        "date": "2024-05-01",
        "title": "Acme licenses AX-1",
        "parties": (Party("Acme Bio", "licensor"), Party("Borealis Pharma", "licensee")),
        "asset": ("AX-1", "acmetinib"),
        "territory": "Greater China",
        "money": {
            "upfront": Money(100e6, "RMB", "RMB 100 million (USD 14 million)", 14e6),
            "total": Money(300e6, "USD", "USD 300 million"),
        },
        "cites": {
            "kind": cite(LEAD),
            "asset": cite(LEAD),
            "territory": cite(LEAD),
            "party:Acme Bio": cite(LEAD),
            "party:Borealis Pharma": cite(LEAD),
            "upfront": cite(TERMS, 61),
            "total": cite(TERMS, 61),
        },
    }
    fields.update(changes)
    return Event(**fields)


def _column(row: list[Any], name: str) -> str:
    return str(row[deals.COLUMNS.index(name)])


def _tags(html: str) -> set[str]:
    return {t.lower() for t in re.findall(r"<\s*([a-zA-Z]+)", html)}


def test_deals_filters_treat_blanks_as_no_filter() -> None:
    assert deals.deal_filters("", " ", None, "", "  ") == DealFilters()
    got = deals.deal_filters(" Licence ", " Acme ", "AX-1", "2023", "2024-06")
    assert got == DealFilters("licence", "Acme", "AX-1", "2023", "2024-06")


def test_deals_filters_reject_unknown_kind_listing_the_kinds() -> None:
    with pytest.raises(deals.BadDealQuery, match="unknown deal kind 'merger'") as caught:
        deals.deal_filters(kind="merger")
    assert all(kind in str(caught.value) for kind in KINDS)


@pytest.mark.parametrize("date", ["May 2024", "202403", "2024-3", "2024-03-1", "24"])
def test_deals_filters_reject_dates_the_ledger_would_misread(date: str) -> None:
    with pytest.raises(deals.BadDealQuery, match="YYYY, YYYY-MM or YYYY-MM-DD"):
        deals.deal_filters(since=date)
    with pytest.raises(deals.BadDealQuery, match="until"):
        deals.deal_filters(until=date)


def test_deals_usd_value_is_stated_usd_or_a_usd_amount_never_converted() -> None:
    assert deals.usd_value(Money(200e6, "RMB", "RMB 200 million (USD 29.5 million)", 29.5e6))
    assert deals.usd_value(Money(200e6, "RMB", "RMB 200 million")) is None
    assert deals.usd_value(Money(64e6, "EUR", "EUR 64 million")) is None
    assert deals.usd_value(Money(45e6, "USD", "USD 45 million")) == 45e6
    assert deals.usd_value(Money(None, None, "undisclosed", undisclosed=True)) is None
    assert deals.usd_value(None) is None


def test_deals_table_rows_cite_every_cell_and_show_brief_figures() -> None:
    [row] = deals.table_rows([licence_event()])
    assert len(row) == len(deals.COLUMNS) == len(deals.DATATYPES) and row[0] == 1
    upfront = _column(row, "Upfront")
    assert ">RMB 100 million (USD 14 million)</span>" in upfront
    assert f'title="{TERMS}"' in upfront and f'title="{TERMS}"' in _column(row, "Total")
    for name in ("Date", "Kind", "Asset", "Territory", "Source"):
        assert f'title="{LEAD}"' in _column(row, name), name
    parties = _column(row, "Parties")
    assert parties.count(f'title="{LEAD}"') == 2 and "(licensor)" in parties
    source = _column(row, "Source")
    assert "briefs/acme" in source and "Acme licenses AX-1" in source
    assert _column(row, "Proceeds") == '<span class="bq-cell" data-k=""></span>'  # no such term


def test_deals_table_rows_sort_keys_order_money_by_stated_usd() -> None:
    def key(event: Event, name: str) -> str:
        cell = _column(deals.table_rows([event])[0], name)
        return re.search(r'data-k="([^"]*)"', cell).group(1)  # type: ignore[union-attr]

    small = licence_event(money={"upfront": Money(5e6, "USD", "USD 5 million")})
    billion = Money(1e9, "RMB", "RMB 1 billion (USD 140 million)", 1.4e8)
    big = licence_event(money={"upfront": billion})
    unknown = licence_event(money={"upfront": Money(64e6, "EUR", "EUR 64 million")})
    keys = [key(e, "Upfront") for e in (unknown, small, big)]
    assert keys == sorted(keys) and keys[0] == "" and len(keys[1]) == len(keys[2])
    early, late = licence_event(date="2023-12-31"), licence_event(date="2024-01-02")
    assert key(early, "Date") < key(late, "Date")


def test_deals_table_rows_escape_brief_strings_in_text_and_tooltips() -> None:
    event = licence_event(
        title=XSS_TITLE,
        parties=(Party(EVIL, "licensor"),),
        asset=(EVIL,),
        cites={"kind": cite(f'He said "hi" {EVIL}'), f"party:{EVIL}": cite(EVIL)},
    )
    html = "".join(str(c) for c in deals.table_rows([event])[0])
    assert "<script" not in html and "<img" not in html and "&lt;img src=x onerror=" in html
    assert 'title="He said &quot;hi&quot; &lt;script&gt;' in html
    assert _tags(html) <= {"span", "br", "code"}


def test_deals_row_event_maps_the_number_column_back() -> None:
    events = [licence_event(), licence_event(date="2025-01-01")]
    assert deals.row_event(events, 2) is events[1] and deals.row_event(events, "1.0") is events[0]
    assert deals.row_event(events, 0) is None and deals.row_event(events, 3) is None
    assert deals.row_event(events, None) is None and deals.row_event(events, "x") is None


def test_deals_column_fields_name_the_cites_behind_each_column() -> None:
    event = licence_event()
    fields = {name: deals.column_fields(event, n) for n, name in enumerate(deals.COLUMNS)}
    assert fields["#"] == [] and fields["Date"] == fields["Source"] == ["kind"]
    assert fields["Parties"] == ["party:Acme Bio", "party:Borealis Pharma"]
    assert fields["Upfront"] == ["upfront"] and fields["Territory"] == ["territory"]
    assert deals.column_fields(event, 99) == []


def test_deals_plot_data_keeps_stated_usd_and_lists_the_rest() -> None:
    events = [
        licence_event(),
        licence_event(date="2025-02-01", money={"upfront": Money(45e6, "RMB", "RMB 45 million"),
                                                "proceeds": Money(9e6, "USD", "USD 9 million")}),
        licence_event(date="2025-03-01", money={"total": Money(None, None, "", None, True)}),
    ]  # fmt: skip
    plot = deals.plot_data(events)
    assert list(plot.frame.columns) == list(deals.PLOT_COLUMNS)
    points = plot.frame.to_dict("records")
    assert [(p["term"], p["usd_million"]) for p in points] == [("upfront", 14.0), ("total", 300.0)]
    assert str(points[0]["date"].date()) == "2024-05-01"
    assert points[0]["figure"] == "RMB 100 million (USD 14 million)"
    assert points[0]["deal"] == "Acme Bio / Borealis Pharma"
    assert plot.left_out == ["2025-02-01 Acme Bio / Borealis Pharma: upfront RMB 45 million"]
    assert plot.x_lim is not None
    lo, hi = plot.x_lim
    assert lo < points[0]["date"].timestamp() <= hi


def test_deals_plot_data_of_no_events_is_an_empty_frame() -> None:
    plot = deals.plot_data([])
    assert plot.frame.empty and plot.left_out == [] and plot.x_lim is None


def test_deals_asset_names_and_events_match_whole_names_of_one_product() -> None:
    events = [
        licence_event(date="2025-01-01", asset=("CT0531",)),
        licence_event(date="2024-01-01", asset=("ct053", "zevor-cel")),
        licence_event(date="2023-01-01", asset=("CT053",)),
    ]
    assert deals.asset_names(events) == ["ct053", "CT0531", "zevor-cel"]  # first spelling seen
    hits = deals.asset_events(events, "CT053")
    assert [e.date for e in hits] == ["2023-01-01", "2024-01-01"]  # date order, not CT0531
    assert deals.asset_events(events, " ") == []
    # the brand named beside the code in one row brings the code's other rows into its timeline
    assert [e.date for e in deals.asset_events(events, "zevor-cel")] == ["2023-01-01", "2024-01-01"]


def test_deals_rows_from_the_real_ledger_hold_the_ct053_licence(
    tmp_path: Path, real_embedder: Any
) -> None:
    small_corpus(tmp_path / "corpus")
    with make_pipeline(tmp_path, real_embedder) as pipeline:
        events = pipeline.ledger.events(deals.deal_filters(kind="licence", asset="ct053"))
    [event] = events
    assert event.doc_id == CT053
    [row] = deals.table_rows(events)
    upfront = _column(row, "Upfront")
    assert ">RMB 200 million (USD 29.5 million)</span>" in upfront
    assert "CARsgen will receive an upfront payment of RMB 200 million" in upfront  # tooltip
    assert "CARsgen" in _column(row, "Parties") and "Huadong" in _column(row, "Parties")
    plot = deals.plot_data(events)
    points = [(p["term"], p["usd_million"]) for p in plot.frame.to_dict("records")]
    assert ("upfront", 29.5) in points
