"""Events a brief reports in passing, beside its news: the company's earlier round ("had
previously raised a RMB 125 million Series A"), and for an amendment, the original deal whose
figures it replaces ("increased from USD 40 million").

A sentence after the lead is such an event when it names a kind that carries money, states a
figure of that kind, and either names a different kind from the brief's or says it lies in the
past (an earlier year, "previously"). An amendment's replaced figures make up the original deal.
An approval told with a date before the brief's, in a brief whose news is not an approval, is the
product's earlier approval.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rag.ledger.roles import agencies
from rag.ledger.sections import KINDS
from rag.ledger.terms import TermHit
from rag.ledger.vocab import KIND_TERMS, LICENCE_FAMILY, LICENCE_WORDS
from rag.ledger.words import find_entry, lower_words
from rag.numbers import find_dates

#: The event kind some tokens name (`extract.kind_of`), or None.
KindOf = Callable[[Any], str | None]

_LATER = LICENCE_FAMILY[1:]  # the kinds that tell of an earlier licence's fate
_PAST = ("previously", "earlier", "prior", "before", "original", "originally", "already")


@dataclass(frozen=True)
class SideEvent:
    """A passing event: its kind, the figures that belong to it and its date as stated."""

    kind: str
    hits: tuple[TermHit, ...]
    date: str
    sentence: Any


def side_events(
    sents: Sequence[Any], hits: Sequence[Sequence[TermHit]], kind: str, date: str, kind_of: KindOf
) -> list[SideEvent]:
    """The passing events of one section (`hits[i]` are sentence i's figures)."""
    out: list[SideEvent] = []
    for i, sent in enumerate(sents):
        if i == 0:
            continue  # the lead states the news
        lows = lower_words(list(sent))
        other = kind_of(lows)
        if other == kind:
            # "raised USD 96 million in its Series C before the listing": in an IPO brief the
            # sentence's other money kind is the passing event, not a second IPO
            other = next((k for k in KINDS.named(lows) if k != kind and k in KIND_TERMS), kind)
        if other == "approval" and kind != "approval":
            # "PHB-6640 was approved by the NMPA in August 2025" in a licence brief: the
            # product's earlier approval, an event of its own though it carries no money
            when = stated_date(sent)
            if when is not None and when < date[: len(when)] and _approved(sent):
                out.append(SideEvent("approval", (), when, sent))
            continue
        if other == "amendment" and kind != "amendment":
            # "On 15 August 2022 the companies amended it: ..." in a termination brief: the
            # earlier rework, its figures in the sentences of its paragraph that follow
            when = stated_date(sent)
            if when is not None and when < date[: len(when)]:
                mine = _paragraph_hits(sents, hits, i, kind_of, KIND_TERMS[other])
                out.append(SideEvent(other, mine, when, sent))
            continue
        if other not in KIND_TERMS or other == "amendment":
            continue
        if other == "licence" and find_entry(lows, LICENCE_WORDS) is None:
            continue  # "the deal" in an IPO brief is the offering, not a licence
        mine = tuple(h for h in hits[i] if h.term in KIND_TERMS[other] and not h.undisclosed)
        same = other == kind or {other, kind} == {"ipo", "financing"}  # an IPO raises money
        if not mine or (same and not _in_past(sent, date)):
            continue
        out.append(SideEvent(other, mine, date_near(sent, mine[0].text) or "", sent))
    if kind == "amendment":
        old = tuple(h for row in hits for h in row if h.old)
        if old:
            when = next((d for s in sents if (d := stated_date(s)) and d < date), "")
            out.append(SideEvent("licence", old, when, old[0].sentence))
    return out


def elsewhere(
    sents: Sequence[Any], side: Sequence[SideEvent], kind: str, date: str, kind_of: KindOf
) -> set[int]:
    """The sentences (by `id`) that tell another event than the news: the passing events', and
    any after the lead naming an event in the past ("In November 2023 Legend licensed its
    programme to Novartis"), whose companies are no party to the news. The licence an amendment
    changes or a termination ends is the same deal, so its sentences stay."""

    def other(k: str | None) -> bool:
        return k is not None and not (kind in _LATER and k in LICENCE_FAMILY)

    out = {id(e.sentence) for e in side if other(e.kind)}
    out |= {id(s) for s in sents[1:] if _in_past(s, date) and other(kind_of(s))}  # cheap first
    return out


def _paragraph_hits(
    sents: Sequence[Any], hits: Sequence[Sequence[TermHit]], i: int, kind_of: KindOf,
    terms: Sequence[str],
) -> tuple[TermHit, ...]:  # fmt: skip
    """The figures of sentence `i` and of the sentences of its paragraph after it (a paragraph
    is parsed as one document) until one names another event."""
    out: list[TermHit] = []
    for j in range(i, len(sents)):
        if sents[j].doc is not sents[i].doc:
            break
        if j > i and kind_of(lower_words(list(sents[j]))) not in (None, "amendment"):
            break
        out += [h for h in hits[j] if h.term in terms and not h.undisclosed]
    return tuple(out)


def _approved(sent: Any) -> bool:
    """The sentence says a regulator approved something: "was approved by the NMPA", "won
    approval from the FDA", not "plans to discuss an approval pathway" or "if approved"."""
    if not agencies([sent]):
        return False
    for t in sent:
        if not t.lower_.startswith("approv"):
            continue
        # the word or the verb it hangs on is past ("approved", "won approval"); an approval
        # that modifies a noun ("an approval pathway") hangs on no verb
        verb = t if t.pos_ in ("VERB", "AUX") else t.head
        if verb.tag_ not in ("VBD", "VBN"):
            continue
        if any(c.dep_ == "neg" or c.lower_ == "if" for c in verb.children):
            continue
        return True
    return False


def _in_past(sent: Any, date: str) -> bool:
    year = date[:4]
    if any(t.lower_ in _PAST for t in sent):
        return True
    return any(t.text < year for t in _years(sent))


def _years(sent: Any) -> list[Any]:
    """The sentence's tokens that are a year ("in 2022")."""
    return [t for t in sent if t.ent_type_ == "DATE" and t.like_num and len(t.text) == 4]


def date_near(sent: Any, figure: str) -> str | None:
    """The date of the figure's event where a sentence tells of several years ("BQ-101 in 2022
    and BQ-330 in 2024, when Corvane also bought US$20 million of shares"): the year written
    closest to the figure; else the sentence's first date."""
    years = _years(sent)
    first = stated_date(sent)
    at = sent.text.find(figure)
    if len({t.text for t in years}) < 2 or at < 0:
        return first
    at += sent.start_char
    year = min(years, key=lambda t: abs(t.idx - at)).text
    return first if first and first.startswith(year) else year


def stated_date(sent: Any) -> str | None:
    """The sentence's first date with a year, as precise as written: "2022-05-17", "2024-04",
    "2022"."""
    for month, day, year in find_dates(sent.text):
        if year:
            return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")
    return next((t.text for t in _years(sent) if t.text.startswith("20")), None)
