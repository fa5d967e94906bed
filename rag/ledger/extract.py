"""`extract_events(brief)`: the events one brief reports, each field cited to its sentence.

A brief is one event; a digest (items under `##` headings that each name an event kind) is one
per item. The kind comes from the vocabulary words of the title or heading, else of the lead
sentence; money terms, parties, asset, territory and indication from the parse of the item's
sentences (`terms`, `roles`). Everything is read from spaCy's parse of the brief's paragraphs,
parsed once (`sections`), and with other briefs' where ingest hands several over.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from rag.ledger import roles
from rag.ledger.background import SideEvent, elsewhere, side_events
from rag.ledger.places import PLACES, deal_territory, rights_returned, territory_change
from rag.ledger.sections import Section, kind_of, read_sections
from rag.ledger.terms import TermHit, sentence_terms
from rag.ledger.types import Cite, Event, Money, Party
from rag.ledger.vocab import DISEASE_ENDINGS, KIND_TERMS, LICENCE_FAMILY, OTHER_TERMS, REFINES
from rag.ledger.words import clean_name, generic_name, hyphen_runs

_DEAL_KINDS = ("licence", "amendment")
_AGGREGATES = ("milestones", "total", "proceeds")


@dataclass(frozen=True)
class BriefText:
    """What extraction needs of a loaded brief (`rag` does not import `ingest`)."""

    doc_id: str
    text: str
    title: str
    date: str
    companies: tuple[str, ...] = ()
    # companies other briefs declare: the candidates for a brief that declares none (plain text)
    known_companies: tuple[str, ...] = ()


def extract_events(brief: BriefText, sections: list[Section] | None = None) -> list[Event]:
    """One `Event` per reported event of the brief (none for a brief that reports no event).
    `sections` are the brief's from `read_sections`, for a caller that parsed several briefs
    at once; by default the brief is parsed here."""
    if sections is None:
        sections = read_sections([(brief.text, brief.title)])[0]
    if len(sections) > 1 and sections[0].heading == brief.title:
        sections = sections[1:]  # a digest's opening paragraph sums up its items
    digest = len(sections) > 1
    events = []
    for n, section in enumerate(sections):
        heading_kind = kind_of(section.heading_doc) if section.heading_doc is not None else None
        lead = [k for s in section.sents[:2] if (k := kind_of(s))]
        lead_kind = lead[0] if lead else None
        # "served notice to end its licence. The termination ...": the second makes it precise
        if len(lead) > 1 and lead[1] in REFINES.get(lead[0], ()):
            lead_kind = lead[1]
        kind = heading_kind or lead_kind
        if lead_kind in REFINES.get(kind or "", ()):
            kind = lead_kind  # "widens its pact" over "have amended the licence": an amendment
        if kind is None:
            if n:
                continue  # an item with no event word is background, not an event
            kind = "other"
        hits = [sentence_terms(s) for s in section.sents]
        side = side_events(section.sents, hits, kind, brief.date, kind_of)
        aside = {id(h) for e in side for h in e.hits}
        main = [h for row in hits for h in row if not h.old and id(h) not in aside]
        others = elsewhere(section.sents, side, kind, brief.date, kind_of)
        event = _event(brief, section, kind, main, others)
        if digest and not (event.parties or event.asset or event.money):
            continue  # an item that names no company, product or figure ("What to watch")
        events.append(event)
        events.extend(_side_event(brief, section, e, event) for e in side)
    return events


def _citer(brief: BriefText, section: Section) -> Any:
    def cite(sent: Any) -> Cite:
        base = section.offsets[section.sents.index(sent)]
        start, end = base + sent.start_char, base + sent.end_char
        return Cite(brief.doc_id, start, end, brief.text[start:end])

    return cite


def _terms(kind: str, hits: list[TermHit], cites: dict[str, Cite], cite: Any) -> dict:
    """The first figure of each term the kind carries, cited; for milestones, the total and the
    proceeds the largest in the first figure's currency (the aggregate, not one near-term
    payment, nor the price range of a share sale)."""
    money: dict[str, Money] = {}
    allowed = KIND_TERMS.get(kind, OTHER_TERMS)
    for hit in hits:
        held = money.get(hit.term)
        larger = (
            held is not None and hit.term in _AGGREGATES and kind in KIND_TERMS
            and hit.currency == held.currency
            and (hit.amount or 0) > (held.amount or 0)
        )  # fmt: skip
        if (held is None or larger) and hit.term in allowed:
            money[hit.term] = Money(hit.amount, hit.currency, hit.text, hit.usd, hit.undisclosed)
            cites[hit.term] = cite(hit.sentence)
    return money


def _side_event(brief: BriefText, section: Section, side: SideEvent, main: Event) -> Event:
    """A passing event: its own figures and date; the news event's parties where it is the deal
    an amendment replaces, else the products and declared companies its sentence names."""
    cite = _citer(brief, section)
    cites = {"kind": cite(side.sentence)}
    money = _terms(side.kind, list(side.hits), cites, cite)
    text = side.sentence.text
    # the declared companies the sentence names (by first word, as mentions are matched)
    named = [c for c in brief.companies if c.split()[0] in text]
    if side.kind == "licence" and main.kind == "amendment" or side.kind == "amendment":
        # the deal the amendment replaces, or the earlier rework of the deal a brief ends
        parties, asset = main.parties, main.asset
    elif side.kind == "approval":  # the product's earlier approval: "it" is the news's product
        asset = _asset([side.sentence], "")[0] or main.asset
        owner = main.names("licensor") or main.names("sponsor") or main.names()
        parties = tuple(Party(c, "sponsor") for c in (named or owner)[:1])
        parties += tuple(Party(a, "agency") for a in roles.agencies([side.sentence])[:1])
    elif side.kind == "licence":  # another deal told in passing: its own names only
        asset = _asset([side.sentence], "")[0]
        declared = brief.companies or brief.known_companies
        parties = tuple(Party(c, "partner") for c in declared if c.split()[0] in text)
    else:
        first = named[0] if named else next(iter(main.names()), "")
        role = {"acquisition": "acquirer"}.get(side.kind, "issuer")
        parties, asset = ((Party(first, role),) if first else ()), ()
    return Event(brief.doc_id, side.kind, side.date, main.title, tuple(parties), asset,
                 money=money, cites=cites)  # fmt: skip


def _event(
    brief: BriefText, section: Section, kind: str, hits: list[TermHit], others: set[int]
) -> Event:
    cite = _citer(brief, section)
    cites = {"kind": cite(section.sents[0])}
    money = _terms(kind, hits, cites, cite)
    parties = _parties(brief, section, kind, cites, cite, others)
    asset, asset_sent = _asset(
        section.sents, brief.title if not section.heading else section.heading
    )
    if asset_sent is not None:
        cites["asset"] = cite(asset_sent)
    territory = None
    if kind == "amendment":  # what it moves ("Japan and South Korea move into X's territory")
        territory = territory_change(section.sents)
    elif kind == "termination":  # what it hands back ("regains full global rights")
        territory = rights_returned(section.sents)
    if kind in _DEAL_KINDS and territory is None:
        territory = deal_territory(section.sents)
    if territory:
        cites["territory"] = cite(territory[1])
    indication = _indication(section.sents)
    if indication:
        cites["indication"] = cite(indication[1])
    return Event(
        doc_id=brief.doc_id,
        kind=kind,
        date=brief.date,
        title=section.heading or brief.title,
        parties=tuple(parties),
        asset=asset,
        territory=territory[0] if territory else None,
        indication=indication[0] if indication else None,
        money=money,
        cites=cites,
    )


def _parties(
    brief: BriefText, section: Section, kind: str, cites: dict, cite: Any, others: set[int]
) -> list[Party]:
    # the news's parties are read from the sentences that tell it, not another deal's
    sents = [s for s in section.sents if id(s) not in others] or section.sents
    companies = [c for c in brief.companies if c] or _undeclared(brief, sents)
    found = roles.mentions(sents, companies)
    found = {c: t for c, t in found.items() if t}
    if kind in LICENCE_FAMILY:
        parties = roles.licence_roles(found)
    elif kind == "acquisition":
        parties = roles.acquisition_roles(found)
    elif kind in ("financing", "ipo"):
        issuer = next(iter(found), "")
        parties = [Party(issuer, "issuer")] if issuer else []
        parties += [Party(n, "investor") for n in roles.investors(sents, issuer)]
    else:
        parties = [Party(c, "sponsor") for c in found][:1]
        parties += [Party(a, "agency") for a in roles.agencies(sents)[:1]]
    for party in parties:
        tokens = found.get(party.name)
        sent = tokens[0].sent if tokens else _sentence_naming(sents, party.name)
        if sent is not None:
            cites[f"party:{party.name}"] = cite(sent)
    return parties


def _undeclared(brief: BriefText, sents: list[Any]) -> list[str]:
    """The companies of a brief that declares none: those other briefs declare that it names
    (first word, as mentions are matched), in the order it names them, then its lead's ORGs."""
    text = " ".join(s.text for s in sents)
    words = {w.strip(".,;:()'’s") for w in text.split()}
    # a word two known companies share (a city: "Shanghai X", "Shanghai Y") names neither, nor
    # does one this brief uses as a place (its dateline's "Shanghai" is not Shanghai Yuhe)
    shared = Counter(w for c in brief.known_companies for w in set(c.split()))
    places = {t.text for s in sents for t in s if t.ent_type_ in PLACES}
    key = {c: next((w for w in c.split() if shared[w] < 2 and w not in places), c)
           for c in brief.known_companies}  # fmt: skip
    known = [c for c in brief.known_companies if c in text or key[c] in words]
    known.sort(key=lambda c: text.find(key[c]))
    firsts = {c.split()[0] for c in known}
    return known + [n for n in roles.lead_names(sents) if n.split()[0] not in firsts]


