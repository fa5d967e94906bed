"""Metrics over evaluation results: pure functions, unit-tested without models."""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rag.grounding import strip_markers
from rag.numbers import Quantity, find_quantities, is_supported, same_quantity, written_date


@dataclass(frozen=True)
class Result:
    """One answered gold question (a line of results.jsonl).

    `correct` is graded by `is_correct` (quantities matched in any notation), `correct_plain` by
    the development sets' substring rule `is_correct_plain`.
    """

    id: str
    question: str
    type: str
    answer: str
    abstained: bool
    cited_doc_ids: tuple[str, ...]
    retrieved_doc_ids: tuple[str, ...]
    gold_doc_ids: tuple[str, ...]
    answerable: bool
    correct: bool
    correct_plain: bool
    grounded: bool
    repaired: bool
    latency_s: float
    expected: tuple[tuple[str, ...], ...] = ()
    citations: tuple[dict[str, Any], ...] = ()
    notice: str = ""
    any_group: bool = False


#: Longest answer (characters, with its [n] markers) that counts as short.
SHORT_CHARS = 300
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3})")
# characters a variant's figures may spread beyond its own span in the answer ("from 1271 to
# 1368" for "1271–1368", "8 Feb. 2024" for "8 February 2024")
_TOGETHER_SLACK = 12


