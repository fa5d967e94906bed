"""A round's total asked as one investor's share (`shares.totals_as_shares`): real spaCy
parses, a ledger row written out."""

from __future__ import annotations

from rag.ledger.shares import totals_as_shares
from rag.ledger.types import Event, Money, Party
from rag.reading.nlp import parse

ROUND = Event(
    "a", "financing", "2024-04-23",
    parties=(Party("Cloudgate Biosciences", "issuer"), Party("Lakemont Capital", "investor"),
             Party("Eastlight Healthcare Fund", "investor")),
    money={"proceeds": Money(96e6, "USD", "USD 96 million")},
)  # fmt: skip
TOTAL = "Cloudgate closed a USD 96 million Series C on April 23, 2024, led by Lakemont Capital."
SHARE = "Lakemont Capital's share of the round was not stated."


def test_shares_reads_an_investor_asked_as_who_put_money_in() -> None:
    for question in ("How much did Lakemont Capital put into Cloudgate's Series C?",
                     "What was Lakemont's investment in Cloudgate?",
                     "How much did Cloudgate raise from Lakemont Capital?"):  # fmt: skip
        assert totals_as_shares(parse(question), [ROUND], TOTAL) == [
            "gives the round's total, not Lakemont Capital's share"
        ], question


def test_shares_leaves_a_round_named_by_its_investor() -> None:
    for question in ("How much did Cloudgate raise in the round Lakemont led?",
                     "How much was the Series C led by Lakemont Capital?"):  # fmt: skip
        assert totals_as_shares(parse(question), [ROUND], TOTAL) == [], question


def test_shares_leaves_an_investor_s_own_figure_and_a_sole_investor() -> None:
    question = parse("How much did Lakemont Capital invest in Cloudgate?")
    # the answer states a sum other than the round's: the brief gave Lakemont's own
    assert totals_as_shares(question, [ROUND], "Lakemont Capital invested USD 40 million.") == []
    assert totals_as_shares(question, [ROUND], SHARE) == []  # no sum answered
    sole = Event("a", "financing", "2024-04-23", parties=ROUND.parties[:2], money=ROUND.money)
    assert totals_as_shares(question, [sole], TOTAL) == []  # the total is the one investor's
