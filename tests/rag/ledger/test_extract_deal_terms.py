"""Extraction of a deal's equity and roles as briefs write them, and the earlier rework of a
deal that a termination brief tells in passing (invented briefs)."""

from __future__ import annotations

from rag.ledger.extract import BriefText, extract_events


def _brief(text: str, title: str, companies: tuple[str, ...]) -> BriefText:
    return BriefText("d/y", f"# {title}\n\n{text}", title, "2024-05-01", companies)


def _roles(event: object) -> set[tuple[str, str]]:
    return {(p.name, p.role) for p in event.parties}  # type: ignore[attr-defined]


def test_extract_shares_bought_beside_a_licence_are_its_equity() -> None:
    brief = _brief(
        "Quillon Bio has licensed QB-441 to Marden Pharma outside Greater China. Marden will pay "
        "USD 30 million upfront and will also buy USD 12 million of Quillon shares as part of "
        "its pre-IPO financing round. Quillon's shares rose to HKD 4.10 on the news.",
        "Quillon Licenses QB-441 to Marden",
        ("Quillon Bio", "Marden Pharma"),
    )
    (licence,) = extract_events(brief)  # no second row: the shares are the deal's, not an IPO
    assert licence.money["equity"].amount == 12e6
    assert licence.money["upfront"].amount == 30e6


def test_extract_an_investigational_drug_milestone_is_no_equity() -> None:
    brief = _brief(
        "Quillon Bio has granted Marden Pharma exclusive rights to QB-441 outside Greater China. "
        "Marden will pay USD 30 million upfront and another USD 9 million once the FDA clears an "
        "investigational new drug application.",
        "Quillon Licenses QB-441 to Marden",
        ("Quillon Bio", "Marden Pharma"),
    )
    (licence,) = extract_events(brief)
    assert "equity" not in licence.money
    # the one granted rights is the licensee
    assert _roles(licence) == {("Quillon Bio", "licensor"), ("Marden Pharma", "licensee")}


def test_extract_a_stake_bought_without_a_figure_is_undisclosed_equity() -> None:
    brief = _brief(
        "Quillon Bio has given Marden Pharma an option to license QB-441 outside China. Quillon "
        "receives USD 20 million on signing. Marden will also buy a minority equity stake in "
        "Quillon. Marden's chief executive called it a good fit for Marden's oncology unit.",
        "Quillon and Marden sign option deal",
        ("Quillon Bio", "Marden Pharma"),
    )
    (licence,) = extract_events(brief)
    equity = licence.money["equity"]
    assert equity.undisclosed and equity.amount is None and "stake" in equity.text
    # a possessor of a post or a unit owns no asset: Marden stays the licensee
    assert _roles(licence) == {("Quillon Bio", "licensor"), ("Marden Pharma", "licensee")}


def test_extract_a_termination_brief_keeps_the_earlier_amendment_as_a_row() -> None:
    brief = _brief(
        "Marden Pharma has ended its licence with Quillon Bio for QB-441, the companies said. "
        "The termination takes effect on 30 June 2024.\n\n"
        "The deal had already been rewritten once. On 15 August 2022 the companies amended it. "
        "For the newer antibodies, Quillon became eligible for up to USD 900 million in "
        "development and sales milestones.\n\n"
        "Quillon raised USD 50 million in a Series B in 2021.",
        "Marden walks away from Quillon alliance",
        ("Quillon Bio", "Marden Pharma"),
    )
    rows = {e.kind: e for e in extract_events(brief)}
    amendment = rows["amendment"]
    assert amendment.date == "2022-08-15"
    assert amendment.money["milestones"].amount == 900e6
    assert "USD 900 million" in amendment.cites["milestones"].quote
    assert _roles(amendment) == _roles(rows["termination"])
    assert "milestones" not in rows["termination"].money


def test_extract_an_amendment_keeps_the_places_it_moves_as_written() -> None:
    brief = _brief(
        "Quillon Bio and Marden Pharma have amended the licence for QB-441 that they signed in "
        "2021.\n\nWhat changed:\n- Territory. Japan and South Korea move into Marden's territory. "
        "Quillon now keeps only Greater China.\n- Milestones. The ceiling rises from USD 500 "
        "million to USD 700 million.",
        "Quillon and Marden rework QB-441 licence",
        ("Quillon Bio", "Marden Pharma"),
    )
    amendment = next(e for e in extract_events(brief) if e.kind == "amendment")
    # the clause says what moved; a bare "Japan and South Korea" would read as the new territory
    assert amendment.territory == "Japan and South Korea move into Marden's territory"
    assert amendment.cites["territory"].quote.startswith("Japan and South Korea move")


def test_extract_a_ceiling_after_the_upfront_is_no_upfront() -> None:
    # the parser joins "up to 900 million yuan" to "upfront": a ceiling is never what is paid now
    brief = _brief(
        "Quillon Bio has granted Marden Pharma exclusive rights to QB-441 in mainland China. "
        "Marden will pay an upfront of 60 million yuan and up to 900 million yuan in "
        "development, regulatory and sales milestones.",
        "Quillon Licenses QB-441 to Marden",
        ("Quillon Bio", "Marden Pharma"),
    )
    (licence,) = extract_events(brief)
    assert licence.money["upfront"].amount == 60e6
    assert licence.money["milestones"].amount == 900e6


def test_extract_the_one_paying_is_the_licensee_when_both_read_as_one_side() -> None:
    # "gains an option" reads Quillon as a licensee too; the payment settles which side is which
    brief = _brief(
        "Quillon Bio and Marden Pharma have amended the licence agreement for QB-441 that they "
        "signed in 2022. The upfront payment rises from USD 20 million to USD 26 million, with "
        "Marden paying the additional USD 6 million within 30 days. Quillon also gains an option "
        "to co-fund US development.",
        "Quillon and Marden Amend QB-441 Licence",
        ("Quillon Bio", "Marden Pharma"),
    )
    events = extract_events(brief)
    assert events and all(
        _roles(e) == {("Quillon Bio", "licensor"), ("Marden Pharma", "licensee")} for e in events
    ), [(e.kind, _roles(e)) for e in events]


def test_extract_a_royalty_rate_written_in_words_is_its_royalty() -> None:
    brief = _brief(
        "Quillon Bio has licensed QB-441 to Marden Pharma outside Greater China. Marden will pay "
        "USD 30 million upfront and tiered royalties from high single digits to low teens on "
        "net sales.",
        "Quillon Licenses QB-441 to Marden",
        ("Quillon Bio", "Marden Pharma"),
    )
    (licence,) = extract_events(brief)
    royalty = licence.money["royalty"]
    # the range as written, stated (not undisclosed), with no number to make up
    assert royalty.text == "high single digits to low teens"
    assert not royalty.undisclosed and royalty.amount is None and royalty.currency == "%"
    assert licence.money["upfront"].amount == 30e6
