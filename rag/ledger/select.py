"""Which ledger rows a question is about: its kinds, terms, regulators, years and names, and the
rare words it filters by ("conditional", "CLDN18.2"), matched against each row's cited sentences.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rag.ledger.asking import LedgerQuery
from rag.ledger.names import NameIndex, build_names, words
from rag.ledger.types import ROLES, Event
from rag.ledger.vocab import AGENCIES, KIND_TERMS, KIND_WORDS, TERM_WORDS
from rag.lexical import lexical_tokens

_LONG_AGENCIES = re.compile(
    "|".join(re.escape(long) for long in sorted(AGENCIES, key=len, reverse=True) if " " in long),
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Rows:
    """The ledger's rows with what questions match them on, worked out once per load: each
    row's entity keys and the words (and stems) of its title and cited sentences."""

    events: tuple[Event, ...]
    names: NameIndex
    keys: dict[int, frozenset[str]]  # id(event) -> entity keys
    words: dict[int, frozenset[str]]  # id(event) -> words and stems


def index_rows(events: Sequence[Event]) -> Rows:
    """Index a ledger's rows for questions."""
    names = build_names(events)
    return Rows(
        tuple(events), names,
        {id(e): frozenset(names.keys_of(e)) for e in events},
        {id(e): frozenset(_row_words(e)) for e in events},
    )  # fmt: skip


def select_rows(
    query: LedgerQuery, mentioned: Sequence[str], index: Rows, rare: Callable[[str], bool]
) -> list[Event]:
    """The rows the question asks about, oldest first."""
    rows = [e for e in index.events if _wanted(e, query)]
    if query.agencies:
        rows = [e for e in rows if set(e.names("agency")) & query.agencies]
    if query.years and not mentioned:  # "X's 2025 placement vs Y's IPO": the year is X's
        rows = [e for e in rows if e.date[:4] in query.years]
    if mentioned:
        rows = _best_covered(rows, set(mentioned), index)
    else:
        rows = _filtered_by_words(rows, query, rare, index)
    return sorted(rows, key=lambda e: (e.date, e.doc_id))


def _wanted(event: Event, query: LedgerQuery) -> bool:
    """A row of a kind the question names, or holding a term it asks for that those kinds do not
    carry (with neither named, every row)."""
    if not query.kinds and not query.terms:
        return event.kind != "other"
    if query.op in ("max", "min") and event.kind == "amendment" and "licence" in query.kinds:
        # a licence's amendment restates its figures: a ranking of licences ranks the new ones
        return any(t in event.money for t in query.terms)
    if event.kind in query.kinds:
        # "licences with an equity stake": a named kind that carries an asked term must hold it
        held = [t for t in query.terms if t in KIND_TERMS.get(event.kind, ())]
        return not held or any(t in event.money for t in held)
    # a term no named kind carries ("IPO proceeds and the ZX-117 upfront") picks its own rows
    carried = {t for k in query.kinds for t in KIND_TERMS.get(k, ())}
    return any(t in event.money and t not in carried for t in query.terms)


def _best_covered(rows: list[Event], mentioned: set[str], index: Rows) -> list[Event]:
    """For each name the question gives, the rows of each kind that involve most of the names
    it gives: "Zorbex/Halcyon" is their licence, not Zorbex's IPO, unless the IPO is asked too."""
    keys = {id(e): index.keys[id(e)] & mentioned for e in rows}
    kept: dict[int, Event] = {}
    for name in mentioned:
        holding = [e for e in rows if name in keys[id(e)]]
        for kind in {e.kind for e in holding}:
            same = [e for e in holding if e.kind == kind]
            most = max(len(keys[id(e)]) for e in same)
            kept.update((id(e), e) for e in same if len(keys[id(e)]) == most)
    return list(kept.values())


def _filtered_by_words(
    rows: list[Event], query: LedgerQuery, rare: Callable[[str], bool], index: Rows
) -> list[Event]:
    """Rows whose sentences hold each rare word of the question that some rows hold and others
    do not: "Which approvals were conditional?" keeps the conditional ones. A name the question
    gives that no row holds ("zanidatamab" where no row is about it) leaves no rows: the ledger
    does not know what is asked about."""
    texts = index.words
    for word in query.qualifiers:  # "which approvals were conditional": those that say so
        rows = [e for e in rows if _held(word, texts[id(e)])]
    named = {w for n in query.names for w in words(n)}
    # a regulator the question names was matched on the rows' agency already; a sentence that
    # writes it out ("National Medical Products Administration") holds no "NMPA"
    agencies = {a.lower() for a in query.agencies}
    for word in sorted((query.lemmas | named | query.words) - agencies):
        if word not in named and _matched_already(word, query):
            continue
        specific = rare(word)
        if not specific and word not in named:
            continue  # a common word ("therapy") filters nothing; a name ("BCMA") does
        holding = [e for e in rows if _held(word, texts[id(e)])]
        if not holding and specific and word in query.words:
            return []  # a name ("zanidatamab", "Qilin") no row holds: what is asked is not ours
        if holding and len(holding) < len(rows):
            rows = holding
    return rows


def _matched_already(word: str, query: LedgerQuery) -> bool:
    """A word that names what the rows were picked by: a money term ("investment" for equity), a
    kind ("deals") or a party role ("partner"); the row holds it, whatever its sentences say."""
    if word in ROLES:
        return True
    kinds = [e for k, entries in KIND_WORDS if k in query.kinds for e in entries]
    if any(isinstance(e, str) and word.startswith(e) for e in kinds):
        return True  # "deal" in "across these deals, which licensors"
    return any(
        word.startswith(prefix) for term, prefixes in TERM_WORDS if term in query.terms
        for prefix in prefixes
    )  # fmt: skip


def _row_words(event: Event) -> set[str]:
    """The words of a row's title and cited sentences, and their stems."""
    text = " ".join([event.title, *(c.quote for c in event.cites.values())])
    # a regulator's long name is matched as the row's agency, not as words: "National Medical
    # Products Administration" says nothing of "products"
    text = _LONG_AGENCIES.sub(" ", text)
    return set(words(text)) | set(lexical_tokens(text))


def _held(word: str, row_words: frozenset[str]) -> bool:
    """A question word stands in a row: as written, or by its stem ("approvals", "approved")."""
    if word in row_words:
        return True
    if not word.isalpha():
        return False  # a code ("her2", "cldn18.2") by its stems would be a bare digit
    stems = lexical_tokens(word)
    return bool(stems) and all(s in row_words for s in stems)
