"""The Deals tab: the ledger as a filterable table, a chart of deal values, an asset timeline.

`build_deals_tab(service)` lays out the tab inside the page's open `gr.Tabs()` and wires its own
events; the page chains `DealsTab.refresh_io` after an upload or delete and on load, as it does
for the Documents tab. Building rows, chart data and HTML is in `ui.deals` / `ui.deals_render`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import gradio as gr

from rag.errors import BriefqaError
from rag.ledger.db import DealFilters
from rag.ledger.types import KINDS, Event
from ui import deals, deals_render
from ui.render import render_note
from ui.service import BriefService

log = logging.getLogger("briefqa.ui")

ANY_KIND = ""


@dataclass(frozen=True)
class DealsTab:
    """What the page needs of the tab: the event config that reloads it."""

    refresh_io: dict[str, Any]


def build_deals_tab(service: BriefService) -> DealsTab:
    """Lay out the Deals tab (call inside `gr.Tabs()`) and wire its events."""

    def show(kind: str, company: str, asset: str, since: str, until: str) -> tuple[Any, ...]:
        try:
            query = deals.deal_filters(kind, company, asset, since, until)
            events = service.deals(query)
            total = len(service.deals()) if query != DealFilters() else len(events)
        except BriefqaError as exc:
            note = render_note(str(exc), "error")
            return gr.update(), gr.update(), note, gr.update(), gr.update(), gr.update()
        plot = deals.plot_data(events)
        return (
            deals.table_frame(events),
            events,
            deals_render.render_deal_count(len(events), total),
            deals_render.SELECT_HINT,
            gr.update(value=plot.frame, x_lim=plot.x_lim),
            deals_render.render_left_out(plot.left_out),
        )

    def pick(shown: list[Event], evt: gr.SelectData) -> str:
        # The row's own values travel with the selection, so "#" finds the event even in a
        # table the user has sorted.
        event = deals.row_event(shown, (evt.row_value or [None])[0])
        if event is None:
            return deals_render.SELECT_HINT
        column = evt.index[1] if isinstance(evt.index, list | tuple) else -1
        return deals_render.render_row_sources(event, deals.column_fields(event, column))

    def assets(current: str | None) -> tuple[Any, str]:
        try:
            events = service.deals()
        except BriefqaError as exc:
            return gr.update(), render_note(str(exc), "error")
        names = deals.asset_names(events)
        value = current if current in names else None
        return gr.update(choices=names, value=value), deals_render.render_timeline(events, value)

    def timeline(name: str | None) -> str:
        try:
            return deals_render.render_timeline(service.deals(), name)
        except BriefqaError as exc:
            return render_note(str(exc), "error")

    with gr.Tab("Deals", id="deals"):
        shown = gr.State([])
        with gr.Row():
            kind = gr.Dropdown(
                label="Kind",
                choices=[("Any kind", ANY_KIND)] + [(k, k) for k in KINDS],
                value=ANY_KIND,
                elem_id="bq-deal-kind",
            )
            company = gr.Textbox(label="Company", placeholder="part of a name",
                                 elem_id="bq-deal-company")  # fmt: skip
            asset = gr.Textbox(label="Asset", placeholder="code or name", elem_id="bq-deal-asset")
            since = gr.Textbox(label="Since", placeholder="YYYY[-MM[-DD]]", elem_id="bq-deal-since")
            until = gr.Textbox(label="Until", placeholder="YYYY[-MM[-DD]]", elem_id="bq-deal-until")
        apply = gr.Button("Show deals", variant="primary", size="sm", elem_id="bq-deal-apply")
        count = gr.HTML(elem_id="bq-deal-count")
        table = gr.Dataframe(
            headers=list(deals.COLUMNS),
            datatype=deals.DATATYPES,
            interactive=False,
            wrap=True,
            max_height=560,
            column_widths=["4%", "9%", "8%", "17%", "11%", "9%", "11%", "8%", "8%", "15%"],
            label="Deal ledger (sort by a column's header; hover a cell for its sentence)",
            elem_id="bq-deals",
        )
        sources = gr.HTML(deals_render.SELECT_HINT, elem_id="bq-deal-sources")
        plot = gr.ScatterPlot(
            x="date",
            y="usd_million",
            color="term",
            tooltip=["date", "deal", "term", "figure"],
            x_title="Date",
            y_title="USD million",
            color_title="Term",
            color_map={"upfront": "#4a78c2", "total": "#b58900"},
            label="Upfront and total deal values (USD stated in the brief)",
            elem_id="bq-deal-plot",
        )
        left_out = gr.HTML(elem_id="bq-deal-left-out")
        with gr.Row():
            asset_pick = gr.Dropdown(label="Asset timeline", choices=[], value=None,
                                     elem_id="bq-deal-timeline-asset", scale=1)  # fmt: skip
        timeline_html = gr.HTML(deals_render.render_timeline([], None), elem_id="bq-deal-timeline")

    filters = [kind, company, asset, since, until]
    show_io: dict[str, Any] = {
        "fn": show,
        "inputs": filters,
        "outputs": [table, shown, count, sources, plot, left_out],
    }
    apply.click(**show_io)
    kind.input(**show_io)
    for box in (company, asset, since, until):
        box.submit(**show_io)
    table.select(pick, inputs=shown, outputs=sources)
    asset_pick.input(timeline, inputs=asset_pick, outputs=timeline_html)

    def refresh(*values: Any) -> tuple[Any, ...]:
        *filter_values, current = values
        return (*show(*filter_values), *assets(current))

    return DealsTab(
        refresh_io={
            "fn": refresh,
            "inputs": [*filters, asset_pick],
            "outputs": [*show_io["outputs"], asset_pick, timeline_html],
        }
    )
