"""Matching the vocabularies against parsed tokens, and the small text views the ledger reads."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from rag.ledger.vocab import INN_ENDINGS

Entry = str | tuple[str, ...]
Run = tuple[tuple[str, bool], ...]  # an entry's prefixes, each with whether it is a whole word


def _low(token: Any) -> str:
    return token if isinstance(token, str) else token.lower_


def word_matches(token: Any, prefix: str) -> bool:
    """A token (or its lower-case text) names `prefix`: a word prefix, or the whole word when it
    ends in `$` or is shorter than four letters ("ind" must not match "industry")."""
    low = _low(token)
    if prefix.endswith("$") or len(prefix) < 4:
        return low == prefix.rstrip("$")
    return low.startswith(prefix)


def entry_at(tokens: Sequence[Any], i: int, entry: Entry) -> bool:
    """`entry` (one prefix, or a run of prefixes) starts at token `i`."""
    run = (entry,) if isinstance(entry, str) else entry
    if i + len(run) > len(tokens):
        return False
    return all(word_matches(tokens[i + k], p) for k, p in enumerate(run))


def lower_words(tokens: Sequence[Any]) -> list[str]:
    """The tokens' lower-case texts, read once: spaCy builds a new string on every `lower_`,
    and the vocabularies are matched against every token many times over."""
    return [_low(t) for t in tokens]


@lru_cache(maxsize=256)
def compiled(entries: tuple[Entry, ...]) -> tuple[Run, ...]:
    """Each entry as its run of (text, whole-word) prefixes, worked out once per vocabulary."""
    runs = []
    for entry in entries:
        run = (entry,) if isinstance(entry, str) else entry
        runs.append(tuple((p.rstrip("$"), p.endswith("$") or len(p) < 4) for p in run))
    return tuple(runs)


def find_entry(tokens: Sequence[Any], entries: Sequence[Entry]) -> int | None:
    """Index of the first token where any of `entries` starts, or None (the hot loop of
    extraction: plain string tests, no call per token and entry)."""
    lows = lower_words(tokens)
    for i, low in enumerate(lows):
        for run in compiled(tuple(entries)):
            text, whole = run[0]
            if not (low == text if whole else low.startswith(text)):
                continue
            if len(run) == 1 or _run_at(lows, i, run):
                return i
    return None


class EntryIndex:
    """Several labelled vocabularies' entries keyed by their first word, so that a token is
    looked up once per prefix length instead of tested against every entry: matching the kind
    words against every sentence was half of extraction's own (non-spaCy) time."""

    def __init__(self, vocabularies: Sequence[tuple[str, Sequence[Entry]]]) -> None:
        self.labels = tuple(label for label, _ in vocabularies)
        self._whole: dict[str, list[tuple[int, Run]]] = {}
        self._prefix: dict[str, list[tuple[int, Run]]] = {}
        for rank, (_, entries) in enumerate(vocabularies):
            for run in compiled(tuple(entries)):
                text, whole = run[0]
                (self._whole if whole else self._prefix).setdefault(text, []).append((rank, run))
        self._sizes = sorted({len(text) for text in self._prefix})

    def ranks_at(self, lows: Sequence[str], i: int) -> set[int]:
        """The vocabularies (by their index) with an entry that starts at token `i` of the
        lower-case words `lows`."""
        low = lows[i]
        found = list(self._whole.get(low, ()))
        for size in self._sizes:
            if size > len(low):
                break
            found += self._prefix.get(low[:size], ())
        return {rank for rank, run in found if len(run) == 1 or _run_at(lows, i, run)}

    def named(self, tokens: Sequence[Any]) -> list[str]:
        """The labels of the vocabularies the tokens name anywhere, in the vocabularies' order
        (`find_entry` over each, in one pass)."""
        lows = lower_words(tokens)
        ranks = set().union(*(self.ranks_at(lows, i) for i in range(len(lows))))
        return [self.labels[r] for r in sorted(ranks)]


def _run_at(lows: Sequence[str], i: int, run: Run) -> bool:
    """The rest of a run of prefixes follows token `i` (its first word matched there)."""
    return i + len(run) <= len(lows) and all(
        lows[i + k] == t if w else lows[i + k].startswith(t)
        for k, (t, w) in enumerate(run[1:], start=1)
    )


def clean_name(text: str) -> str:
    """A name without its leading article and trailing punctuation ("the NMPA," -> "NMPA")."""
    text = text.strip().strip(",.;:()’'\"")
    for article in ("the ", "The "):
        if text.startswith(article):
            text = text[len(article) :]
    return text.strip()


def generic_name(token: Any, any_tag: bool = False) -> bool:
    """A drug's generic name by its WHO INN stem ("zanidatamab", "olverembatinib"); a word the
    tagger calls a verb is none unless `any_tag`."""
    low = token.lower_
    if low.endswith(("peptide", "nucleotide")):  # the class, not a drug's name
        return False
    named = token.is_lower and len(low) >= 7 and low.endswith(INN_ENDINGS)
    return named and (any_tag or token.pos_ != "VERB")


def hyphen_runs(sent: Any) -> list[list[Any]]:
    """Tokens joined by hyphens with no space between: spaCy splits "QL-B02C1" at its hyphen
    (a letter on each side), but it is one code."""
    runs: list[list[Any]] = []
    for t in sent:
        last = runs[-1][-1] if runs else None
        after_hyphen = last is not None and last.text == "-" and not last.whitespace_
        hyphen = t.text == "-" and last is not None and not last.whitespace_ and last.text != "-"
        if hyphen or after_hyphen:
            runs[-1].append(t)
        else:
            runs.append([t])
    trimmed = (r[:-1] if r[-1].text == "-" else r for r in runs)
    return [r for r in trimmed if r]
