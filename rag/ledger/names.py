"""Names resolved across briefs: one key per company and per product, whatever a brief calls it.

A company is written in full in one brief ("Zorbex Bio Group") and short in the next
("Zorbex"), or by its initials ("AZ", "BMS"); a product goes by its code, its generic name and
its brand ("ZX-117", "Zorvita"). The ledger's own rows say which names belong together:
- a company's distinctive words (not corporate suffixes, not words several companies share such
  as a city) all name it, and a longer name that holds a known one's word is that company, so
  the short and the full name meet;
- product names that one event lists together are one product (a union-find over the rows), so
  a code in one brief and its brand in another line up in one timeline.
Questions are matched on the same words, so "Zorbex/Halcyon" finds both companies' rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rag.ledger.types import Event

# Words that end company names and so tell one company from another not at all.
SUFFIXES = frozenset((
    "pharma", "pharmaceutical", "pharmaceuticals", "biotech", "biotechnology", "bio",
    "biologics", "biologic", "therapeutics", "therapeutic", "co", "ltd", "inc", "holdings",
    "holding", "group", "limited", "medicines", "medicine", "biosciences", "bioscience",
    "biopharma", "biopharmaceutical", "biopharmaceuticals", "corporation", "corp", "plc", "ag",
    "sa", "gmbh", "the", "and", "of", "international", "company", "life", "sciences", "health",
    "healthcare", "medical", "technology", "technologies", "cell", "genomics", "oncology",
    "laboratories", "labs", "capital", "fund", "ventures", "partners", "investment", "industry",
))  # fmt: skip
_PRODUCT_LIMIT = 3  # an event naming more products than this lists several, not one's aliases


def words(text: str) -> list[str]:
    """Lower-case alphanumeric words of a name or question ("Zorbex/Halcyon" -> zorbex, halcyon)."""
    out, word = [], []
    for ch in text.lower():
        if ch.isalnum():
            word.append(ch)
        elif word:
            out.append("".join(word))
            word = []
    if word:
        out.append("".join(word))
    return out


def _initials(name: str) -> str:
    """ "AstraZeneca" -> "az", "Bristol Myers Squibb" -> "bms": the capitals that start a word or
    a word part; "" for fewer than two ("CARsgen" is no "car")."""
    caps = [c for c, nxt in zip(name, name[1:], strict=False) if c.isupper() and nxt.islower()]
    return "".join(caps).lower() if len(caps) >= 2 else ""


@dataclass(frozen=True)
class NameIndex:
    """Aliases (a word, or two adjacent words joined: "lq"+"2207") to entity keys."""

    aliases: dict[str, str]  # alias -> key ("company:hansoh", "product:lq2207")
    shown: dict[str, str]  # key -> the name to print

    def keys_of(self, event: Event) -> set[str]:
        """Every entity key an event involves."""
        keys = {self.aliases.get(k) for n in event.names() for k in _name_keys(n)}
        keys |= {self.aliases.get(_joined(a)) for a in event.asset}
        return {k for k in keys if k}

    def mentioned(self, text: str) -> list[str]:
        """The entity keys a question names, in the order it names them."""
        ws = words(text)
        grams = ws + [a + b for a, b in zip(ws, ws[1:], strict=False)]
        found = [self.aliases[g] for g in grams if g in self.aliases]
        return list(dict.fromkeys(found))


def build_names(events: Sequence[Event]) -> NameIndex:
    """The name index of a ledger's rows."""
    companies = {n for e in events for p in e.parties if p.role != "agency" for n in [p.name]}
    shared = Counter(w for n in companies for w in set(words(n)))
    aliases: dict[str, str] = {}
    shown: dict[str, str] = {}
    for name in sorted(companies, key=len):  # the shortest name is seen first, and shown
        distinct = [w for w in words(name) if w not in SUFFIXES and shared[w] < 3]
        if not distinct:
            continue
        # "Nanjing Jinfeng Pharma" is the "Jinfeng" already seen, not a company called Nanjing
        known = [aliases[w] for w in distinct if w in aliases]
        key = known[0] if known else f"company:{distinct[0]}"
        shown.setdefault(key, name)
        for alias in (*distinct, _initials(name), "".join(words(name))):
            if len(alias) >= 2:
                aliases.setdefault(alias, key)
    for group in _product_groups(events):
        key = f"product:{group[0]}"
        for alias in group:
            aliases[alias] = key  # a product's code outranks a company word that equals it
    for e in events:
        for a in e.asset:
            product = aliases.get(_joined(a))
            if product:
                shown.setdefault(product, a)
    return NameIndex(aliases, shown)


def _product_groups(events: Iterable[Event]) -> list[list[str]]:
    """Product names that name one product, the code (a name with a digit) first."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for e in events:
        names = [_joined(a) for a in e.asset if _joined(a)]
        for n in names:
            root(n)
        codes = sum(any(c.isdigit() for c in n) for n in names)
        if 1 < len(names) <= _PRODUCT_LIMIT and codes <= 1:
            for n in names[1:]:
                parent[root(n)] = root(names[0])
    groups: dict[str, list[str]] = {}
    for n in parent:
        groups.setdefault(root(n), []).append(n)
    return [sorted(g, key=lambda n: (not any(c.isdigit() for c in n), n)) for g in groups.values()]


def _joined(name: str) -> str:
    return "".join(words(name))


def _name_keys(name: str) -> list[str]:
    ws = words(name)
    return [w for w in ws if w not in SUFFIXES] + ["".join(ws)]
