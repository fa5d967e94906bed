"""A short answer from the ledger's rows: a list, a count, the largest or smallest, a sum, a
timeline, two deals side by side, or what an amendment changed; each item with its citation.

`reply` returns None when the rows cannot settle the question (fewer than two, nothing of what
is asked), and the reader answers instead. Currency is never mixed silently: a ranking or a sum
across currencies uses the USD figure each brief gives, and says which rows lack one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rag.ledger.asking import LedgerQuery
from rag.ledger.background import stated_date
from rag.ledger.names import NameIndex
from rag.ledger.types import Cite, Event, Money
from rag.ledger.vocab import KIND_WORDS, LICENCE_FAMILY
from rag.ledger.words import entry_at
from rag.numbers import written_date
from rag.reading.nlp import parse

_KIND_LABEL = {
    "licence": "licence", "amendment": "amendment", "termination": "termination",
    "acquisition": "acquisition", "financing": "financing round", "ipo": "IPO", "filing": "filing",
    "approval": "approval", "reimbursement": "reimbursement listing", "designation": "designation",
    "ind": "IND clearance", "readout": "readout",
}  # fmt: skip
_PAYER = ("licensee", "acquirer", "investor")
MAX_ITEMS = 8
_RANKED_SHOWN = 3  # rows a ranking across more than `MAX_ITEMS` shows
_FAMILY = {k: LICENCE_FAMILY[0] for k in LICENCE_FAMILY[1:]}
_MAIN_ROLE = {"financing": "issuer", "ipo": "issuer", "acquisition": "acquirer"}


@dataclass(frozen=True)
class LedgerItem:
    """One item of a ledger answer and the sentence it stands on."""

    text: str
    cite: Cite


@dataclass(frozen=True)
class LedgerReply:
    """A ledger answer: a lead-in, its items (each gets a marker) and a note. `dated` are the
    lead's dates, each cited to the sentence that states it (shown "d1 [n] -> d2 [m]:")."""

    lead: str
    items: tuple[LedgerItem, ...]
    note: str = ""
    dated: tuple[LedgerItem, ...] = ()


def reply(
    query: LedgerQuery, rows: Sequence[Event], names: NameIndex, mentioned: Sequence[str] = ()
) -> LedgerReply | None:
    """Answer from these rows, or None when they do not settle the question."""
    products = query.op == "list" and query.asks_rows == "asset" and query.plural
    asks = bool(query.kinds or query.terms or query.agencies or query.wants_date)
    if query.op == "none" or not (asks or products) or not rows or query.other_figure:
        return None
    if not mentioned and not (query.kinds or query.terms or query.agencies or products):
        return None  # neither whom nor what: "when was she on the list" is no ledger question
    docs = {e.doc_id for e in rows}
    if query.op in ("max", "min"):
        return _ranked(query, rows, names)  # the top few of however many rows
    if len(rows) > MAX_ITEMS:
        return None  # a list too long to read is no short answer; the reader picks the passages
    if query.op == "count":
        if len(rows) < 2 or mentioned:
            # one row is as likely a row the ledger missed as a count of one; and a pair's own
            # briefs say how many deals they have done ("their third"), passing mentions too
            return None
        return LedgerReply(f"{len(rows)}:", tuple(_item(e, query, names) for e in rows))
    if query.op == "sum":
        return _summed(query, rows, names)
    if query.op == "diff":
        return _changed(rows, names, query.terms, query.kinds)
    if query.op == "list" and query.role == "investor" and mentioned:
        # the ledger does not mark who led a round: "which investor led" is the reader's
        return None if "lead" in query.verbs | query.lemmas else _investors(query, rows, names)
    if len(rows) < 2 or len(docs) < 2:
        return None  # one brief's question is the reader's
    if products and not (query.kinds or query.terms):
        return _products(rows)
    spans = not mentioned or _asks_rows(query, rows) or _facets_apart(query, rows)
    if query.op == "list" and not (query.plural and spans):
        return None  # a list inside one company's brief is the reader's
    if query.op == "each" and not (query.terms or query.wants_date):
        return None  # a comparison of what the ledger does not hold (a response rate)
    if query.wants_party and not all(_parties_asked(e, query) for e in rows):
        return None  # "which investor": rows without their investors cannot say
    # a timeline places what it can date; an undated passing mention repeats a dated row
    ordered = sorted((e for e in rows if when(e)), key=when) if query.op == "timeline" else rows
    if len(ordered) < 2:
        return None
    # a deal a later brief tells again reads the same: it is listed once, from its first brief
    items: dict[str, LedgerItem] = {}
    for e in ordered:
        item = _item(e, query, names)
        items.setdefault(item.text, item)
    return LedgerReply("", tuple(items.values()))


