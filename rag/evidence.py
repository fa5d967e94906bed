"""Evidence selection: the passage sentences that answer a question, found without an LLM.

Every sentence of the candidate passages is scored by what it shares with the question, each
shared term weighted by how rare it is among the candidates. Names the question is about
("CARsgen", "CT053") stand in most candidate sentences and so weigh little; the words saying what
is asked ("upfront", "royalty", "close") stand in few and decide. Dense similarity adds the
paraphrases that share no word. Further sentences are added only while they hold question terms
the earlier picks left out: the second brief of a comparison, the rest of a list.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rag.lexical import lexical_tokens
from rag.numbers import find_amounts, find_dates
from rag.sentences import content_words, split_sentences

#: Semantic similarity of a question to each of some sentences (cosine, -1..1).
Similarity = Callable[[str, Sequence[str]], Sequence[float]]

_QUANTITATIVE = re.compile(
    r"\b(when|how (much|many|long|large|big|high|often)|what (year|date|month|day|percentage|share|"
    r"price|proportion)|upfront|milestone|payment|price|raised?|valu(e|ed|ation)|rate|ratio|orr|"
    r"pfs|percent|royalt(y|ies)|size|enrol+|premium|proceeds|dose)",
    re.IGNORECASE,
)
# "When ...?" asks for a date; "... pay when the license was signed?" asks for a sum
_WHEN = re.compile(
    r"^\W*(?:(?:and|so|but|by|since|until)\s+)?when\b|\b(?:and|or) when\s*\?|"
    r"\bwhat (?:year|date|month|day)\b|"
    r"\b(?:by|in|on) (?:which|what) (?:date|day|month|year|quarter)\b",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? (\d{1,2}, )?\d{4}\b|"
    r"\b(q[1-4]|(first|second|third|fourth) quarter|(first|second) half|end) (of )?\d{4}\b|"
    r"\bin \d{4}\b",
    re.IGNORECASE,
)
_WANTS_NAME = re.compile(
    r"^\W*(?:\w+\W+){0,3}?(?:who|whom|which)\b|\bname[ds]?\b|\bcalled\b", re.IGNORECASE
)
_NAMES = re.compile(r"\b(?:[A-Z][a-zA-Z]+(?:-[A-Za-z0-9]+)*|[A-Za-z]+-\d+[A-Za-z0-9-]*)\b")
_NAME_BONUS = 0.05  # per name the question does not already hold, for a question asking one
_HEADLINE_PENALTY = 0.5  # a line without closing punctuation: a headline sums up, it is no answer
# A sentence of the kind asked for (a sum, a date, a share, a span of time). It outweighs most
# differences in wording: a sentence that states no figure cannot say how much, however many of
# the question's words it shares (a brief's lead shares them all). 0.7, 1.0 and 2.0 give the
# same answers on the gold set; 0.3 loses one of them, 0.15 seven.
_TYPE_BONUS = 0.7
_RANK_PENALTY = 0.02  # per rank of the passage: better-ranked passages win near-ties
_CONTEXT_WEIGHT = 0.5  # a follow-up's earlier turn counts, but less than what is asked now
_TOPIC_WEIGHT = 0.3  # a question word that is one of its names ("CARsgen"): picks the brief
_ASKED_WEIGHT = 2.0  # the words naming what is asked ("upfront payment") over those locating it
_ASKED = re.compile(
    r"\b(?:what|which|how)\s+(?:(?:is|are|was|were|did|does|do|has|have|had|will|much|many)\s+)*"
    r"(?:(?:the|its|their|a|an)\s+)?((?:[\w()'’-]+\s+){1,4}?)(?:of|for|in|on|under|at|from|to|"
    r"with|by|between|did|does|do|is|are|was|were|has|have|had|will|would|can|could|should|that)\b",
    re.IGNORECASE,
)
_MIN_GAIN = 0.2  # share of the question a further sentence must add to be worth its length
_COMPARISON = re.compile(
    r"\bbetween\b.+\band\b|\bcompar|\bversus\b|\bvs\b|\bor\b[^?]*\?|\beach\b|\bboth\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Pick:
    """One chosen sentence: the passage it is in (numbered from 1), its span there, its text."""

    passage: int
    span: tuple[int, int]
    text: str


def asks_for_many(question: str) -> bool:
    """Whether the question asks for several things by a plural ("Which companies ...")."""
    return bool(_PLURAL_ASK.search(question))


def is_comparison(question: str) -> bool:
    """Whether the question compares briefs ("A or B?", "between X and Y", "each")."""
    return bool(_COMPARISON.search(question))


def wants_figure(question: str) -> bool:
    """Whether the question asks for an amount, count, rate or date."""
    return bool(_QUANTITATIVE.search(question))


def select_evidence(
    question: str,
    passages: Sequence[str],
    similarity: Similarity | None = None,
    context: str = "",
    limit: int = 2,
    titles: Sequence[str] = (),
    topic: frozenset[str] = frozenset(),
    prior: Sequence[float] = (),
    spread: bool = False,
    must: frozenset[str] = frozenset(),
) -> list[Pick]:
    """The sentences that best answer `question`, best first.

    `context` is an earlier turn of a follow-up; `titles` are the passages' titles and `topic` the
    question's names (stemmed): the words a brief is about pick the brief, not the sentence.
    `prior` adds a per-passage score (a brief dated as the question says). With `spread`, further
    sentences may come from other briefs (a list gathered across briefs), else only from the
    first sentence's brief, or from another one for a comparison; each then holds all of `must`.
    """
    candidates = _sentences(passages)
    if not candidates:
        return []
    texts = [text for _, _, text in candidates]
    bags = [set(lexical_tokens(text)) for text in texts]
    heads = [set(lexical_tokens(titles[n - 1])) if titles else set() for n, _, _ in candidates]
    topic = topic | _dates(question + " " + context) | _locators(question)
    # "Besides X, what ...?": X is known already; a sentence about it is no answer
    known, question = _besides(question)
    weights = {t: w for t, w in _term_weights(question, context, bags).items() if t not in known}
    total = sum(weights.values()) or 1.0
    # The names a question is about make every sentence of its brief look alike to the
    # embedder; what is asked is compared without them.
    dense = [0.0] * len(texts)
    if similarity:
        full, bare = similarity(question, texts), similarity(_without_names(question), texts)
        dense = [(a + b) / 2 for a, b in zip(full, bare, strict=True)]
    # "What is it after the amendment?" asks for the kind of thing the earlier turn asked for
    kind = question if asked_phrase(question) or wants_figure(question) else f"{question} {context}"
    base = [
        sum(w * (_TOPIC_WEIGHT if t in topic else 1.0)
            for t, w in weights.items() if t in bags[i]) / total
        + dense[i] + _bonus(kind, texts[i]) - _RANK_PENALTY * (candidates[i][0] - 1)
        + (prior[candidates[i][0] - 1] if prior else 0.0)
        for i in range(len(candidates))
    ]  # fmt: skip
    picks: list[Pick] = []
    covered: set[str] = set()
    compare = is_comparison(question) and bool(titles)
    asked = set(lexical_tokens(asked_phrase(question))) - topic
    if compare and any(asked & bag for bag in bags):
        # a comparison quotes the thing compared from each brief, not where each brief says it
        base = [b if asked & bags[i] else -math.inf for i, b in enumerate(base)]
    for _ in range(limit):
        best, best_score = -1, -math.inf
        for i, (n, span, _text) in enumerate(candidates):
            score = base[i]
            if picks and compare and len(picks) == 1:
                # a comparison: the same thing asked, from another brief
                if titles[n - 1] == titles[picks[0].passage - 1]:
                    continue
            elif picks and spread and titles[n - 1] not in {titles[p.passage - 1] for p in picks}:
                # a list gathered across briefs: another brief's own item, holding what is asked
                # and every name the question requires ("Tidewell")
                if not (asked & bags[i]) or not must <= bags[i]:
                    continue
            elif picks:  # a further sentence must bring what the question asks and no pick holds
                if not spread and titles and titles[n - 1] != titles[picks[0].passage - 1]:
                    continue  # ... from the same brief: one question, one subject
                if any(p.span == span and p.passage == n for p in picks):
                    continue
                held = (bags[i] | heads[i]) - covered
                gain = sum(w for t, w in weights.items() if t in held) / total
                if gain < _MIN_GAIN:
                    continue
                score += gain
            if score > best_score:
                best, best_score = i, score
        if best < 0 or (not picks and best_score <= 0):
            break
        n, span, text = candidates[best]
        picks.append(Pick(n, span, text))
        covered |= bags[best] | heads[best]
    return picks


def _sentences(passages: Sequence[str]) -> list[tuple[int, tuple[int, int], str]]:
    """(passage number, span, text) of every sentence; overlapping chunks repeat sentences, and
    only the first (best-ranked) copy is kept."""
    seen: set[str] = set()
    out = []
    for n, passage in enumerate(passages, start=1):
        for a, b in split_sentences(passage):
            text = passage[a:b]
            key = " ".join(text.split())
            if key in seen or not content_words(text):
                continue
            seen.add(key)
            out.append((n, (a, b), text))
    return out


_MONTHS_YEARS = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|(?:19|20)\d\d)\b",
    re.IGNORECASE,
)


def asked_phrase(question: str) -> str:
    """The words naming what is asked: "upfront payment" in "What upfront payment will CARsgen
    receive?", "median PFS" in "How did the reported median PFS of X change ...?"; empty for
    questions without one ("When ...?")."""
    match = _ASKED.search(question)
    if not match:
        return ""
    # "reported" in "the reported median PFS" qualifies what is asked; it is not what is asked
    return " ".join(w for w in match.group(1).split() if not w.lower().endswith("ed"))


def dated_as_asked(question: str, date: str) -> bool:
    """Whether a brief's ISO date is one the question names ("the May 2022 license", "its 2025
    approval"): month and year where it gives both, else the year."""
    if len(date) < 7 or not date[:4].isdigit():
        return False
    year, month = int(date[:4]), int(date[5:7]) if date[5:7].isdigit() else 0
    months, years = _named_dates(question)
    return (month, year) in months or year in years


