"""A regulator's decision the brief never reports: "When did the FDA approve OR-9?" against the
brief on OR-9's Breakthrough Therapy designation and its filing in China. The approval
has not happened in the briefs, and the nearest date quoted (the designation's, the filing's)
would be a wrong date cited.

An approval or a designation is an event a brief either reports or does not, in the words the
ledger reads events with at ingest (`vocab.KIND_WORDS`: "approv", "designat", "Breakthrough
Therapy", "orphan drug"). A question asking when one happened or who decided it, or naming the
regulator that did, is declined where its cited brief has none of those words. Other kinds are not
read so: their words are common ("data", "deal", "change") or a brief writes them otherwise
("a listing" for an IPO), and a question asking after a sum ("the milestone due on approval")
asks about a deal, not the decision.
"""

from __future__ import annotations

from collections.abc import Iterable

from rag.ledger.asking import asks_money, read_query
from rag.ledger.sections import KINDS
from rag.ledger.words import EntryIndex
from rag.reading.nlp import words

#: the kinds a regulator decides, each reported in words the vocabulary knows
DECIDED = ("approval", "designation")
#: the other words a brief may report an approval in ("won the regulator's nod", "marketing
#: authorisation", "cleared by the FDA"): the ledger leaves them out, as a "Marketing
#: Authorisation Application" is a filing, but a brief using one may well report the decision,
#: and declining what it states is the worse mistake
_REPORTED_ALSO = EntryIndex(
    (("approval", ("authoris", "authoriz", "clear", "nod", "greenlit", ("green", "light"),
                   ("go", "-", "ahead"), ("sign", "-", "off"))),)
)  # fmt: skip


def unreported(question: str, brief: Iterable[str]) -> str:
    """Why the cited brief cannot answer a question after a regulator's decision: when it
    came, who made it, or what the named regulator did ("" when it can): `brief` (its texts:
    title and chunks) never speaks of a decision of the asked kind."""
    query = read_query(question)
    asks_decision = query.wants_date or query.wants_party or query.agencies
    if query.parts != 1 or len(query.kinds) != 1 or not asks_decision:
        return ""
    (kind,) = query.kinds
    if kind not in DECIDED or asks_money(question):
        return ""
    said = [w for text in brief for w in words(text)]  # no parse of the whole brief
    if kind in KINDS.named(said) or kind in _REPORTED_ALSO.named(said):
        return ""
    regulator = " ".join(sorted(query.agencies))
    return f"the closest brief reports no {regulator} {kind}".replace("  ", " ")
