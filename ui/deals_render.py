"""HTML of the Deals tab (no Gradio here): a row's cited sentences, an asset's timeline, notes.

Everything from a brief goes through `render.text`, as in `ui.render`; no output holds a
newline, so Markdown never touches it.
"""

from __future__ import annotations

from collections.abc import Sequence

from rag.ledger.table import money_text
from rag.ledger.types import Cite, Event
from ui.deals import asset_events
from ui.render import text

SELECT_HINT = (
    '<p class="bq-deal-hint">Select a cell of the table to see the sentences its row was read '
    "from.</p>"
)
PLOT_CAPTION = (
    "Upfront and total deal values in USD million, as the briefs state them. A figure whose "
    "brief gives no USD value is left out: currencies are never converted here."
)


def field_label(event: Event, key: str) -> str:
    """What a `cites` key says about the event, in words ("upfront: RMB 200 million ...")."""
    if key.startswith("party:"):
        name = key.removeprefix("party:")
        roles = [p.role for p in event.parties if p.name == name]
        return f"{name} ({roles[0]})" if roles else name
    if key == "kind":
        return f"kind: {event.kind}"
    if key == "asset":
        return f"asset: {', '.join(event.asset)}"
    if key in ("territory", "indication"):
        return f"{key}: {getattr(event, key) or ''}"
    if key in event.money:
        return f"{key}: {money_text(event.money[key])}"
    return key


def brief_line(event: Event) -> str:
    """The brief an event was read from: title, date and document id."""
    return (
        f'<span class="bq-title">{text(event.title or event.doc_id)}</span> · '
        f'<span class="bq-date">{text(event.date)}</span> · '
        f'<code class="bq-doc-id">{text(event.doc_id)}</code>'
    )


def render_row_sources(event: Event, picked: Sequence[str] = ()) -> str:
    """The sentences a row was read from, each with the fields it supports; the picked cell's
    sentences first and marked."""
    groups: dict[tuple[str, int, int], tuple[Cite, list[str]]] = {}
    for key, cite in event.cites.items():
        groups.setdefault((cite.doc_id, cite.start, cite.end), (cite, []))[1].append(key)
    ordered = sorted(groups.values(), key=lambda g: (not set(g[1]) & set(picked), g[0].start))
    items = []
    for cite, keys in ordered:
        mark = " bq-picked" if set(keys) & set(picked) else ""
        fields = "; ".join(text(field_label(event, k)) for k in keys)
        items.append(
            f'<li class="bq-deal-cite{mark}"><div class="bq-deal-fields">{fields}</div>'
            f'<blockquote class="bq-passage">{text(cite.quote)}</blockquote></li>'
        )
    body = "".join(items) or "<li>No sentence is recorded for this row.</li>"
    return (
        f'<div class="bq-deal-sources"><div class="bq-deal-brief">{brief_line(event)}</div>'
        f"<ul>{body}</ul></div>"
    )


def _parties(event: Event) -> str:
    return ", ".join(f"{p.name} ({p.role})" for p in event.parties)


def render_timeline(events: Sequence[Event], name: str | None) -> str:
    """An asset's events in date order: date, kind, parties, the event's cited sentence."""
    if not name:
        return '<p class="bq-deal-hint">Choose an asset to see its events in date order.</p>'
    hits = asset_events(events, name)
    if not hits:
        return f'<p class="bq-empty">No event in the ledger names {text(name)}.</p>'
    items = []
    for e in hits:
        cite = e.cites.get("kind") or e.cites.get("asset")
        quote = f'<blockquote class="bq-passage">{text(cite.quote)}</blockquote>' if cite else ""
        terms = "; ".join(f"{t} {money_text(m)}" for t, m in e.money.items())
        items.append(
            f'<li class="bq-tl-event"><span class="bq-tl-date">{text(e.date)}</span> '
            f'<span class="bq-badge bq-tl-kind">{text(e.kind)}</span> '
            f'<span class="bq-tl-parties">{text(_parties(e))}</span>'
            + (f'<div class="bq-tl-terms">{text(terms)}</div>' if terms else "")
            + f'{quote}<div class="bq-tl-brief">{brief_line(e)}</div></li>'
        )
    said = "1 event names" if len(hits) == 1 else f"{len(hits)} events name"
    return (
        f'<p class="bq-count">{said} {text(name)}</p><ol class="bq-timeline">{"".join(items)}</ol>'
    )


def render_deal_count(shown: int, total: int) -> str:
    """How many events the filters keep."""
    if not total:
        return '<p class="bq-empty">The ledger is empty: ingest or upload briefs first.</p>'
    return f'<p class="bq-count">{shown} of {total} events</p>'


def render_left_out(left_out: Sequence[str]) -> str:
    """The chart's caption and the figures it leaves out for want of a stated USD value."""
    parts = [f'<p class="bq-plot-caption">{text(PLOT_CAPTION)}</p>']
    if left_out:
        items = "".join(f"<li>{text(item)}</li>" for item in left_out)
        parts.append(
            f'<details class="bq-left-out"><summary>{len(left_out)} '
            f"{'figure' if len(left_out) == 1 else 'figures'} left out (no USD value in the "
            f"brief)</summary><ul>{items}</ul></details>"
        )
    return "".join(parts)