@lru_cache(maxsize=256)
def _named_dates(question: str) -> tuple[frozenset[tuple[int, int]], frozenset[int]]:
    """The (month, year) pairs a question names, and its bare years (parsed once per question,
    not once per passage)."""
    months = frozenset((m, y) for m, _d, y in find_dates(question) if y)
    years = frozenset(int(y) for y in _YEAR.findall(_DATE.sub(" ", question)))
    return months, years


_PLURAL_ASK = re.compile(
    r"\b(?:which|what)\s+(?:[\w-]+\s+){0,2}?(?!(?:is|was|has|does|this|its)\b)"
    r"(?-i:[a-z]+(?:ies|[^s]s))\b",  # a lower-case plural: "PFS" is no plural
    re.IGNORECASE,
)
_WANTS_MONEY = re.compile(
    r"\b(cash|pa(?:y|ys|ying|id)|payments?|upfront|milestones?|prices?|raised?|raising|fees?|"
    r"worth|valu(?:e|ed|ation)|proceeds|sales|revenues?|funding|financing|invest(?:ed|ment)?|"
    r"costs?)\b",
    re.IGNORECASE,
)
_WANTS_SHARE = re.compile(
    r"\b((?<!per )share|percentage|proportion|percent|rates?|orr|how much (body )?weight)\b",
    re.IGNORECASE,
)
_HOW_LONG = re.compile(r"\bhow long\b|\bwhat duration\b", re.IGNORECASE)
_DURATION = re.compile(
    r"\b\d+(?:\.\d+)?(?:\s|-)(?:working\s|calendar\s|business\s)?(?:day|week|month|year)s?\b",
    re.IGNORECASE,
)
_HOW_OFTEN = re.compile(r"\bhow often\b|\bhow frequently\b", re.IGNORECASE)
_FREQUENCY = re.compile(
    r"\b(once|twice|daily|weekly|monthly|yearly|annually|every \w+|times a \w+)\b", re.IGNORECASE
)
_BETWEEN = re.compile(r"\b(?:between|versus|vs\.?)\s", re.IGNORECASE)
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")


