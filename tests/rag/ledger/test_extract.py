"""Extraction from invented briefs: kinds, money terms, parties and their roles, digests."""

from __future__ import annotations

from rag.ledger.extract import BriefText, extract_events


def _brief(text: str, title: str, companies: tuple[str, ...] = ()) -> BriefText:
    return BriefText("d/x", f"# {title}\n\n{text}", title, "2024-05-01", companies)


LICENCE = _brief(
    "Zorbex Bio Co., Ltd. has granted Halcyon Pharma exclusive rights to ZX-117 outside Greater "
    "China. Zorbex will receive an upfront payment of RMB 350 million (USD 48.2 million) and is "
    "eligible for up to USD 610 million in development and sales milestones, plus tiered "
    "royalties of 8% to 12%. Halcyon will also buy a USD 20 million equity stake in Zorbex.\n\n"
    "Background: Zorbex raised a USD 90 million Series C in 2022 to fund ZX-117 in gastric cancer.",
    "Zorbex Licenses ZX-117 to Halcyon",
    ("Zorbex Bio", "Halcyon Pharma"),
)


def test_extract_licence_terms_and_roles() -> None:
    event, earlier = extract_events(LICENCE)
    assert event.kind == "licence"
    assert {(p.name, p.role) for p in event.parties} == {
        ("Zorbex Bio", "licensor"), ("Halcyon Pharma", "licensee")
    }  # fmt: skip
    upfront = event.money["upfront"]
    assert (upfront.amount, upfront.currency, upfront.usd) == (350e6, "RMB", 48.2e6)
    assert upfront.text == "RMB 350 million (USD 48.2 million)"
    assert event.money["milestones"].amount == 610e6
    assert event.money["royalty"].text == "8% to 12%"
    assert event.money["equity"].amount == 20e6
    assert "proceeds" not in event.money  # the background financing is another event's figure
    assert (earlier.kind, earlier.date, earlier.names("issuer")) == (
        "financing",
        "2022",
        ["Zorbex Bio"],
    )
    assert earlier.money["proceeds"].amount == 90e6
    assert event.asset[0] == "ZX-117"
    assert event.territory == "outside Greater China"


def test_extract_cites_the_sentence_of_each_field() -> None:
    event = extract_events(LICENCE)[0]
    cite = event.cites["upfront"]
    assert LICENCE.text[cite.start : cite.end] == cite.quote
    assert "RMB 350 million" in cite.quote and cite.doc_id == "d/x"


def test_extract_amendment_keeps_the_new_figure_and_undisclosed_terms() -> None:
    brief = _brief(
        "Tellora Bio and Jinfeng Pharma amended their licence for TL-101. The upfront payment "
        "rises from USD 30 million to USD 45 million. The revised milestone payments were not "
        "disclosed.",
        "Tellora and Jinfeng Amend TL-101 Licence",
        ("Tellora Bio", "Jinfeng Pharma"),
    )
    event, original = extract_events(brief)
    assert event.kind == "amendment"
    assert event.money["upfront"].amount == 45e6
    assert (original.kind, original.money["upfront"].amount) == ("licence", 30e6)
    assert event.money["milestones"].undisclosed and event.money["milestones"].amount is None


def test_extract_financing_issuer_investors_and_proceeds() -> None:
    brief = _brief(
        "Lumora Genomics said it has closed a Series B financing of RMB 560 million (about USD 78 "
        "million), led by Quill Capital with participation from Ashgrove Ventures and existing "
        "shareholder Pellar Fund. Shares were priced at USD 4.10 per share.",
        "Lumora Genomics Closes Series B",
        ("Lumora Genomics",),
    )
    (event,) = extract_events(brief)
    assert event.kind == "financing"
    assert event.names("issuer") == ["Lumora Genomics"]
    assert event.names("investor") == ["Quill Capital", "Ashgrove Ventures", "Pellar Fund"]
    assert event.money["proceeds"].text == "RMB 560 million (about USD 78 million)"
    assert event.money["proceeds"].usd == 78e6