def _sentence_naming(sents: list[Any], name: str) -> Any:
    return next((s for s in sents if name in s.text), None)


def _asset(sents: list[Any], heading: str) -> tuple[tuple[str, ...], Any]:
    """Product codes and generic names, the ones the heading names first."""
    names: dict[str, Any] = {}
    for sent in sents:
        for run in hyphen_runs(sent):
            text = _code_in(run)
            if text is None and len(run) == 1 and generic_name(run[0]):
                text = run[0].text
                before = run[0].nbor(-1) if run[0].i > sent.start else None
                # a conjugate's name is two ("disitamab vedotin", "equecabtagene autoleucel"),
                # whatever tag the first word got ("equecabtagene" came out a verb)
                if before is not None and generic_name(before, any_tag=True):
                    names.pop(before.text, None)
                    text = f"{before.text} {text}"
            if text and text not in names and not any(text in n.split() for n in names):
                names[text] = sent
    ordered = sorted(names, key=lambda n: n not in heading)  # stable: text order otherwise
    first = names[ordered[0]] if ordered else None
    return tuple(ordered[:4]), first


def _code_in(run: list[Any]) -> str | None:
    """The shortest leading part of a hyphen run that is a product code: "QL-B02C1" of
    "QL-B02C1-SOLID101" (the rest names its trial)."""
    for end in range(1, len(run) + 1):
        if run[end - 1].is_lower and run[end - 1].is_alpha:
            return None  # "CD19-positive", "CD70-targeted": a target and a word, no code
        text = "".join(t.text for t in run[:end]).strip("(),;:-")
        if _product_code(text):
            return text
    return None


def _product_code(text: str) -> bool:
    """ "CT053", "MFB-702", "QYB-F9": a prefix of two to four capitals, then a code with digits.
    Targets ("CD19", "IL-23", "HER2", "CLDN18.2"), mutations ("G12C") and trial names
    ("ASTER-3", "LANTERN-1": a word before the number) are not products."""
    prefix = ""
    for c in text:
        if not c.isalpha():
            break
        prefix += c
    if not 2 <= len(prefix) <= 4 or not prefix.isupper() or "." in text or "$" in text:
        return False  # "HK$359" is a sum
    digits = sum(c.isdigit() for c in text)
    return digits >= 3 or (digits >= 1 and "-" in text and len(text) >= 6)


def _indication(sents: list[Any]) -> tuple[str, Any] | None:
    """The first disease noun phrase ("relapsed/refractory multiple myeloma")."""
    for sent in sents:
        for chunk in sent.noun_chunks:
            if chunk.root.lower_.endswith(DISEASE_ENDINGS) and chunk.root.pos_ != "PROPN":
                words = [t for t in chunk if t.pos_ not in ("DET", "PRON")]
                if words:
                    return clean_name(sent.doc[words[0].i : chunk.end].text), sent
    return None