_BESIDES = re.compile(
    r"^\W*(?:besides|apart from|aside from|other than|in addition to)\s+([^,?]+),\s*",
    re.IGNORECASE,
)


def _besides(question: str) -> tuple[frozenset[str], str]:
    """The terms of a leading "Besides X," clause, and the question without it. The clause says
    what the asker knows already ("Besides multiple myeloma, which diseases ...?")."""
    match = _BESIDES.match(question)
    if not match:
        return frozenset(), question
    rest = question[match.end() :]
    known = frozenset(lexical_tokens(match.group(1))) - set(lexical_tokens(rest))
    return known, rest[:1].upper() + rest[1:]


def _locators(question: str) -> frozenset[str]:
    """In "How did X change between the May 2022 license and the 2023 amendment?", the words
    after "between" say where to look, not what to find."""
    match = _BETWEEN.search(question)
    if not match:
        return frozenset()
    return frozenset(lexical_tokens(question[match.end() :])) - set(
        lexical_tokens(asked_phrase(question))
    )


def _dates(text: str) -> frozenset[str]:
    """Month and year words: in a question they locate the brief ("the October 2022 readout"),
    they are not what is asked."""
    return frozenset(t for m in _MONTHS_YEARS.findall(text) for t in lexical_tokens(m))


def _term_weights(question: str, context: str, bags: Sequence[set[str]]) -> dict[str, float]:
    """Each question term weighted by its rarity among the candidate sentences."""
    count = len(bags)

    def idf(term: str) -> float:
        df = sum(term in bag for bag in bags)
        return math.log((count + 1) / (df + 0.5)) if df else 0.0

    asked = set(lexical_tokens(asked_phrase(question)))
    weights = {t: idf(t) * (_ASKED_WEIGHT if t in asked else 1.0) for t in lexical_tokens(question)}
    # A follow-up that names no thing of its own ("What is it after the amendment?") still asks
    # for what the earlier turn asked for.
    earlier = set() if asked else set(lexical_tokens(asked_phrase(context)))
    for term in lexical_tokens(context):
        weights.setdefault(term, (1.0 if term in earlier else _CONTEXT_WEIGHT) * idf(term))
    return {t: w for t, w in weights.items() if w > 0}