def test_extract_approval_names_sponsor_and_agency() -> None:
    brief = _brief(
        "The National Medical Products Administration (NMPA) has approved Tavrin Bio's TV-2210 for "
        "adults with relapsed or refractory multiple myeloma.",
        "NMPA Approves Tavrin's TV-2210",
        ("Tavrin Bio",),
    )
    (event,) = extract_events(brief)
    assert event.kind == "approval"
    assert ("NMPA", "agency") in {(p.name, p.role) for p in event.parties}
    assert event.names("sponsor") == ["Tavrin Bio"]
    assert event.indication and "multiple myeloma" in event.indication


def test_extract_digest_gives_one_event_per_item() -> None:
    text = (
        "## Orvel raises USD 60 million in Series A\n\nOrvel Bio closed a USD 60 million Series A "
        "led by Brightfen Capital.\n\n## FDA grants orphan drug designation to KP-3301\n\nKestane "
        "Pharma said the FDA granted orphan drug designation to KP-3301 for gastric cancer.\n\n"
        "## Market notes\n\nShares of listed biotechs rose.\n\n"
        "## What to watch\n\nBankers expect licensing deals and approvals to stay busy."
    )
    brief = BriefText("d/digest", text, "Weekly digest", "2024-06-07", ())
    kinds = [e.kind for e in extract_events(brief)]
    # "Market notes" names no event, "What to watch" one with no company, product or figure
    assert kinds == ["financing", "designation"]


def test_extract_digest_items_named_by_their_lead_and_no_intro_event() -> None:
    text = (
        "A busy week for regulators and one share sale. Here is what happened.\n\n"
        "## 1. Orvel's ZX-410 cleared for gastric cancer\n\nOrvel Bio said the NMPA had approved "
        "ZX-410 for adults with gastric cancer.\n\n"
        "## 2. A nod for Kestane in lymphoma\n\nThe NMPA granted conditional approval to "
        "Kestane Pharma's KP-77. The approval triggers a USD 15 million milestone payment, and "
        "up to USD 90 million in milestones remain.\n\n"
        "## 3. Brightfen-Bio upsizes its placement\n\nBrightfen-Bio placed new H shares for "
        "gross proceeds of HKD 1.2 billion."
    )
    brief = BriefText("d/digest", text, "Digest: two approvals and a placement", "2024-06-07",
                      ("Orvel Bio", "Kestane Pharma", "Brightfen-Bio"))  # fmt: skip
    events = extract_events(brief)
    assert [e.kind for e in events] == ["approval", "approval", "financing"]
    assert events[1].money["milestones"].text == "USD 15 million"  # the approval's own payment
    assert events[2].names("issuer") == ["Brightfen-Bio"]  # a hyphenated name, split by spaCy


def test_extract_from_x_to_y_in_bullets_keeps_the_new_figure() -> None:
    brief = _brief(
        "Tellora Bio and Jinfeng Pharma have amended the licence for TL-101.\n\n"
        "- Milestones. The ceiling on development and commercial milestones rises from USD 500 "
        "million to USD 640 million.\n- Royalties. The top royalty tier goes up from 10% to 14%.",
        "Tellora widens TL-101 pact with Jinfeng",
        ("Tellora Bio", "Jinfeng Pharma"),
    )
    event, original = extract_events(brief)
    assert event.kind == "amendment"  # the lead says amended; the title only "pact"
    assert event.money["milestones"].text == "USD 640 million"
    assert event.money["royalty"].text == "14%"
    assert original.money["milestones"].text == "USD 500 million"


