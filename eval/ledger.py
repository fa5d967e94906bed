"""`briefqa eval --ledger`: the extracted ledger against a gold ledger written by hand.

Events are paired within each brief (the same kind first, then the most fields in common);
each field is then scored for precision (what was extracted is right) and recall (what the gold
holds was found), per field and per kind. Names match on their first word or by containment
("Huadong Medicine" = "Huadong Medicine (Hangzhou)"); money matches on amount and currency, or
on both saying undisclosed; free text (territory, indication) on containment or half its words.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag.errors import ConfigError
from rag.ledger.types import TERMS, Event, event_from_json
from rag.numbers import find_quantities, same_quantity

FIELDS = ("kind", "date", "parties", "asset", "territory", "indication", *TERMS)


@dataclass
class Tally:
    """Counts behind one precision/recall pair."""

    right: int = 0  # extracted values that the gold holds
    extracted: int = 0
    found: int = 0  # gold values that were extracted
    gold: int = 0

    def add(self, other: Tally) -> None:
        """Pool another tally into this one."""
        self.right += other.right
        self.extracted += other.extracted
        self.found += other.found
        self.gold += other.gold

    def as_json(self) -> dict[str, Any]:
        """Precision, recall and their counts (None where nothing was there to score)."""
        return {
            "precision": round(self.right / self.extracted, 3) if self.extracted else None,
            "recall": round(self.found / self.gold, 3) if self.gold else None,
            "extracted": self.extracted,
            "gold": self.gold,
        }


@dataclass
class LedgerScore:
    """Field-level precision and recall, pooled and per kind."""

    fields: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    kinds: dict[str, dict[str, Tally]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(Tally))
    )
    misses: list[str] = field(default_factory=list)  # one line per wrong or missed value

    def summary(self) -> dict[str, Any]:
        """Headline figures (the floors' inputs) and every field and kind."""
        money, roles = _money(self.fields), self.fields["parties"]
        kinds = {k: {f: t.as_json() for f, t in v.items()} for k, v in self.kinds.items()}
        for kind, tallies in self.kinds.items():
            kinds[kind]["money"] = _money(tallies).as_json()
        return {
            "event_recall": self.fields["events"].as_json()["recall"],
            "event_precision": self.fields["events"].as_json()["precision"],
            "money_precision": money.as_json()["precision"],
            "money_recall": money.as_json()["recall"],
            "party_role_precision": roles.as_json()["precision"],
            "party_role_recall": roles.as_json()["recall"],
            "fields": {k: v.as_json() for k, v in self.fields.items()},
            "kinds": kinds,
        }


def _money(tallies: dict[str, Tally]) -> Tally:
    """The money terms pooled."""
    pooled = Tally()
    for term in TERMS:
        if term in tallies:
            pooled.add(tallies[term])
    return pooled


def evaluate_ledger(pipeline: Any, corpus: Path, gold_path: Path) -> LedgerScore:
    """Ingest `corpus` (incremental: an up-to-date index costs hashes) and score its ledger
    against the gold events, on the briefs the gold covers."""
    from ingest.runner import ingest_folder

    gold = load_gold_ledger(gold_path)
    ingest_folder(pipeline, corpus, progress=False)
    covered = {g.doc_id for g in gold}
    return score_ledger([e for e in pipeline.ledger.events() if e.doc_id in covered], gold)


def load_gold_ledger(path: Path) -> list[Event]:
    """The gold events of a JSONL file (one event per line, `eval/ledger_gold.jsonl`)."""
    if not path.is_file():
        raise ConfigError(f"gold ledger {path} not found; pass --ledger-gold FILE")
    events = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            events.append(event_from_json(json.loads(line)))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ConfigError(
                f"{path}:{n}: not a ledger event ({exc!r}); each line is one event as "
                "`briefqa deals --json` prints it"
            ) from exc
    return events


def score_ledger(extracted: Sequence[Event], gold: Sequence[Event]) -> LedgerScore:
    """Pair events per brief and score every field."""
    score = LedgerScore()
    by_doc: dict[str, tuple[list[Event], list[Event]]] = defaultdict(lambda: ([], []))
    for e in extracted:
        by_doc[e.doc_id][0].append(e)
    for g in gold:
        by_doc[g.doc_id][1].append(g)
    for doc_id, (mine, theirs) in sorted(by_doc.items()):
        pairs, lone_mine, lone_gold = _pair(mine, theirs)
        for e, g in pairs:
            _tally(score, "events", g.kind, right=e.kind == g.kind, found=e.kind == g.kind)
            for name in FIELDS:
                _score_field(score, name, e, g)
        for e in lone_mine:
            _tally(score, "events", e.kind, right=False, found=None)
            score.misses.append(f"{doc_id}: extra {e.kind} event")
        for g in lone_gold:
            _tally(score, "events", g.kind, right=None, found=False)
            score.misses.append(f"{doc_id}: missed {g.kind} event")
    return score


def _tally(
    score: LedgerScore, name: str, kind: str, right: bool | None, found: bool | None
) -> None:
    for tally in (score.fields[name], score.kinds[kind][name]):
        if right is not None:
            tally.extracted += 1
            tally.right += right
        if found is not None:
            tally.gold += 1
            tally.found += found


def _pair(mine: list[Event], theirs: list[Event]) -> tuple[list[tuple[Event, Event]], list, list]:
    """Greedy pairing: same kind first, then the most agreeing fields."""
    options = sorted(
        ((e.kind == g.kind, _agreement(e, g), i, j) for i, e in enumerate(mine)
         for j, g in enumerate(theirs)),
        reverse=True,
    )  # fmt: skip
    used_mine: set[int] = set()
    used_gold: set[int] = set()
    pairs = []
    for _, _, i, j in options:
        if i not in used_mine and j not in used_gold:
            used_mine.add(i)
            used_gold.add(j)
            pairs.append((mine[i], theirs[j]))
    lone_mine = [e for i, e in enumerate(mine) if i not in used_mine]
    lone_gold = [g for j, g in enumerate(theirs) if j not in used_gold]
    return pairs, lone_mine, lone_gold


def _agreement(e: Event, g: Event) -> int:
    return sum(
        1 for term in TERMS if term in e.money and term in g.money and
        same_money(e.money[term], g.money[term])
    ) + len(set(map(str.lower, e.asset)) & set(map(str.lower, g.asset)))  # fmt: skip


def _score_field(score: LedgerScore, name: str, e: Event, g: Event) -> None:
    kind = g.kind
    if name == "parties":
        mine = [(p.name, p.role) for p in e.parties]
        theirs = [(p.name, p.role) for p in g.parties]
        for n, r in mine:
            ok = any(same_name(n, gn) and r == gr for gn, gr in theirs)
            _tally(score, name, kind, right=ok, found=None)
            if not ok:
                score.misses.append(f"{e.doc_id}: party {n} ({r}) not in gold")
        for gn, gr in theirs:
            _tally(score, name, kind, right=None, found=any(
                same_name(n, gn) and r == gr for n, r in mine))  # fmt: skip
        return
    if name == "asset":
        for a in e.asset:
            _tally(score, name, kind, right=any(same_name(a, b) for b in g.asset), found=None)
        for b in g.asset:
            _tally(score, name, kind, right=None, found=any(same_name(a, b) for a in e.asset))
        return
    mine_v, gold_v = _value(e, name), _value(g, name)
    if mine_v is None and gold_v is None:
        return
    ok = mine_v is not None and gold_v is not None and _same(name, mine_v, gold_v)
    _tally(score, name, kind, right=ok if mine_v is not None else None,
           found=ok if gold_v is not None else None)  # fmt: skip
    if not ok:
        score.misses.append(f"{e.doc_id}: {name} extracted {_show(mine_v)}, gold {_show(gold_v)}")


def _value(e: Event, name: str) -> Any:
    if name in TERMS:
        return e.money.get(name)
    value = getattr(e, name)
    return value or None


def _same(name: str, a: Any, b: Any) -> bool:
    if name in TERMS:
        return same_money(a, b)
    if name == "date":
        return str(a).startswith(str(b)) or str(b).startswith(str(a))
    if name == "kind":
        return bool(a == b)
    return same_text(str(a), str(b))


def _show(value: Any) -> str:
    return repr(getattr(value, "text", value))


def same_name(a: str, b: str) -> bool:
    """Two spellings of one name: the same first word, or one inside the other."""
    a, b = a.lower().strip(), b.lower().strip()
    return bool(a and b) and (a in b or b in a or a.split()[0] == b.split()[0])


def same_text(a: str, b: str) -> bool:
    """One phrase inside the other, or half the words of the shorter shared."""
    a, b = a.lower(), b.lower()
    if a in b or b in a:
        return True
    wa, wb = set(a.replace(",", " ").split()), set(b.replace(",", " ").split())
    return len(wa & wb) >= max(1, min(len(wa), len(wb)) / 2)


def same_money(a: Any, b: Any) -> bool:
    """The same figure (amount and currency, or the same numbers in the text), or both
    undisclosed, or the same rate written in words ("mid-teens")."""
    if a.undisclosed or b.undisclosed:
        return bool(a.undisclosed and b.undisclosed)
    both = a.amount is not None and b.amount is not None and a.currency == b.currency
    if both and abs(a.amount - b.amount) <= 5e-3 * max(abs(a.amount), abs(b.amount)):
        return True
    # the figure as written, first (the bracketed conversion after it is optional)
    quantities = [find_quantities(a.text), find_quantities(b.text)]
    if not any(quantities) and a.currency == b.currency == "%":
        # no number on either side: the words of the rate itself, one inside the other
        x, y = _rate_words(a.text), _rate_words(b.text)
        return x in y or y in x
    first = [q[0] for q in quantities if q]
    return len(first) == 2 and same_quantity(first[0], first[1])


def _rate_words(text: str) -> str:
    """A rate's words, lower case, "mid-teens" as "mid teens"."""
    return " ".join(text.lower().replace("-", " ").split())


def print_summary(summary: dict[str, Any], misses: Iterable[str], show: int = 0) -> None:
    """The headline figures, the per-field table and the first `show` misses."""
    for key in ("event_recall", "event_precision", "money_precision", "money_recall",
                "party_role_precision", "party_role_recall"):  # fmt: skip
        print(f"{key:<22} {summary[key]}")
    print(f"\n{'field':<12} {'precision':>9} {'recall':>7} {'extracted':>9} {'gold':>5}")
    for name, t in summary["fields"].items():
        print(f"{name:<12} {t['precision']!s:>9} {t['recall']!s:>7} {t['extracted']:>9} "
              f"{t['gold']:>5}")  # fmt: skip
    print(f"\n{'kind':<12} {'events P':>8} {'events R':>8} {'money P':>8} {'roles P':>8}")
    for kind, t in sorted(summary["kinds"].items()):
        ev, roles = t.get("events", {}), t.get("parties", {})
        print(f"{kind:<12} {ev.get('precision')!s:>8} {ev.get('recall')!s:>8} "
              f"{t['money']['precision']!s:>8} {roles.get('precision')!s:>8}")  # fmt: skip
    for line in list(misses)[:show]:
        print(f"  {line}")