def _normal(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


def variant_in(variant: str, answer: str) -> bool:
    """Whether a gold variant appears in the answer: as text, or as the same quantities
    ("RMB 200 million" matches "RMB200m", "200 million yuan" and "RMB 200,000,000")."""
    if _normal(variant) in _normal(answer):
        return True
    wanted = find_quantities(variant)
    if not wanted:
        return False
    given = find_quantities(answer)
    if len(wanted) == 1:
        return any(same_quantity(wanted[0], g) for g in given)
    return any(_together(wanted, given[n:]) for n in range(len(given)))


def _together(wanted: Sequence[Quantity], given: Sequence[Quantity]) -> bool:
    """Whether the figures of one variant ("8 February 2024", "1271–1368") stand in the answer
    in order and together, starting at `given[0]`: not the day of one date and the year of
    another ("28 November 2023" with a "2024" in another sentence is not "28 November 2024")."""
    if not same_quantity(wanted[0], given[0]):
        return False
    last, rest = given[0], iter(given[1:])
    for w in wanted[1:]:
        found = next((g for g in rest if same_quantity(w, g)), None)
        if found is None:
            return False
        last = found
    extent = wanted[-1].end - wanted[0].start
    return last.end - given[0].start <= extent + _TOGETHER_SLACK


def is_correct(
    answer: str, abstained: bool, groups: Sequence[Sequence[str]], any_group: bool = False
) -> bool:
    """Right when every group (with `any_group`, one group) has a variant in the answer, as text
    or as the same quantities; for unanswerable gold, right only when the system abstained."""
    if not groups:
        return abstained
    if abstained:
        return False
    hits = (any(variant_in(v, answer) for v in g) for g in groups)
    return any(hits) if any_group else all(hits)


def plain_normal(text: str) -> str:
    """The development sets' grading normalisation: lower-case, `-` as a space, no thousands
    commas (`1,025` -> `1025`), whitespace runs as one space."""
    text = _THOUSANDS.sub("", text.lower().replace("-", " "))
    return " ".join(text.split())


def is_correct_plain(
    answer: str, abstained: bool, groups: Sequence[Sequence[str]], any_group: bool = False
) -> bool:
    """The development sets' plain rule: every group (with `any_group`, one group) has a variant
    that is a substring of the answer, both normalised by `plain_normal`; no number matching.
    For unanswerable gold, right only when the system abstained."""
    if not groups:
        return abstained
    if abstained:
        return False
    text = plain_normal(answer)
    hits = (any(plain_normal(v) in text for v in g) for g in groups)
    return any(hits) if any_group else all(hits)


def is_short(answer: str) -> bool:
    """Whether the answer, citation markers included, is at most `SHORT_CHARS` characters."""
    return len(answer) <= SHORT_CHARS


def is_grounded(answer: str, cited_texts: Iterable[str], cited_dates: Iterable[str] = ()) -> bool:
    """Every quantity the answer states stands in a passage it cites, in the date of a brief it
    cites (an ISO date, shown on the citation), or is the total of two or more such quantities
    of its unit that the answer lists beside it (a ledger sum shows its addends)."""
    texts = [*cited_texts, *(written_date(d) for d in cited_dates if d)]
    evidence = [q for text in texts for q in find_quantities(text)]
    stated = find_quantities(strip_markers(answer))
    held = [q for q in stated if is_supported(q, evidence)]
    return all(q in held or _is_total(q, held) for q in stated)


def _is_total(quantity: Quantity, held: Sequence[Quantity]) -> bool:
    if quantity.unit in ("", "%"):
        return False  # only money adds up: a year or a rate is never the sum of others
    parts = [q.value for q in held if q.unit == quantity.unit and q is not quantity]
    total = sum(parts)
    return len(parts) >= 2 and abs(total - quantity.value) <= 1e-6 * max(total, 1.0)


def reciprocal_rank(retrieved: Sequence[str], gold: Sequence[str]) -> float:
    """1/rank of the first gold document retrieved (0 when none is)."""
    for rank, doc in enumerate(retrieved, start=1):
        if doc in gold:
            return 1.0 / rank
    return 0.0


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100), linear interpolation; 0 for no values."""
    if not values:
        return 0.0
    if len(values) == 1:
        return float(values[0])
    return float(statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1])


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def summarize(results: Sequence[Result]) -> dict[str, Any]:
    """The headline metrics for a set of results."""
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    with_gold_docs = [r for r in answerable if r.gold_doc_ids]
    answered = [r for r in results if not r.abstained]
    abstained = [r for r in results if r.abstained]
    # Citations are judged only where the gold names the documents that answer: an
    # unanswerable near-miss's doc_ids name the brief that tempts, not one that answers.
    cited_pairs = [(d, r) for r in with_gold_docs if not r.abstained for d in set(r.cited_doc_ids)]
    latencies = [r.latency_s for r in results]
    # Abstentions are left out of the lengths: they are one fixed sentence and would hide how
    # long the real answers run.
    lengths = [float(len(r.answer)) for r in answered]
    return {
        "questions": len(results),
        "accuracy": _mean([float(r.correct) for r in results]),
        "answerable_accuracy": _mean([float(r.correct) for r in answerable]),
        "plain_accuracy": _mean([float(r.correct_plain) for r in results]),
        "short_and_correct": _mean([float(r.correct and is_short(r.answer)) for r in results]),
        "short_and_correct_plain": _mean(
            [float(r.correct_plain and is_short(r.answer)) for r in results]
        ),
        "hit@1": _mean(
            [
                float(bool(set(r.retrieved_doc_ids[:1]) & set(r.gold_doc_ids)))
                for r in with_gold_docs
            ]
        ),  # fmt: skip
        "hit@5": _mean(
            [
                float(bool(set(r.retrieved_doc_ids[:5]) & set(r.gold_doc_ids)))
                for r in with_gold_docs
            ]
        ),  # fmt: skip
        "mrr": _mean(
            [reciprocal_rank(r.retrieved_doc_ids, r.gold_doc_ids) for r in with_gold_docs]
        ),
        "citation_precision": _mean(
            [float(d in r.gold_doc_ids) for d, r in cited_pairs]
        ),  # fmt: skip
        "citation_recall": _mean(
            [
                len(set(r.cited_doc_ids) & set(r.gold_doc_ids)) / len(set(r.gold_doc_ids))
                for r in with_gold_docs
                if not r.abstained
            ]
        ),  # fmt: skip
        "grounded_rate": _mean([float(r.grounded) for r in answered]),
        "repaired_rate": _mean([float(r.repaired) for r in answered]),
        "abstention_precision": _mean([float(not r.answerable) for r in abstained]),
        "abstention_recall": _mean([float(r.abstained) for r in unanswerable]),
        "false_abstention_rate": _mean([float(r.abstained) for r in answerable]),
        "latency_p50_s": round(percentile(latencies, 50), 3),
        "latency_p95_s": round(percentile(latencies, 95), 3),
        "answer_chars_p50": round(percentile(lengths, 50), 1) if lengths else None,
        "answer_chars_p90": round(percentile(lengths, 90), 1) if lengths else None,
    }


def summarize_by_type(results: Sequence[Result]) -> dict[str, dict[str, Any]]:
    """`summarize` per question type."""
    types = sorted({r.type for r in results})
    return {t: summarize([r for r in results if r.type == t]) for t in types}


def compare(old: dict[str, Any], new: dict[str, Any]) -> dict[str, tuple[Any, Any, float | None]]:
    """Per metric: (old, new, new - old) for the numeric ones."""
    out = {}
    for key in new:
        a, b = old.get(key), new.get(key)
        delta = b - a if isinstance(a, int | float) and isinstance(b, int | float) else None
        out[key] = (a, b, delta)
    return out