def test_extract_a_dateline_city_names_no_company_another_brief_declares() -> None:
    title = "Orvane wins NMPA approval for OV-3310"
    text = (
        "Shanghai, 3 March 2024 - The National Medical Products Administration (NMPA) has "
        "approved Orvane Therapeutics' OV-3310 for adults with chronic hepatitis B."
    )
    # the brief declares no companies; other briefs declare a Shanghai company and Orvane
    known = ("Shanghai Yuhe Biotech", "Orvane Therapeutics")
    brief = BriefText("d/x", f"# {title}\n\n{text}", title, "2024-03-03", (),
                      known_companies=known)  # fmt: skip
    (event,) = extract_events(brief)
    assert event.kind == "approval"
    assert "Shanghai Yuhe Biotech" not in {p.name for p in event.parties}
    assert event.names("sponsor") == ["Orvane Therapeutics"]


def test_extract_parties_of_a_deal_told_in_the_past_are_not_the_news_parties() -> None:
    brief = _brief(
        "GSK pays Tavrin Bio US$50 million upfront for TV-4410 outside Greater China. "
        "Tavrin Bio is also entitled to tiered royalties on net sales.\n\n"
        "In November 2023 Orvane Therapeutics licensed its DLL3 programme to Kestrel Pharma.",
        "GSK licenses Tavrin's TV-4410",
        ("GSK", "Tavrin Bio", "Orvane Therapeutics", "Kestrel Pharma"),
    )
    event = next(e for e in extract_events(brief) if e.date == "2024-05-01")
    assert event.kind == "licence"
    assert {(p.name, p.role) for p in event.parties} == {
        ("Tavrin Bio", "licensor"),
        ("GSK", "licensee"),
    }


def test_extract_territory_everywhere_except_keeps_the_whole_phrase() -> None:
    brief = _brief(
        "Quillon Bio has licensed QB-44 to Marden Pharma, which may develop and sell it everywhere "
        "except mainland China, Hong Kong and Macau. Marden pays USD 15 million upfront.",
        "Quillon Licenses QB-44 to Marden",
        ("Quillon Bio", "Marden Pharma"),
    )
    (event,) = extract_events(brief)
    assert event.territory == "everywhere except mainland China, Hong Kong and Macau"
    cite = event.cites["territory"]
    assert "everywhere except" in brief.text[cite.start : cite.end]


def test_extract_a_termination_told_in_an_sec_filing() -> None:
    brief = _brief(
        # spaCy tags only the SEC an ORG here: the names the lead offers are the SEC's alone
        "Pellway Pharma has ended its licence with Tarnby Bio, Tarnby said in a filing with the "
        "US Securities and Exchange Commission. The termination takes effect on 20 June 2024.",
        "Pellway walks away from Tarnby alliance",
        (),  # no companies declared: they are read from the lead's names
    )
    (event,) = extract_events(brief)
    assert event.kind == "termination"  # not the "filing" of a drug, nor the licence itself
    assert not event.money and "US Securities" not in " ".join(p.name for p in event.parties)


def test_extract_a_termination_records_the_rights_it_hands_back() -> None:
    brief = _brief(
        "Halcyon Pharma has ended its licence for ZX-117 with Zorbex Bio. The termination takes "
        "effect on 1 July 2024. Zorbex regains full global rights to ZX-117.",
        "Halcyon walks away from ZX-117 licence",
        ("Zorbex Bio", "Halcyon Pharma"),
    )
    (event,) = extract_events(brief)
    assert event.kind == "termination" and event.territory == "full global rights"
    cite = event.cites["territory"]
    assert brief.text[cite.start : cite.end].startswith("Zorbex regains")


def test_extract_a_reimbursement_listing_is_not_an_approval() -> None:
    brief = _brief(
        "Quillon Bio's QB-4410 became reimbursable on 1 January 2025, when the new National "
        "Reimbursement Drug List came into force. Coverage applies to the approved indication.",
        "QB-4410 enters the NRDL with a 40% price cut",
        ("Quillon Bio",),
    )
    (event,) = extract_events(brief)
    assert (event.kind, event.names("sponsor"), event.asset) == (
        "reimbursement", ["Quillon Bio"], ("QB-4410",)
    )  # fmt: skip


