"""What a question asks of the ledger, read off its parse with the ledger's own vocabularies.

The same word lists that name a row's kind and money terms at ingest (`vocab.py`) name them in a
question; the operation comes from the parse: "how many" counts, a superlative adjective ranks,
"timeline" orders by date, "total"/"combined" adds, "change"/"amend" compares a deal with its
amendment, and several named deals are laid side by side. Anything else is a plain list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rag.ledger.sections import KINDS
from rag.ledger.vocab import AGENCIES, ASSET_NOUNS, TERM_WORDS
from rag.ledger.words import generic_name, word_matches
from rag.reading.nlp import parse
from rag.reading.question import name_like, typed_name, wh_and_head

# lemmas that name an operation; a closed, small vocabulary like the kinds and terms
_TIMELINE = frozenset(("timeline", "history", "chronology", "journey"))
_SUM = frozenset(("total", "combined", "sum", "altogether", "overall"))
_CHANGE = frozenset(("change", "differ", "difference"))
_SIDE_BY_SIDE = frozenset(("compare", "versus", "vs", "vs.", "stack"))
# the lemma a "who" question asks with -> the party role it wants
# the figure an amount question means for a kind with one headline figure
_HEADLINE = {"financing": "proceeds", "ipo": "proceeds"}
_AMOUNT = frozenset(("amount", "much", "money", "size", "figure", "value", "sum"))
_PARTY_NOUNS = frozenset(("company", "partner", "licensor", "licensee", "investor", "acquirer",
                          "buyer", "biotech", "drugmaker"))  # fmt: skip
_ROLES = {"investor": "investor", "invest": "investor", "licensee": "licensee",
          "licensor": "licensor", "acquirer": "acquirer", "buyer": "acquirer",
          "acquire": "acquirer", "partner": "partner"}  # fmt: skip
# nouns that ask for products ("which HER2-targeted drugs"): the rows' assets are the answer
_WHO = frozenset(("company", "licensor", "licensee", "partner", "investor", "acquirer", "buyer",
                  "payer", "issuer", "regulator"))  # fmt: skip
_UP = frozenset(("large", "big", "high", "great", "much", "many", "more", "most"))
_DOWN = frozenset(("small", "low", "little", "few", "least", "less"))


def asks_money(question: str) -> bool:
    """Whether a question asks for a sum: a money term ("upfront", "milestones") or an amount
    word ("how much", "what value")."""
    if read_query(question).terms:
        return True
    return any(t.lemma_.lower() in _AMOUNT for t in parse(question))


@dataclass(frozen=True)
class LedgerQuery:
    """One question read for the ledger."""

    text: str  # the question
    op: str  # "list", "count", "max", "min", "sum", "timeline", "diff", "each"
    kinds: frozenset[str]  # event kinds the question names
    terms: tuple[str, ...]  # money terms it asks for, in its order
    agencies: frozenset[str]  # regulators it names (short forms)
    years: tuple[str, ...]  # years it names
    wants_date: bool  # it asks when
    wants_party: bool  # it asks who
    plural: bool  # it asks for several things
    coordinated: bool  # it joins several asks ("the listing's proceeds and the later approval")
    role: str  # the party role a "who" question names ("investor"), "" for any
    lemmas: frozenset[str]  # its content lemmas, for filtering rows by their sentences
    names: tuple[str, ...] = ()  # its words written like names ("Zorbex", "ZX-117")
    asks_rows: str = ""  # the rows it asks for: a kind ("which deals"), "party" ("which companies")
    words: frozenset[str] = frozenset()  # the names it gives (lower case), drug names included
    qualifiers: frozenset[str] = frozenset()  # what it says of the asked rows ("conditional")
    parts: int = 1  # the things it asks, joined ("the upfront, the response rate and ...")
    verbs: frozenset[str] = frozenset()  # its verb lemmas ("lead", "invest")
    other_figure: bool = False  # it asks a figure the terms do not name ("the near-term money")


def kind_of_words(tokens: list[Any]) -> frozenset[str]:
    """The event kinds these tokens name."""
    return frozenset(KINDS.named(tokens))


def read_query(question: str) -> LedgerQuery:
    """Read a question's kinds, terms, agencies, years and operation."""
    doc = parse(question)
    tokens = list(doc)
    kinds = kind_of_words(tokens)
    raised_only = all(
        any(t.lower_.startswith(("rais", "round")) for t in tokens[i : i + 1])
        for i in range(len(tokens)) if kind_of_words(tokens[i : i + 1]) == {"financing"}
    )  # fmt: skip
    if "ipo" in kinds and raised_only:
        kinds -= {"financing"}  # what an IPO raises is the IPO's; a "placement" is not
    terms = tuple(
        term for term, prefixes in TERM_WORDS
        if any(word_matches(t, p) for t in tokens for p in prefixes)
    )  # fmt: skip
    low = question.lower()
    agencies = frozenset(
        short for long, short in AGENCIES.items()
        if f" {long} " in f" {' '.join(w.lower_ for w in tokens)} "
    )  # fmt: skip
    years = tuple(t.text for t in tokens if t.shape_ == "dddd" and "1990" <= t.text <= "2100")
    lemmas = {t.lemma_.lower() for t in tokens}
    wh = {t.lower_ for t in tokens if t.tag_ in ("WDT", "WP", "WP$", "WRB")}
    plural = any(t.tag_ in ("NNS", "NNPS") for t in tokens) or any(t.dep_ == "conj" for t in tokens)
    if not terms and kinds and all(k in _HEADLINE for k in kinds) and lemmas & _AMOUNT:
        terms = tuple(dict.fromkeys(_HEADLINE[k] for k in sorted(kinds)))  # "the HK$ amounts"
    op = _op(tokens, lemmas, low)
    if op == "diff":
        kinds |= {"licence", "amendment"}  # what changed is read off the deal and its amendment
    return LedgerQuery(
        text=question,
        op=op,
        kinds=kinds,
        terms=terms,
        agencies=agencies,
        years=years,
        wants_date="when" in wh or bool(lemmas & {"date", "when", "timeline"}),
        wants_party="who" in wh or bool(lemmas & _WHO),
        plural=plural,
        coordinated=any(t.dep_ == "conj" for t in tokens),
        role=next((role for lemma, role in _ROLES.items() if lemma in lemmas), ""),
        lemmas=frozenset(t.lemma_.lower() for t in tokens if t.pos_ in ("NOUN", "ADJ", "PROPN")),
        names=tuple(t.text for t in tokens if name_like(t) and not t.is_punct),
        asks_rows=_asks_rows(doc),
        # the names it gives, of companies and products ("Qilin", "zanidatamab", "baiyun")
        words=frozenset(
            t.lower_
            for t in tokens
            if (name_like(t) or generic_name(t) or typed_name(t)) and not _vocab(t)
        ),
        qualifiers=_qualifiers(tokens),
        verbs=frozenset(t.lemma_.lower() for t in tokens if t.pos_ == "VERB"),
        other_figure=any(
            t.lemma_.lower() in _AMOUNT
            and any(c.dep_ in ("amod", "compound") and not _vocab(c) for c in t.children)
            for t in tokens
        ),
        # "A, B and C" is three asks: spaCy joins the last by conj, the others by commas
        parts=1
        + sum(t.dep_ == "conj" for t in tokens)
        + (sum(t.text == "," for t in tokens) if any(t.lower_ == "and" for t in tokens) else 0),
    )


