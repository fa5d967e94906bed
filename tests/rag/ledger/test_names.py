"""Names resolved across briefs, and questions read for the ledger (real spaCy parses)."""

from __future__ import annotations

from rag.ledger.asking import read_query
from rag.ledger.names import build_names, words
from rag.ledger.types import Event, Party


def _event(doc: str, parties: tuple[tuple[str, str], ...], asset: tuple[str, ...]) -> Event:
    return Event(doc, "licence", "2024-01-01", parties=tuple(Party(n, r) for n, r in parties),
                 asset=asset)  # fmt: skip


EVENTS = [
    _event("a", (("Zorbex", "licensor"), ("AstraZeneca", "licensee")), ("ZX-117", "zorvimab")),
    _event("b", (("Nanjing Zorbex Bio Group", "issuer"),), ("Zorvita",)),
    _event(
        "c",
        (
            ("Shanghai Tellora Bio", "licensor"),
            ("Shanghai Quill Pharma", "licensee"),
            ("Shanghai Marwick", "partner"),
        ),
        ("zorvimab", "Zorvita"),
    ),  # fmt: skip
]


def test_names_meet_short_full_and_initials() -> None:
    names = build_names(EVENTS)
    zorbex = names.mentioned("Zorbex")
    assert zorbex and names.mentioned("Nanjing Zorbex Bio Group") == zorbex  # one company
    assert names.mentioned("What did AZ pay?") == names.mentioned("AstraZeneca")
    # a word three companies share (a city) names none of them
    assert names.mentioned("deals in Shanghai") == []
    assert names.mentioned("Tellora") != names.mentioned("Quill")


def test_names_join_code_generic_and_brand_of_one_product() -> None:
    names = build_names(EVENTS)
    code = names.mentioned("ZX-117")
    assert code == names.mentioned("zorvimab") == names.mentioned("Zorvita")
    assert names.keys_of(EVENTS[1]) >= set(code)  # the brand's brief joins the code's timeline
    assert names.mentioned("zx 117") == code  # the code however it is spelt


def test_words_split_names_and_pairs() -> None:
    assert words("Zorbex/Halcyon, ZX-117") == ["zorbex", "halcyon", "zx", "117"]


def test_read_query_ops_kinds_terms_and_filters() -> None:
    ranked = read_query("Which upfront is larger, Zorbex's or Tellora's?")
    assert (ranked.op, ranked.terms) == ("max", ("upfront",))
    count = read_query("How many approvals did the NMPA grant in 2024?")
    assert (count.op, count.kinds, count.agencies, count.years) == (
        "count", frozenset({"approval"}), frozenset({"NMPA"}), ("2024",)
    )  # fmt: skip
    assert read_query("How many volunteers were dosed?").op == "none"
    assert read_query("Give me the ZX-117 timeline").op == "timeline"
    assert read_query("How did the ZX-117 milestones change?").op == "diff"
    assert read_query("Compare the upfronts of Zorbex and Tellora").op == "each"
    assert read_query("Which deal carried the smallest upfront?").op == "min"
    assert read_query("Which takeover offered the bigger premium?").op == "none"
    assert read_query("Who invested in the Series B?").role == "investor"
    ipo = read_query("How much was raised in the IPO and which approval came next?")
    assert ipo.kinds == frozenset({"ipo", "approval"}) and ipo.coordinated  # no extra financing
    listed = read_query("Which drugs entered the NRDL in 2025?")
    assert "reimbursement" in listed.kinds and "approval" not in listed.kinds
