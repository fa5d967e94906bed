"""The Deals tab's HTML: a row's cited sentences, an asset's timeline, the chart's notes."""

from __future__ import annotations

import re

from rag.ledger.types import Cite, Event, Money, Party
from tests.ui.conftest import XSS_BODY, XSS_TITLE
from tests.ui.test_deals import LEAD, TERMS, cite, licence_event
from ui import deals_render

OTHER = "Acme Bio targets non-small cell lung cancer."


def _tags(html: str) -> set[str]:
    return {t.lower() for t in re.findall(r"<\s*([a-zA-Z]+)", html)}


def test_deals_render_row_sources_group_fields_by_sentence() -> None:
    html = deals_render.render_row_sources(licence_event())
    assert html.count('class="bq-deal-cite') == 2  # the lead sentence and the terms sentence
    assert "Acme licenses AX-1" in html and "2024-05-01" in html and "briefs/acme" in html
    lead = html[html.index("kind: licence") : html.index(LEAD)]
    assert "Acme Bio (licensor)" in lead and "territory: Greater China" in lead
    assert "upfront: RMB 100 million (USD 14 million); total: USD 300 million" in html
    assert "\n" not in html


def test_deals_render_row_sources_put_the_picked_cell_first() -> None:
    html = deals_render.render_row_sources(licence_event(), ["upfront"])
    first = html.index('class="bq-deal-cite bq-picked"')
    assert first < html.index(TERMS) < html.index(LEAD) and html.count("bq-picked") == 1
    plain = deals_render.render_row_sources(licence_event())
    assert plain.index(LEAD) < plain.index(TERMS) and "bq-picked" not in plain


def test_deals_render_row_sources_escape_the_brief() -> None:
    cites = {"kind": cite(XSS_BODY), "party:<b>Evil</b>": cite(XSS_BODY)}
    event = licence_event(title=XSS_TITLE, parties=(Party("<b>Evil</b>", "licensor"),), cites=cites)
    html = deals_render.render_row_sources(event, ["kind"])
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;window.__xss = 2&lt;/script&gt;" in html
    assert "&lt;b&gt;Evil&lt;/b&gt; (licensor)" in html
    assert _tags(html) <= {"div", "span", "code", "ul", "li", "blockquote"}


def test_deals_render_row_sources_without_cites_says_so() -> None:
    assert "No sentence is recorded" in deals_render.render_row_sources(licence_event(cites={}))


def test_deals_render_timeline_lists_an_assets_events_in_date_order() -> None:
    approval = Event("briefs/acme-nmpa", "approval", "2025-03-01", "NMPA approves AX-1",
                     (Party("Acme Bio", "sponsor"), Party("NMPA", "agency")), ("AX-1",),
                     cites={"asset": Cite("briefs/acme-nmpa", 0, len(OTHER), OTHER)})  # fmt: skip
    unrelated = licence_event(asset=("ZZ-9",), date="2024-01-01")
    html = deals_render.render_timeline([approval, unrelated, licence_event()], "ax-1")
    assert html.count('<li class="bq-tl-event">') == 2 and "2 events name ax-1" in html
    assert html.index("2024-05-01") < html.index("2025-03-01")
    assert "Acme Bio (licensor), Borealis Pharma (licensee)" in html and LEAD in html
    assert "NMPA (agency)" in html and OTHER in html  # no kind cite: the asset's sentence
    assert "upfront RMB 100 million (USD 14 million); total USD 300 million" in html
    assert "ZZ-9" not in html and "\n" not in html


def test_deals_render_timeline_without_choice_or_events() -> None:
    assert "Choose an asset" in deals_render.render_timeline([licence_event()], None)
    assert "No event in the ledger names" in deals_render.render_timeline([licence_event()], "QQ-1")
    assert "1 event names AX-1" in deals_render.render_timeline([licence_event()], "AX-1")


def test_deals_render_timeline_escapes_the_brief() -> None:
    event = licence_event(title=XSS_TITLE, asset=("<i>AX</i>",), cites={"kind": cite(XSS_BODY)})
    html = deals_render.render_timeline([event], "<i>AX</i>")
    assert "<script" not in html and "<img" not in html and "<i>" not in html
    assert "&lt;img src=x onerror=&#x27;window.__xss=1&#x27;&gt;" in html


def test_deals_render_left_out_keeps_the_caption_and_lists_figures() -> None:
    html = deals_render.render_left_out(["2024-09-09 <b>Veltora</b>: upfront EUR 64 million"])
    assert "left out" in html and "never converted" in html
    assert "1 figure left out" in html and "&lt;b&gt;Veltora&lt;/b&gt;: upfront EUR 64" in html
    assert "<details" not in deals_render.render_left_out([])


def test_deals_render_deal_count_says_when_the_ledger_is_empty() -> None:
    assert "3 of 5 events" in deals_render.render_deal_count(3, 5)
    assert "ledger is empty" in deals_render.render_deal_count(0, 0)


def test_deals_render_field_label_reads_each_kind_of_key() -> None:
    event = licence_event(indication="NSCLC", money={"royalty": Money(None, "%", "9% to 13%")})
    assert deals_render.field_label(event, "indication") == "indication: NSCLC"
    assert deals_render.field_label(event, "royalty") == "royalty: 9% to 13%"
    assert deals_render.field_label(event, "party:Borealis Pharma") == "Borealis Pharma (licensee)"
    assert deals_render.field_label(event, "asset") == "asset: AX-1, acmetinib"