def _investors(query: LedgerQuery, rows: Sequence[Event], names: NameIndex) -> LedgerReply | None:
    """ "Who invested in X's round": the investors the rows name, each row cited at the sentence
    that names them (one brief's row is enough: the investors are a field of it)."""
    rows = [e for e in rows if e.names("investor")]  # an earlier round told in passing names none
    if not rows:
        return None
    items = []
    for e in rows:
        investors = e.names("investor")
        cite = e.cites.get(f"party:{investors[0]}") or e.cites["kind"]
        items.append(LedgerItem(f"{_label(e, names)}: {', '.join(investors)}", cite))
    return LedgerReply("", tuple(items))


def _products(rows: Sequence[Event]) -> LedgerReply | None:
    """The products of the rows, each once under the name its row gives first ("which
    HER2-targeted drugs appear"), cited where its brief names it; None unless two briefs hold
    them. Names are told apart as written: the name index may join a product to a rival that
    its row also names."""
    items: dict[str, LedgerItem] = {}
    docs = set()
    for e in rows:
        if not e.asset:
            continue
        key = e.asset[0].lower()
        if key not in items:
            items[key] = LedgerItem(e.asset[0], e.cites.get("asset") or e.cites["kind"])
            docs.add(e.doc_id)
    if len(items) < 2 or len(docs) < 2:
        return None
    return LedgerReply("", tuple(items.values()))


def _asks_rows(query: LedgerQuery, rows: Sequence[Event]) -> bool:
    """The question asks for parties, or for rows of a kind two or more briefs hold ("which
    financing rounds did X join"; "what approvals does this deal need" has one such row)."""
    if query.asks_rows == "party":
        return True
    return len({e.doc_id for e in rows if e.kind == query.asks_rows}) >= 2


def _facets_apart(query: LedgerQuery, rows: Sequence[Event]) -> bool:
    """The question asks two or more kinds or terms, joined, and no one brief holds them all
    ("the listing's proceeds and the approval that came after")."""
    held = {
        f: {e.doc_id for e in rows if e.kind == f or f in e.money}
        for f in (*query.kinds, *query.terms)
    }
    held = {f: docs for f, docs in held.items() if docs}
    enough = len(held) >= max(2, query.parts)  # every joined ask is a kind or a term
    return query.coordinated and enough and not set.intersection(*held.values())


def _parties_asked(e: Event, query: LedgerQuery, names: NameIndex | None = None) -> list[str]:
    """The names a "who" question wants of a row: those of the role it names ("which
    investor"); else the parties it does not name itself ("from which companies has X
    licensed"); else the row's main party (the issuer, the acquirer, the licensee)."""
    if query.role:
        return e.names(query.role)
    if names is not None:
        known = set(names.mentioned(query.text))
        others = [p.name for p in e.parties if p.role != "agency"
                  and not set(names.mentioned(p.name)) & known]  # fmt: skip
        if others and len(others) < len([p for p in e.parties if p.role != "agency"]):
            return others
    return e.names(_MAIN_ROLE.get(e.kind, "licensee"))


