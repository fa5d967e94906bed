"""The ledger's frozen types: one `Event` per deal, approval or financing, each field cited.

These cross into `ui/`, `eval/` and the CLI as they are; `to_json`/`event_from_json` are the one
serialised form (the SQLite rows, `briefqa deals --json`, `GET /api/deals`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

KINDS = (
    "licence", "amendment", "termination", "acquisition", "financing", "ipo", "filing", "approval",
    "reimbursement", "designation", "ind", "readout", "other",
)  # fmt: skip
TERMS = ("upfront", "milestones", "total", "equity", "royalty", "proceeds")
ROLES = ("licensor", "licensee", "partner", "acquirer", "target", "issuer", "investor",
         "agency", "sponsor")  # fmt: skip


@dataclass(frozen=True)
class Cite:
    """Where a field was read: the brief and the character span of its sentence in the text."""

    doc_id: str
    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class Money:
    """A money term as the brief states it. `undisclosed` when the brief says it is not given;
    `usd` only when the brief itself gives the USD figure (never converted by us)."""

    amount: float | None
    currency: str | None
    text: str
    usd: float | None = None
    undisclosed: bool = False


@dataclass(frozen=True)
class Party:
    """A company or agency and the part it plays in the event."""

    name: str
    role: str


@dataclass(frozen=True)
class Event:
    """One row of the ledger. `cites` maps a field name ("kind", "upfront", "party:Pfizer", ...)
    to the sentence it came from."""

    doc_id: str
    kind: str
    date: str
    title: str = ""
    parties: tuple[Party, ...] = ()
    asset: tuple[str, ...] = ()
    territory: str | None = None
    indication: str | None = None
    money: dict[str, Money] = field(default_factory=dict)
    cites: dict[str, Cite] = field(default_factory=dict)

    def names(self, role: str | None = None) -> list[str]:
        """The parties' names, optionally of one role."""
        return [p.name for p in self.parties if role is None or p.role == role]

    def to_json(self) -> dict[str, Any]:
        """Plain JSON (what the API and `--json` print)."""
        return asdict(self)


def event_from_json(raw: dict[str, Any]) -> Event:
    """The inverse of `Event.to_json`."""
    return Event(
        doc_id=raw["doc_id"],
        kind=raw["kind"],
        date=raw.get("date") or "",
        title=raw.get("title") or "",
        parties=tuple(Party(p["name"], p["role"]) for p in raw.get("parties") or ()),
        asset=tuple(raw.get("asset") or ()),
        territory=raw.get("territory"),
        indication=raw.get("indication"),
        money={k: Money(**v) for k, v in (raw.get("money") or {}).items() if v},
        cites={k: Cite(**v) for k, v in (raw.get("cites") or {}).items()},
    )
