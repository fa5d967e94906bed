"""Who is who in an event: the companies and agencies it names and the part each plays.

Names come from what the brief itself declares (its front-matter `companies`) and, where it
declares none, from the proper-noun phrases of its lead; agencies from the fixed list of
regulators. A company's role in a licence is read from the parse: the subject of "receive" or
"grant" and the owner of the asset ("CARsgen's CT053") license out; the subject of "pay" or
"obtain" and the object of "to" in "license ... to X" license in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from rag.ledger.names import SUFFIXES
from rag.ledger.types import Event, Party
from rag.ledger.vocab import AGENCIES, MARKET_BODIES, OWNED_NOUNS
from rag.ledger.words import clean_name, hyphen_runs
from rag.reading.nlp import lemma

_GIVES = ("receive", "grant", "earn", "retain", "out-license", "outlicense", "eligible", "keep")
_TAKES = ("pay", "obtain", "gain", "acquire", "in-license", "secure", "get", "hold", "take")
_INVEST = ("led", "lead", "participation", "investor", "investors", "cornerstone", "joined",
           "including", "include", "includes", "backed", "from")  # fmt: skip
_LEGAL = (" co., ltd.", " co., ltd", " co. ltd.", ", inc.", " inc.", " ltd.", " limited", " ag",
          " plc", " holdings")  # fmt: skip


def mentions(sents: Sequence[Any], companies: Sequence[str]) -> dict[str, list[Any]]:
    """Each declared company's mentions: tokens equal to the word the brief calls it by (the
    word of its name the brief uses most: "Yuhe" of "Shanghai Yuhe Biotech", not the city)."""
    counts = Counter(t.lower_ for sent in sents for t in sent)
    runs = Counter("".join(t.lower_ for t in r) for sent in sents for r in hyphen_runs(sent))
    found: dict[str, list[Any]] = {c: [] for c in companies}
    for company in companies:
        own = [w.lower() for w in company.split() if w.lower().strip(".,&") not in SUFFIXES]
        own = own or [company.split()[0].lower()]
        key = max(own, key=lambda w: (counts[w] or runs[w], -own.index(w)))
        for sent in sents:
            for run in hyphen_runs(sent):  # "Kelun-Biotech", "I-Mab": spaCy splits the hyphen
                if "".join(t.lower_ for t in run) == key:
                    found[company].append(run[-1])
    return found


def lead_names(sents: Sequence[Any], limit: int = 3) -> list[str]:
    """Company-like names of a brief that declares none: proper-noun phrases of the first
    sentences that spaCy tags ORG (or that end in a company word)."""
    names: list[str] = []
    for sent in sents[:2]:
        for ent in sent.ents:
            low = ent.text.lower()
            if (
                ent.label_ == "ORG"
                and not agency_of(ent.text)
                and not any(body in low for body in MARKET_BODIES)
            ):
                name = strip_legal(clean_name(ent.text))
                if name and name not in names and any(c.isupper() for c in name):
                    names.append(name)
    return names[:limit]


def agency_of(text: str) -> str | None:
    """The regulator `text` names, in its short form, if any."""
    low = clean_name(text).lower()
    return AGENCIES.get(low) or next(
        (short for long, short in AGENCIES.items() if len(long) > 5 and long in low), None
    )


def agencies(sents: Sequence[Any]) -> list[str]:
    """The regulators named, in order: abbreviations written in capitals, long forms ("the
    National Medical Products Administration") in any case."""
    out: list[str] = []
    longs = [(long, short) for long, short in AGENCIES.items() if " " in long]
    for sent in sents:
        found = [short for t in sent if t.text.isupper() and (short := AGENCIES.get(t.lower_))]
        if not found:  # a long form only where the sentence gives no abbreviation of its own
            low = sent.text.lower()
            found = [short for _, short in sorted(
                (low.find(long), short) for long, short in longs if long in low)]  # fmt: skip
        for short in found:
            if short not in out:
                out.append(short)
    return out


def strip_legal(name: str) -> str:
    """ "Minfeng Bioworks Co., Ltd." -> "Minfeng Bioworks"."""
    low = name.lower()
    for suffix in _LEGAL:
        if low.endswith(suffix):
            return name[: -len(suffix)].rstrip(" ,")
    return name


def licence_roles(found: dict[str, list[Any]]) -> list[Party]:
    """Licensor and licensee from the parse; "partner" for both when the brief gives no
    direction (a co-development)."""
    votes: dict[str, Counter[str]] = {c: Counter() for c in found}
    for company, tokens in found.items():
        for token in tokens:
            role = _licence_vote(name_head(token))
            if role:
                votes[company][role] += 1
    named = [c for c in found if found[c]]
    roles = {c: v.most_common(1)[0][0] for c, v in votes.items() if v}
    payers = [c for c in named if any(_pays(name_head(t)) for t in found[c])]
    if len(named) == 2 and len(payers) == 1 and len(roles) == 2 and len(set(roles.values())) == 1:
        # both read as the same side: the money's direction settles it, the one paying is the
        # licensee ("with Aldermoor paying", though "Minfeng also gains an option")
        other = next(c for c in named if c != payers[0])
        roles = {payers[0]: "licensee", other: "licensor"}
    if len(named) == 2 and len(set(roles.values())) == 1 and len(roles) == 1:
        ((known, role),) = roles.items()
        other = next(c for c in named if c != known)
        roles[other] = "licensee" if role == "licensor" else "licensor"
    if len(set(roles.values())) < 2:
        return [Party(c, "partner") for c in named]
    return [Party(c, roles.get(c, "partner")) for c in named]


def _pays(token: Any) -> bool:
    """Whether the name is who pays: the subject of "pay", or its agent ("paid by X")."""
    verb = clause_verb(token.head)
    if token.dep_ == "nsubj":
        return verb.startswith("pay")
    by = token.dep_ == "pobj" and token.head.lower_ == "by"
    return by and clause_verb(token.head.head) == "pay"


def name_head(token: Any) -> Any:
    """The token that carries a multi-word name's role ("Huadong" in "Huadong Medicine")."""
    while token.dep_ in ("compound", "flat", "appos") and token.head.i != token.i:
        token = token.head
    return token


def _licence_vote(token: Any) -> str | None:
    head = token.head
    base = lemma(head).lower()
    if token.dep_ == "poss":
        # the asset's owner ("CARsgen's CT053", "Ascentage's inhibitor"), not the holder of a
        # post, a unit or the deal itself ("Aldermere's chief executive", "Takeda's unit")
        owned = base in OWNED_NOUNS or head.pos_ == "PROPN" or any(c.isdigit() for c in head.text)
        return "licensor" if owned else None
    if token.dep_ in ("nsubj", "nsubjpass"):
        verb = clause_verb(head)
        if token.dep_ == "nsubj" and verb.startswith(_GIVES):
            return "licensor"
        if token.dep_ == "nsubj" and verb.startswith(_TAKES):
            return "licensee"
        if any(lemma(c).lower() == "eligible" for c in head.children):
            return "licensor"
        if token.dep_ == "nsubjpass" and base == "entitle":
            return "licensor"  # "Hengrui is entitled to royalties"
    if token.dep_ == "dative" and clause_verb(head).startswith("pay"):
        return "licensor"  # "GSK pays Hengrui US$500 million": the one paid
    if token.dep_ == "dative" and clause_verb(head).startswith(("grant", "give")):
        return "licensee"  # "Ascentage gives Takeda an option": the one granted rights
    if token.dep_ == "pobj":
        verb = clause_verb(head.head)
        if base == "from":
            return "licensee" if verb.startswith(("receive", "earn")) else "licensor"
        if base == "to" and verb.startswith(("licens", "licenc", "grant", "out-licens")):
            return "licensee"
        if base == "by" and verb.startswith(("pay", "fund")):
            return "licensee"
    return None


def clause_verb(token: Any) -> str:
    """The lemma of the verb a clause hangs on ("pay" of "agreed to pay", "receive" of "will
    receive and keep")."""
    while token.dep_ in ("conj", "xcomp") and token.head.i != token.i:
        token = token.head
    return lemma(token).lower()


def acquisition_roles(found: dict[str, list[Any]]) -> list[Party]:
    """Acquirer (subject of acquire/buy/pay) and target (its object), else by order named."""
    roles: dict[str, str] = {}
    for company, tokens in found.items():
        for token in tokens:
            role = _acquisition_vote(name_head(token))
            if role:
                roles.setdefault(company, role)
    named = [c for c in found if found[c]]
    if len(set(roles.values())) < 2 and len(named) >= 2:
        roles = {named[0]: "acquirer", named[1]: "target"}
    return [Party(c, roles.get(c, "acquirer" if i == 0 else "target")) for i, c in
            enumerate(named)]  # fmt: skip


def _acquisition_vote(token: Any) -> str | None:
    verb = clause_verb(token.head)
    if token.dep_ == "nsubj" and verb.startswith(("acqui", "buy", "pay", "take")):
        return "acquirer"
    if token.dep_ in ("dobj", "pobj") and verb.startswith(("acqui", "buy", "of")):
        return "target"
    return None


# the verbs of money paid and money received, as a question asks them
_PAYS = ("pay", "spend")
_PAID = ("receive", "get", "collect", "earn", "eligible", "entitle")
# the other side of a deal
_SIDES = {"licensor": "licensee", "licensee": "licensor", "acquirer": "target",
          "target": "acquirer"}  # fmt: skip


def swapped_sides(question: Any, events: Sequence[Event]) -> list[str]:
    """The companies the question (a parsed doc) casts on the other side of every deal the
    brief records them in, each as a reason: "Amberleaf is the licensee, not the licensor",
    for "What upfront did Amberleaf receive?" where the brief has Amberleaf paying: its figure
    is the other side's. A question's side is read off its parse (`_vote`); a company on both
    sides of the brief's deals, or on the question's side of one, is not swapped."""
    sided: dict[str, set[str]] = {}
    for event in events:
        if len({p.role for p in event.parties if p.role in _SIDES}) == 2:  # both sides known
            for p in event.parties:
                if p.role in _SIDES:
                    sided.setdefault(p.name, set()).add(p.role)
    found = mentions(list(question.sents), list(sided))
    out = []
    for name, roles in sided.items():
        asked = {_vote(name_head(t), role) for t in found[name] for role in roles} - {None}
        # one side asked, not one the brief gives it: a vote is of a role's kind, so the other
        if len(asked) == 1 and not asked & roles:
            out.append(f"{name} is the {'/'.join(sorted(roles))}, not the {asked.pop()}")
    return out


def _vote(token: Any, role: str) -> str | None:
    """The side a name plays in the question, in a deal where the brief's row gives it `role`:
    in a licence, by the money's direction alone. A question's "get" is money received
    ("What upfront is Lanxi getting?"), where a brief's is rights taken ("Orion gets China
    rights"), so the votes that read a brief's parties do not read a question's."""
    if role in ("acquirer", "target"):
        return _acquisition_vote(token)
    verb = clause_verb(token.head)
    if token.dep_ == "nsubj" and verb.startswith(_PAYS):
        return "licensee"
    if token.dep_ in ("nsubj", "nsubjpass") and (
        verb.startswith(_PAID) or any(lemma(c).lower() in _PAID for c in token.head.children)
    ):
        return "licensor"  # "is Legend eligible for", "can RemeGen collect"
    if token.dep_ == "dative" and verb.startswith(_PAYS):
        return "licensor"  # "pay Hengrui": the one paid
    if token.dep_ == "pobj" and token.head.lower_ in ("from", "to", "by"):
        verb = clause_verb(token.head.head)
        if token.head.lower_ == "from" and verb.startswith(_PAID):
            return "licensee"
        if token.head.lower_ in ("to", "by") and verb.startswith(_PAYS):
            return "licensor" if token.head.lower_ == "to" else "licensee"
    return None


def investors(sents: Sequence[Any], issuer: str) -> list[str]:
    """Named investors: proper-noun phrases under "led by", "participation from", "cornerstone
    investors including", ..."""
    out: list[str] = []
    issuer_key = issuer.split()[0].lower() if issuer else ""
    for sent in sents:
        cues = [t for t in sent if t.lower_ in _INVEST]
        if not cues:
            continue
        for chunk in sent.noun_chunks:
            if chunk.root.pos_ != "PROPN" or not any(c in chunk.root.ancestors for c in cues):
                continue
            if any(t.ent_type_ in ("DATE", "MONEY", "GPE", "CARDINAL") or t.like_num
                   for t in chunk):  # fmt: skip
                continue
            words = list(chunk)
            while words and not words[0].text[:1].isupper():
                words = words[1:]  # "existing shareholder Eastlight" -> "Eastlight"
            text = chunk.doc[words[0].i : chunk.end].text if words else ""
            for part in text.split(" and "):  # "Lakemont Capital and Tidewell Ventures"
                name = strip_legal(clean_name(part))
                if not name or name.split()[0].lower() == issuer_key or agency_of(name):
                    continue
                if name not in out:
                    out.append(name)
    return out