def _ranked(query: LedgerQuery, rows: Sequence[Event], names: NameIndex) -> LedgerReply | None:
    term = query.terms[0] if query.terms else "total"
    valued, unvalued = _values(rows, term)
    # a deal told again (an amendment, a later brief) is ranked once, at its latest figure
    valued = _one_per_deal(valued, names)
    if len(valued) < 2:
        return None
    valued.sort(key=lambda pair: pair[0], reverse=query.op == "max")
    word = "Largest" if query.op == "max" else "Smallest"
    # across more rows than a reader takes in ("which deal had the largest upfront"), the first
    # few and how many were ranked: the reader's quote of one deal's upfront said nothing of
    # the others
    shown = valued if len(rows) <= MAX_ITEMS else valued[:_RANKED_SHOWN]
    top = _item(shown[0][1], query, names, term, with_payer=True)
    rest = tuple(_item(e, query, names, term) for _, e in shown[1:])
    of = f" (the first {len(shown)} of {len(valued)})" if len(shown) < len(valued) else ""
    note = _missing_note(unvalued, term)
    return LedgerReply(f"{word} {term}{of}:", (top, *rest), note)


def _summed(query: LedgerQuery, rows: Sequence[Event], names: NameIndex) -> LedgerReply | None:
    term = query.terms[0] if query.terms else "total"
    valued, unvalued = _values(rows, term)
    valued = _one_per_deal(valued, names)
    if len(valued) < 2:
        return None  # "the total upfront after the amendment" is one deal's figure: the reader's
    currency = _one_currency([e.money[term] for _, e in valued]) or "USD"
    total = sum(v for v, _ in valued)
    items = tuple(_item(e, query, names, term) for _, e in valued)
    return LedgerReply(f"{_amount(total, currency)} in all:", items, _missing_note(unvalued, term))


def _one_per_deal(valued: list[tuple[float, Event]], names: NameIndex) -> list[tuple[float, Event]]:
    """One figure per deal: a deal told again (an amendment of a licence, or a later brief that
    restates a figure for the same product or issuer) is the same deal, and its latest row
    stands, for a sum that adds a licence to its own amendment counts one payment twice."""
    kept: list[tuple[float, Event]] = []
    for value, e in sorted(valued, key=lambda pair: pair[1].date):
        same = next(
            (i for i, (v, k) in enumerate(kept) if _same_deal(e, k, value == v, names)), None
        )
        if same is None:
            kept.append((value, e))
        else:
            kept[same] = (value, e)
    return kept


def _same_deal(a: Event, b: Event, same_value: bool, names: NameIndex) -> bool:
    families = {_FAMILY.get(a.kind, a.kind), _FAMILY.get(b.kind, b.kind)}
    shared = names.keys_of(a) & names.keys_of(b)
    if a.asset and b.asset:  # one company's two products are two deals
        shared = {k for k in shared if k.startswith("product:")}
    if len(families) > 1 or not shared:
        return False
    # an amendment changes its deal's figures; a restatement repeats them
    return same_value or "amendment" in (a.kind, b.kind)


def _changed(
    rows: Sequence[Event], names: NameIndex, asked: Sequence[str], kinds: frozenset[str]
) -> LedgerReply | None:
    """An amendment against the deal it amends: each term (those asked, else all) and the
    territory, old then new. A question that names the deal's end ("from the deal to the
    termination") compares the termination row, never an amendment it did not ask about."""
    later = "termination" if "termination" in kinds else "amendment"
    new = next((e for e in reversed(rows) if e.kind == later), None)
    old = next((e for e in rows if e.kind == "licence" and e is not new), None)
    if new is None or old is None:
        return None
    items = []
    for term in asked or ("upfront", "milestones", "total", "royalty", "equity"):
        a, b = old.money.get(term), new.money.get(term)
        if a and b and a.text != b.text:
            items.append(LedgerItem(f"{term} {a.text}", old.cites[term]))
            items.append(LedgerItem(f"then {b.text}", new.cites[term]))
    if old.territory and new.territory and old.territory != new.territory:
        items.append(LedgerItem(f"territory {old.territory}", old.cites["territory"]))
        items.append(LedgerItem(f"then {new.territory}", new.cites["territory"]))
    if not items:
        return None
    # each date cited: an amendment told in a later brief is dated by its own sentence
    dated = tuple(LedgerItem(written_date(e.date), e.cites["kind"]) for e in (old, new))
    return LedgerReply(f"{_label(new, names)},", tuple(items), dated=dated)