def test_extract_a_passing_round_takes_the_year_written_by_its_figure() -> None:
    brief = _brief(
        "Nanjing Quillon Pharma submitted its Hong Kong listing application on 6 January 2025. "
        "It has licensed two programmes to Marden Bio: QB-1010 in 2022 and QB-3300 in 2024, "
        "when Marden also bought US$20 million of shares in Quillon's pre-IPO round.",
        "Quillon files for a Hong Kong IPO",
        ("Nanjing Quillon Pharma", "Marden Bio"),
    )
    events = extract_events(brief)
    round_ = next(e for e in events if e.kind == "financing")
    # Marden's shares are its stake in the round, not what the whole round raised
    assert (round_.date, round_.money["equity"].text) == ("2024", "US$20 million")
    assert "proceeds" not in next(e for e in events if e.kind == "ipo").money


def test_extract_the_clause_that_tells_where_news_was_told_names_no_kind() -> None:
    brief = _brief(
        "Pellway Pharma has served notice on its licence agreement with Tarnby Bio, Tarnby said "
        "in a filing with the US Securities and Exchange Commission. The termination takes "
        "effect on 20 June 2024.",
        "Pellway and Tarnby part ways",  # the title names no kind: the lead decides
        ("Pellway Pharma", "Tarnby Bio"),
    )
    # the lead's "licence" (not the SEC "filing") made precise by the next sentence
    assert [e.kind for e in extract_events(brief)] == ["termination"]


def test_extract_territory_is_never_a_possessor() -> None:
    brief = _brief(
        # spaCy tags the licensee a place here; "in Seagen's territory" names none
        "Seagen will pay Quillon Bio US$20 million upfront for QB-50. Quillon can earn tiered "
        "royalties on net sales in Seagen's territory.",
        "Seagen takes rights to Quillon's QB-50",
        ("Quillon Bio", "Seagen"),
    )
    event = extract_events(brief)[0]
    assert event.kind == "licence"
    assert event.territory is None


def test_extract_an_earlier_approval_told_in_passing_is_its_own_row() -> None:
    brief = _brief(
        "Quillon Bio has licensed QB-441 to Marden Pharma outside Greater China for USD 15 million "
        "upfront. China's National Medical Products Administration approved it in January 2024 "
        "for gastric cancer.",
        "Quillon Licenses QB-441 to Marden",
        ("Quillon Bio", "Marden Pharma"),
    )
    licence, approval = extract_events(brief)
    assert licence.kind == "licence"
    assert (approval.kind, approval.date, approval.asset) == ("approval", "2024-01", ("QB-441",))
    assert {(p.name, p.role) for p in approval.parties} == {
        ("Quillon Bio", "sponsor"), ("NMPA", "agency")
    }  # fmt: skip
    assert "approved it in January 2024" in approval.cites["kind"].quote
    assert not approval.money


def test_extract_an_approval_only_planned_or_of_the_same_year_is_no_row() -> None:
    brief = _brief(
        "Quillon Bio has licensed QB-441 to Marden Pharma for USD 15 million upfront. Quillon, "
        "which listed in Hong Kong in July 2022, plans to discuss an accelerated approval pathway "
        "with the US Food and Drug Administration. If approved by the FDA in 2023, QB-441 would be "
        "the first of its class.",
        "Quillon Licenses QB-441 to Marden",
        ("Quillon Bio", "Marden Pharma"),
    )
    assert [e.kind for e in extract_events(brief)] == ["licence"]


def test_extract_a_two_word_generic_name_is_one_asset() -> None:
    brief = _brief(
        "The National Medical Products Administration approved equecabtagene autoleucel for adults "
        "with multiple myeloma, Quillon Bio said.",
        "Quillon wins approval",
        ("Quillon Bio",),
    )
    (event,) = extract_events(brief)
    assert event.asset == ("equecabtagene autoleucel",)
