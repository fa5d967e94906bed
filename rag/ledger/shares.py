"""An investor's share: the total a round raised from several investors is not what one of them
put in. "How much did Lakemont put into Cloudgate's Series C?" against a brief that gives only
the USD 96 million round, led by Lakemont with two others, is a near miss, and the total quoted
as Lakemont's would be a wrong figure cited.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rag.ledger.roles import clause_verb, mentions, name_head
from rag.ledger.types import Event
from rag.numbers import Quantity, find_quantities, is_supported

# verbs that make an investor one of the round's, not the payer of a figure ("which round did
# Lakemont lead?", "the round Lakemont joined")
_IN_ROUND = ("lead", "co-lead", "colead", "join", "participate", "back", "anchor")
# what a possessive investor asks after as its own money ("Lakemont's investment")
_OWN_MONEY = frozenset(("investment", "contribution", "share", "stake", "commitment", "ticket",
                        "portion", "allocation", "subscription"))  # fmt: skip
# a round raised "from" an investor: the investor pays
_RAISE = ("raise", "receive", "get", "secure", "take", "collect", "obtain")
_ROUNDS = ("financing", "ipo")


def totals_as_shares(question: Any, events: Sequence[Event], answer: str) -> list[str]:
    """The investors the question (a parsed doc) asks the money of, where every sum the answer
    states is the total of a round the brief records with several investors: that total is
    not theirs. One reason per investor. A round with one investor named, or an answer that
    states another sum (the brief giving the investor's own), is left alone."""
    said = _sums(answer)
    if not said:
        return []
    out: list[str] = []
    for event in events:
        named = event.names("investor")
        if event.kind not in _ROUNDS or len(named) < 2:
            continue
        totals = [q for m in event.money.values() for q in _sums(m.text)]
        if not all(is_supported(q, totals) for q in said):
            continue
        found = mentions(list(question.sents), named)
        out += [f"gives the round's total, not {name}'s share" for name in named
                if any(_pays_in(name_head(t)) for t in found[name])]  # fmt: skip
    return list(dict.fromkeys(out))


def _sums(text: str) -> list[Quantity]:
    """The money a text states (a figure with a currency: no dates, counts or percentages)."""
    return [q for q in find_quantities(text) if q.unit and q.unit != "%"]


def _pays_in(token: Any) -> bool:
    """Whether the question casts this investor's name as who put money in: the subject of a
    verb other than taking part ("How much did Lakemont put in?"), the owner of an investment
    ("Lakemont's contribution") or the one a round was raised from."""
    if token.dep_ == "nsubj":
        return not clause_verb(token.head).startswith(_IN_ROUND)
    if token.dep_ == "poss":
        return token.head.lemma_.lower() in _OWN_MONEY
    if token.dep_ == "pobj" and token.head.lower_ == "from":
        return clause_verb(token.head.head).startswith(_RAISE)
    return False
