"""A question that compares one thing across occasions, read once per occasion's brief.

"How did the median PFS change between the October 2022 readout and the May 2024 approval?"
asks one thing (the median PFS) of two briefs. Read as a whole, its occasion words ("October
2022", "approval") pull the reading toward sentences that mention the other brief's date, and
the thing asked is found nowhere. So the comparison is split: the occasions (the conjuncts
"between" joins, or the two sides of "versus") each pick the brief they describe, by its words,
those of its title and date first, and the question without them is read in that brief.
A question whose occasions do not pick distinct briefs ("the treaty between Britain and
France") is no such comparison and is read as it stands.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date as Date
from typing import Any

from rag.lexical import lexical_tokens
from rag.reading.nlp import parse
from rag.reading.question import CorpusView, Question, analyze, with_written_out
from rag.reading.subquestions import MAX_SUBQUESTIONS, members, own, versus
from rag.types import Passage


@dataclass(frozen=True)
class Comparison:
    """A question split into what it asks and the occasions it asks it of."""

    asked: str  # the question less its occasions ("How did the median PFS change?")
    occasions: tuple[str, ...]  # "the October 2022 readout", "the May 2024 approval"


def prepared(
    q: Question,
    passages: Sequence[Passage],
    corpus: CorpusView,
    doc_terms: Callable[[str], frozenset[str]],
    context: str = "",
) -> Question:
    """The analysed question as it is read against these passages: its acronyms with the words
    they stand for there, and, for one comparing a thing across occasions whose briefs are
    among the passages, that thing asked alone, with the occasions' briefs as its asks."""
    texts = [p.text for p in passages]
    q = with_written_out(q, texts, corpus)
    compared = comparison(q.text)
    if compared is None:
        return q
    briefs = occasion_briefs(
        compared.occasions, passages, corpus.doc_freq, corpus.documents, doc_terms
    )
    if briefs is None:
        return q
    asked = with_written_out(analyze(compared.asked, corpus, context), texts, corpus)
    return replace(asked, parts=len(briefs), plural=True, briefs=briefs)


def comparison(question: str) -> Comparison | None:
    """The question's compared occasions: the conjuncts "between" governs, or the two sides of
    "A versus B"; None when it compares nothing."""
    doc = parse(question)
    for token in doc:
        if token.lower_ == "between" and token.dep_ == "prep":
            objects = [c for c in token.children if c.dep_ == "pobj"]
            group = members(objects[0]) if objects else []
            if 1 < len(group) <= MAX_SUBQUESTIONS:
                sides = [own(m) for m in group]
                return _split(doc, {t.i for t in token.subtree}, sides)
    found = versus(doc)
    if found is None:
        return None
    against, compared, other = found
    first = compared - against
    return _split(doc, compared, [first, other])


def _split(doc: Any, dropped: set[int], sides: list[set[int]]) -> Comparison | None:
    asked = "".join(t.text_with_ws for t in doc if t.i not in dropped).strip()
    texts = tuple("".join(doc[i].text_with_ws for i in sorted(side)).strip() for side in sides)
    if not lexical_tokens(asked) or not all(map(lexical_tokens, texts)):
        return None
    return Comparison(asked, texts)


def occasion_briefs(
    occasions: Sequence[str],
    passages: Sequence[Passage],
    doc_freq: Callable[[str], int],
    documents: int,
    doc_terms: Callable[[str], frozenset[str]],
) -> tuple[str, ...] | None:
    """The brief each occasion describes, among the passages' briefs: the one sharing most of
    its words, weighed by rarity, those of its title and date twice (ties go to the better
    ranked brief). None unless every occasion picks a brief of its own."""
    docs = list(dict.fromkeys(p.doc_id for p in passages))
    heading: dict[str, frozenset[str]] = {}
    for p in passages:
        heading.setdefault(p.doc_id, frozenset(lexical_tokens(f"{p.title} {_date_words(p.date)}")))

    def weight(term: str) -> float:
        return math.log((documents + 1) / (doc_freq(term) + 0.5))

    def shared(terms: set[str], held: frozenset[str]) -> float:
        return sum(weight(t) for t in terms & held)

    picked = []
    for occasion in occasions:
        terms = set(lexical_tokens(occasion))
        # a word of the title or date counts twice: it names the brief, not just its matter
        scores = [
            (shared(terms, heading[d]) + shared(terms, doc_terms(d)), -n)
            for n, d in enumerate(docs)
        ]
        best = max(scores, default=(0.0, 0))
        if best[0] <= 0:
            return None
        picked.append(docs[-best[1]])
    return tuple(picked) if len(set(picked)) == len(picked) else None


def _date_words(iso: str) -> str:
    """A brief's date as the words a question names it by ("June 2021")."""
    try:
        return Date.fromisoformat(iso[:10]).strftime("%B %Y")
    except ValueError:
        return ""
