"""Money terms of an event: which amount is the upfront, the milestones, the total, the equity,
the royalty or the proceeds, read from the parse.

Each amount (a sum or percentage `rag.numbers` finds, with a bracketed conversion joined, so that
"RMB 200 million (USD 29.5 million)" is one amount; a price per share is not a term; or a rate
the parse reads in words, "mid-teens", with no number) takes the
term whose word is nearest to it in the dependency tree. The first amount of a term in the
brief's order wins: briefs state the news first and the background after. In "increased from
USD 40 million to USD 55 million" the "from" amount is the old figure, not the term's value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rag.ledger.vocab import TERM_WORDS, UNDISCLOSED
from rag.ledger.words import EntryIndex
from rag.numbers import find_quantities
from rag.reading.nlp import lemma
from rag.reading.spans import tree_distance

_UNITS = ("USD", "RMB", "HKD", "EUR", "JPY", "%")
_TERMS = EntryIndex(TERM_WORDS)
_UNDISCLOSED = EntryIndex((("undisclosed", UNDISCLOSED),))
_BUYS = ("buy", "take", "acquire", "purchase", "make")
_MAX_DISTANCE = 5
_MAX_PERCENT_DISTANCE = 4
_OLD = (
    "original",
    "previous",
    "prior",
    "earlier",
    "formerly",
)  # edges from the amount to its term word; further is another clause's word


@dataclass(frozen=True)
class TermHit:
    """One money term found in a sentence: its value and where it stands."""

    term: str
    amount: float | None
    currency: str | None
    text: str
    usd: float | None
    undisclosed: bool
    sentence: Any  # the spaCy sentence it came from
    old: bool = False  # a figure the sentence says was replaced or was the original one


def sentence_terms(sent: Any) -> list[TermHit]:
    """The money terms one sentence states, and the ones it says are undisclosed."""
    doc = sent.doc
    tokens = list(sent)
    lows = [t.lower_ for t in tokens]
    keywords = [
        (t.i, _TERMS.labels[rank])
        for k, t in enumerate(tokens)
        for rank in sorted(_TERMS.ranks_at(lows, k))
    ]
    hits: list[TermHit] = []
    amounts = _amounts(sent)
    taken = {i for a in amounts for i in range(*a.tokens)}
    # a term word right after an amount ("USD 27 million upfront") is that amount's alone
    adjacent = {a.tokens[1]: a for a in amounts}
    for amount in amounts:
        free = [
            (i, t) for i, t in keywords
            if i not in taken and adjacent.get(i, amount) is amount and _names_term(doc, i, amount)
        ]  # fmt: skip
        if _capped(doc, amount):  # "up to USD 1.1 billion" is a ceiling, never what is paid now
            free = [(i, t) for i, t in free if t != "upfront"]
        term = (
            _adjacent_term(amount, free)
            or _nearest_term(doc, amount.root, free, amount.unit)
            or _subject_term(doc, amount, free)
        )
        if term is None or (amount.unit == "%") != (term == "royalty"):
            continue
        old = amount.replaced or _superseded(doc, amount.root) or _original(doc[amount.root])
        hits.append(
            TermHit(term, amount.value, amount.unit, amount.text, amount.usd, False, sent, old)
        )
    said = {h.term for h in hits}
    stake = None if "equity" in said or amounts else _stake_bought(sent)
    if stake is not None:
        said.add("equity")
        hits.append(TermHit("equity", None, None, _phrase(stake), None, True, sent))
    if any(_UNDISCLOSED.ranks_at(lows, k) for k in range(len(lows))):
        for i, term in keywords:
            if term not in said and not _negated_elsewhere(doc[i]):
                said.add(term)
                hits.append(TermHit(term, None, None, _phrase(doc[i]), None, True, sent))
    return hits


def _capped(doc: Any, amount: _Amount) -> bool:
    """Whether "up to" stands right before the amount: a ceiling ("an upfront of 80 million yuan
    and up to 1.1 billion yuan in milestones", where the parser joins it to the upfront)."""
    start = amount.tokens[0]
    return start >= 2 and (doc[start - 2].lower_, doc[start - 1].lower_) == ("up", "to")


def _names_term(doc: Any, i: int, amount: _Amount) -> bool:
    """Whether the term word at `i` may name this amount: "shares" names an equity stake only as
    what the amount buys ("US$20 million of Baiqiao shares"), not in "its shares rose to HK$4.84"
    or "HKD 12.40 for each share"."""
    word = doc[i]
    if word.lower_ != "shares":
        return True
    return word.head.lower_ == "of" and word.head.head.i == amount.root


def _nearest_term(
    doc: Any, root: int, keywords: Sequence[tuple[int, str]], unit: str
) -> str | None:
    best: tuple[int, int, int, str] | None = None
    order = [t for t, _ in TERM_WORDS]
    for i, term in keywords:
        if (unit == "%") != (term == "royalty"):
            continue  # a sum is no royalty rate, a rate no sum: the next bullet's word is not it
        distance = tree_distance(doc, root, i)
        # a percentage is a royalty rate only when the word is close: "a 30% share of profits
        # in place of royalties" is not one
        if distance > (_MAX_PERCENT_DISTANCE if unit == "%" else _MAX_DISTANCE):
            continue
        key = (distance, abs(i - root), order.index(term), term)
        if best is None or key < best:
            best = key
    return best[3] if best else None


def _subject_term(doc: Any, amount: _Amount, keywords: Sequence[tuple[int, str]]) -> str | None:
    """The one term the sentence's subject names ("The ceiling on development and commercial
    milestones rises from X to Y"): a long noun phrase puts the word past the tree distance."""
    verb = doc[amount.root]
    while verb.dep_ != "ROOT" and verb.head.i != verb.i:
        verb = verb.head
    subject = {t.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree}
    said = {t for i, t in keywords if i in subject and (amount.unit == "%") == (t == "royalty")}
    return said.pop() if len(said) == 1 else None


def _adjacent_term(amount: _Amount, keywords: Sequence[tuple[int, str]]) -> str | None:
    """A term word right after the amount ("USD 27 million upfront"), which the parser often
    hangs elsewhere in the tree."""
    return next((t for i, t in keywords if i == amount.tokens[1]), None)


def _original(token: Any) -> bool:
    """The amount's clause says it is the original or previous figure ("At the original
    signing, the deal had a total value of USD 900 million")."""
    verb = token
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    clause = [t for t in verb.subtree if not _in_other_clause(t, verb)]
    return any(t.lower_.startswith(_OLD) for t in clause)


def _in_other_clause(token: Any, verb: Any) -> bool:
    while token.i != verb.i:
        if token.dep_ in ("conj", "ccomp", "advcl", "relcl", "parataxis") and token.pos_ in (
            "VERB", "AUX"
        ):  # fmt: skip
            return True
        token = token.head
    return False


def _unit_price(doc: Any, after: int) -> bool:
    """A price per share or per unit ("HKD 12.40 in cash for each share"), not a deal term."""
    following = [t.lower_ for t in doc[after : after + 6]]
    return "per" in following[:2] or "each" in following or "apiece" in following[:2]


def _superseded(doc: Any, root: int) -> bool:
    """The "from" side of "from X to Y": an old figure the sentence replaces."""
    head = doc[root].head
    if head.lower_ != "from":
        return False
    # the parser hangs "to" on the verb or on "from" itself
    return any(c.lower_ == "to" for c in (*head.children, *head.head.children))


def _negated_elsewhere(token: Any) -> bool:
    """A term word that is itself stated with a figure nearby is not undisclosed (guards
    "the upfront is USD 5 million; milestones were not disclosed")."""
    return any(child.ent_type_ in ("MONEY", "PERCENT") for child in token.subtree)


def _stake_bought(sent: Any) -> Any:
    """A stake bought without a figure ("Takeda will also buy a minority equity stake in
    Ascentage"): the deal carries equity of an amount the brief does not give."""
    for t in sent:
        if t.dep_ != "dobj" or lemma(t.head).lower() not in _BUYS:
            continue
        words = {w.lower_ for w in t.subtree}
        if (lemma(t) == "stake" or (lemma(t) == "investment" and "equity" in words)) and not any(
            w.like_num for w in t.subtree
        ):
            return t
    return None


def _phrase(token: Any) -> str:
    """The noun phrase around a term word ("undisclosed upfront payment")."""
    head = token if token.pos_ in ("NOUN", "PROPN") else token.head
    words = [t for t in head.subtree if t.i >= head.left_edge.i and t.i <= head.i]
    return " ".join(t.text for t in words if not t.is_punct).strip() or token.text


@dataclass(frozen=True)
class _Amount:
    value: float | None  # None for a rate written in words ("mid-teens")
    unit: str
    text: str
    usd: float | None
    root: int  # token index of the amount's syntactic head
    tokens: tuple[int, int]
    replaced: bool = False  # the X of "from X to Y", read off the text (the parse often is not)


def _amounts(sent: Any) -> list[_Amount]:
    """Sums of money and percentages, with a bracketed conversion joined to the sum before it
    ("RMB 560 million (about USD 86.2 million)"). Read with `rag.numbers`, which knows the
    currency spellings (spaCy leaves "RMB 300 million" untagged)."""
    doc = sent.doc
    found = [q for q in find_quantities(sent.text) if q.unit in _UNITS]
    out: list[_Amount] = []
    skip: set[int] = set()
    for n, q in enumerate(found):
        if n in skip:
            continue
        end, usd = q.end, q.value if q.unit == "USD" else None
        nxt = found[n + 1] if n + 1 < len(found) else None
        between = sent.text[q.end : nxt.start] if nxt else ""
        was = sent.text[: q.start].rstrip().lower().endswith("from")  # "from X to Y": two figures
        if nxt and not was and nxt.unit == q.unit and between.strip() in ("to", "-", "–"):
            skip.add(n + 1)  # a range: "10% to 15%"
            end = nxt.end
        elif nxt and "(" in between and len(between) <= 12 and nxt.unit != q.unit != "%":
            skip.add(n + 1)
            usd = nxt.value if nxt.unit == "USD" else usd
            close = sent.text.find(")", nxt.end)
            end = close + 1 if 0 <= close <= nxt.end + 2 else nxt.end
        span = doc.char_span(sent.start_char + q.start, sent.start_char + q.end,
                             alignment_mode="expand")  # fmt: skip
        if span is None or _unit_price(doc, span.end):
            continue
        text = " ".join(sent.text[q.start : end].split())  # a PDF's line break is a space
        replaced = was and nxt is not None and between.strip() == "to" and nxt.unit == q.unit
        out.append(_Amount(q.value, q.unit, text, usd, span.root.i, (span.start, span.end),
                           replaced))  # fmt: skip
    out += _rates_in_words(sent)
    return out


def _rates_in_words(sent: Any) -> list[_Amount]:
    """Royalty rates written in words ("in the mid-teens", "from high single digits to
    low teens", one range): PERCENT entities of the parse (`rag.reading.nlp`) with no number
    for `rag.numbers` to read."""
    doc = sent.doc
    ents = [e for e in sent.ents if e.label_ == "PERCENT" and not any(c.isdigit() for c in e.text)]
    out: list[_Amount] = []
    for ent in ents:
        last = out[-1] if out else None
        if last is not None and doc[last.tokens[1] : ent.start].text.strip() == "to":
            # the upper tier of a range
            text = doc[last.tokens[0] : ent.end].text
            out[-1] = _Amount(None, "%", text, None, last.root, (last.tokens[0], ent.end))
        else:
            out.append(_Amount(None, "%", ent.text, None, ent.root.i, (ent.start, ent.end)))
    return out