def _values(rows: Sequence[Event], term: str) -> tuple[list[tuple[float, Event]], list[Event]]:
    """Rows with a comparable figure for `term` (the amount when all share a currency, else the
    USD figure the brief gives) and the rows without one."""
    held = [e for e in rows if (m := e.money.get(term)) and m.amount is not None]
    same = _one_currency([e.money[term] for e in held]) is not None
    valued, unvalued = [], [e for e in rows if e not in held]
    for e in held:
        m = e.money[term]
        value = m.amount if same else m.usd
        if value is None:
            unvalued.append(e)
        else:
            valued.append((value, e))
    return valued, unvalued


def _one_currency(money: Sequence[Money]) -> str | None:
    """The currency all these figures share, or None when they mix currencies."""
    currencies = {m.currency for m in money}
    return currencies.pop() if len(currencies) == 1 else None


def _missing_note(rows: Sequence[Event], term: str) -> str:
    named = [r.asset[0] if r.asset else r.title for r in rows if term in r.money]
    return f"No USD figure is given for {', '.join(named)}; not counted." if named else ""


def _item(
    e: Event, query: LedgerQuery, names: NameIndex, term: str | None = None,
    with_payer: bool = False,
) -> LedgerItem:  # fmt: skip
    """One row as a short phrase: its date when asked, its name, the asked figures."""
    terms = [term] if term else [t for t in query.terms if t in e.money]
    shown = [f"{t} {e.money[t].text if not e.money[t].undisclosed else 'undisclosed'}"
             for t in terms]  # fmt: skip
    label = _label(e, names)
    asked = _parties_asked(e, query, names) if query.wants_party else []
    if asked and asked[0] not in label:
        label = f"{label} ({', '.join(asked)})"
    with_payer = with_payer and e.kind not in _MAIN_ROLE  # a financing's label is its issuer
    if with_payer:  # the one who pays where the roles say so, else everyone in the deal
        payers = [p.name for p in e.parties if p.role in _PAYER] or [
            p.name for p in e.parties if p.role != "agency"
        ]
        label = f"{' / '.join(payers)} ({label})" if payers else label
    if not shown:
        detail = [*_kind_phrase(e), *e.names("agency")]
        shown = [_KIND_LABEL.get(e.kind, e.kind) + (f" ({', '.join(detail)})" if detail else "")]
    dated = when(e) if query.wants_date or query.op == "timeline" else ""
    date = f"{written_date(dated)}: " if dated else ""
    cite = e.cites.get(terms[0]) if terms else None
    return LedgerItem(f"{date}{label} {', '.join(shown)}", cite or e.cites["kind"])


def _kind_phrase(e: Event) -> list[str]:
    """The phrase that named the kind in its sentence, where the vocabulary has one ("breakthrough
    therapy", "priority review"): which designation, not only that there was one."""
    kind = e.cites.get("kind")
    entries = dict(KIND_WORDS).get(e.kind, ())
    if kind is None:
        return []
    tokens = list(parse(kind.quote))
    for i in range(len(tokens)):
        for entry in entries:
            if isinstance(entry, tuple) and len(entry) > 1 and entry_at(tokens, i, entry):
                return [" ".join(t.lower_ for t in tokens[i : i + len(entry)])]
    return []


def when(e: Event) -> str:
    """The event's date: the one its own sentence states where that is no later than the brief
    (a weekly digest reports a filing made days before it), else the brief's."""
    kind = e.cites.get("kind")
    stated = stated_date(parse(kind.quote)) if kind else None
    if stated and (not e.date or stated <= e.date):
        return stated
    return e.date


def _label(e: Event, names: NameIndex) -> str:
    """A row's name: the company for a financing or IPO, else its product, else its parties."""
    issuer = e.names("issuer")
    if e.kind in ("financing", "ipo") and issuer:
        return issuer[0]
    if e.asset:
        return e.asset[0]
    parties = [p.name for p in e.parties if p.role != "agency"]
    return "/".join(parties[:2]) or e.title


def _amount(value: float, currency: str | None) -> str:
    unit, scale = ("billion", 1e9) if value >= 1e9 else ("million", 1e6)
    number = f"{value / scale:,.2f}".rstrip("0").rstrip(".")
    return f"{currency or ''} {number} {unit}".strip()