def _without_names(question: str) -> str:
    """The question without its names and codes ("What upfront is paying for the rights?")."""
    head, _, rest = question.partition(" ")
    stripped = _NAMES.sub(" ", rest)
    return " ".join(f"{head} {stripped}".split()) if stripped.strip() else question


def _new_names(question: str, text: str) -> int:
    """How many names (capitalised words, codes) the sentence has that the question has not."""
    asked = {w.lower() for w in _NAMES.findall(question)}
    return len({w.lower() for w in _NAMES.findall(text)} - asked)


def _bonus(question: str, text: str) -> float:
    score = 0.0
    if _WANTS_NAME.search(question):  # who, which, what is it called: the answer is a name
        score += min(_NAME_BONUS * _new_names(question, text), 3 * _NAME_BONUS)
    if text.rstrip()[-1:] not in '.!?"”)':
        score -= _HEADLINE_PENALTY
    if _WHEN.search(question):
        score += _TYPE_BONUS if _DATE.search(text) else 0.0
    elif _HOW_LONG.search(question):  # a span of time: days, weeks, months
        score += _TYPE_BONUS if _DURATION.search(text) else 0.0
    elif _WANTS_SHARE.search(question):  # a share, rate or proportion: a percentage
        score += _TYPE_BONUS if any(q.unit == "%" for q in find_amounts(text)) else 0.0
    elif wants_figure(question):  # a figure, not the date it was said; a sum has a currency
        money = bool(_WANTS_MONEY.search(question))
        amounts = [q for q in find_amounts(text) if not money or q.unit not in ("", "%")]
        score += _TYPE_BONUS if amounts else 0.0
    if _HOW_OFTEN.search(question) and _FREQUENCY.search(text):
        score += _TYPE_BONUS
    return score