def _vocab(token: Any) -> bool:
    """A word of the ledger's own vocabulary (a kind, a term, a regulator)."""
    terms = any(word_matches(token, p) for _, ps in TERM_WORDS for p in ps)
    return terms or bool(kind_of_words([token])) or token.lower_ in AGENCIES


def _qualifiers(tokens: list[Any]) -> frozenset[str]:
    """Adjectives said of an event noun: "conditional approvals", "approvals ... were
    conditional" (not sizes: "the largest upfront" ranks)."""
    out = set()
    for t in tokens:
        if t.pos_ != "ADJ" or t.lemma_.lower() in _UP | _DOWN or t.tag_ in ("JJS", "JJR"):
            continue
        said_of = [t.head] if t.dep_ == "amod" else []
        if t.dep_ == "acomp":
            said_of = [c for c in t.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        if any(kind_of_words([n]) for n in said_of):
            out.add(t.lemma_.lower())
    return frozenset(out)


def _asks_rows(doc: Any) -> str:
    """The kind of row the asked noun names ("which deals": licence, "financing rounds"), "party"
    for the parties to them ("which companies", "investors"), "asset" for their products ("which
    drugs"), "" for something inside one brief ("which territories")."""
    _, head = wh_and_head(doc)
    if head is None:  # where the parse misses it, the noun run right after "which"/"what"
        head = _noun_after_wh(doc)
    if head is None:
        return ""
    if head.lemma_.lower() in _PARTY_NOUNS:
        return "party"
    if head.lemma_.lower() in ASSET_NOUNS:
        return "asset"
    return next(iter(sorted(kind_of_words([head]))), "")


def _noun_after_wh(doc: Any) -> Any:
    wh = next((t for t in doc if t.tag_ == "WDT"), None)
    if wh is None:
        return None
    noun = None
    for t in doc[wh.i + 1 :]:
        if t.pos_ not in ("ADJ", "NOUN", "PROPN"):
            break
        noun = t if t.pos_ == "NOUN" else noun
    return noun


def _op(tokens: list[Any], lemmas: set[str], low: str) -> str:
    """The operation the question asks for."""
    if "how many" in low:
        # a count of events ("how many deals"); "how many patients" is the reader's
        many = next(i for i, t in enumerate(tokens) if t.lower_ == "many")
        counted = tokens[many + 1 : many + 2]
        return "count" if counted and kind_of_words(counted) else "none"
    # "the largest upfront", and "which raised more": a ranking of the rows (of size, not time:
    # "the latest round" is one row)
    superlatives = [t for t in tokens if t.tag_ in ("JJS", "RBS", "JJR", "RBR")
                    and t.lemma_.lower() in _UP | _DOWN]  # fmt: skip
    if superlatives:
        down = any(t.lemma_.lower() in _DOWN for t in superlatives)
        # ranked by a money term; "the largest deal" is ranked by its total
        ranked = [t.head for t in superlatives]
        sized = any(word_matches(t, p) for t in tokens for _, ps in TERM_WORDS for p in ps)
        if sized or any(kind_of_words([t]) for t in ranked):
            return "min" if down else "max"
        return "none"  # "the bigger premium": not a figure the ledger holds
    if lemmas & _TIMELINE:
        return "timeline"
    if lemmas & _CHANGE:
        return "diff"
    if lemmas & _SUM:
        return "sum"
    if lemmas & _SIDE_BY_SIDE or "vs" in low.split():
        return "each"
    return "list"
