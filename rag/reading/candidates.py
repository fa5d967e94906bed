"""Candidate sentences and the features that score them and their spans.

Pure functions over spaCy documents, the analysed question and what the index knows: no weights
here (`model` holds the fitted ones), only measurements, each in 0..1 or a small range.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rag.lexical import lexical_tokens
from rag.reading.question import Question, how_many
from rag.reading.spans import SpanCandidate, sentence_spans, tree_distance
from rag.reading.tables import layout

SENTENCE_FEATURES = (
    "terms", "asked", "subject_sent", "subject_doc", "context", "dense", "type", "rank",
    "first", "headline", "length", "dated", "local", "bare_dense", "type_asked", "subject_par",
    # each against the best candidate of the same question. The ranker (eval/fitting.py) sees
    # no more in them than in their features, as their differences within a question match;
    # they shift the probability by how strong the question's best candidate is. Refitted
    # without them: gold -1, briefs2 +1, squad2-sample -4 questions, so they stay
    "terms_gap", "local_gap", "dense_gap", "bare_gap",
)  # fmt: skip
_GAPS = ("terms", "local", "dense", "bare_dense")
SPAN_FEATURES = (
    "sentence", "type", "in_question", "tree", "linear", "entity", "length", "named", "leading",
    "sentence_rank",
)  # fmt: skip


@dataclass(frozen=True)
class Sentence:
    """A sentence of a candidate passage: its passage (0-based), character span there, text,
    spaCy span, index terms and candidate answer spans."""

    passage: int
    span: tuple[int, int]
    text: str
    sent: Any
    terms: frozenset[str]
    spans: tuple[SpanCandidate, ...]
    first: bool  # the first sentence of its document (a brief's lead)
    paragraph: frozenset[str]  # index terms of its paragraph (blank-line block)


def sentences_of(docs: Sequence[Any], starts: Sequence[int]) -> list[Sentence]:
    """Every sentence of the parsed passages (`starts`: each chunk's offset in its document);
    overlapping chunks repeat sentences and only the first (best-ranked) copy is kept."""
    seen: set[str] = set()
    out = []
    for n, doc in enumerate(docs):
        paragraphs = _paragraphs(doc.text)
        # the brief's lead is its first sentence of prose (a headline above it is its own)
        lead_due = starts[n] == 0
        tables = layout(doc.text)
        for sent in doc.sents:
            text = sent.text.strip()
            key = " ".join(text.split())
            terms = frozenset(lexical_tokens(text))
            lead = len(sent.text) - len(sent.text.lstrip())
            a = sent.start_char + lead
            if not terms or tables.header_at(a):
                continue  # a table's header states nothing (`tables`)
            first = lead_due and not is_headline(text)
            lead_due = lead_due and not first
            if key in seen:
                continue
            seen.add(key)
            out.append(
                Sentence(n, (a, a + len(text)), text, sent, terms, tuple(sentence_spans(sent)),
                         first, _paragraph_of(paragraphs, a))
            )  # fmt: skip
    return out


@lru_cache(maxsize=20_000)
def _paragraphs(text: str) -> tuple[tuple[int, frozenset[str]], ...]:
    """Each blank-line block of a passage: where it starts, and its index terms (cached like the
    parse: the same passages come back question after question)."""
    out, start = [], 0
    for block in text.split("\n\n"):
        out.append((start, frozenset(lexical_tokens(block))))
        start += len(block) + 2
    return tuple(out)


def _paragraph_of(paragraphs: Sequence[tuple[int, frozenset[str]]], at: int) -> frozenset[str]:
    terms: frozenset[str] = frozenset()
    for start, block in paragraphs:
        if start > at:
            break
        terms = block
    return terms


def idf_weights(question: Question, doc_freq: Callable[[str], int], documents: int) -> dict:
    """Each question term (subjects and "Besides" terms left out) weighted by its rarity in the
    corpus: the words saying what is asked decide, the names pick the brief."""
    weights = {}
    for term in dict.fromkeys(question.terms):
        if term in question.known or term in question.subjects:
            continue
        weights[term] = math.log((documents + 1) / (doc_freq(term) + 0.5))
    return {t: w for t, w in weights.items() if w > 0}


def sentence_features(
    question: Question,
    sentence: Sentence,
    weights: dict[str, float],
    type_score: Callable[[str], float],
    dense: tuple[float, float],
    rank: int,
    doc_terms: frozenset[str],
    dated: bool,
    local: dict[str, float],
) -> list[float]:
    """The measurements of one sentence, in `SENTENCE_FEATURES` order but for the gaps
    (`add_gaps`). `dense` is the similarity to the question with and without its names;
    `local` weighs the question's terms by their rarity among the candidate sentences."""
    total = sum(weights.values()) or 1.0
    terms = sum(w for t, w in weights.items() if t in sentence.terms) / total
    local_total = sum(local.values()) or 1.0
    local_share = sum(w for t, w in local.items() if t in sentence.terms) / local_total
    asked = _share(question.asked, sentence.terms, empty=0.5)
    subject_sent = _share(question.subjects, sentence.terms, empty=0.5)
    subject_doc = _share(question.subjects, doc_terms, empty=1.0)
    context = _share(frozenset(question.context), sentence.terms, empty=0.0)
    asked_terms = set(question.terms)
    types = [
        type_score(s.label) for s in sentence.spans
        if not set(lexical_tokens(s.text)) <= asked_terms
    ]  # fmt: skip
    headline = float(is_headline(sentence.text))
    length = math.log1p(len(sentence.sent)) / 4
    type_score_ = max(types, default=0.0)
    return [
        terms, asked, subject_sent, subject_doc, context, dense[0], type_score_,
        1.0 / (1 + rank), float(sentence.first), headline, length, float(dated), local_share,
        dense[1], type_score_ * asked,
        # a sentence's subject is often named earlier in its paragraph, not in the sentence
        _share(question.subjects, sentence.paragraph | sentence.terms, empty=1.0),
    ]  # fmt: skip


def local_weights(question: Question, sentences: Sequence[Sentence]) -> dict[str, float]:
    """The question's terms weighted by rarity among the candidate sentences: the names a
    question is about stand in most of them and weigh little, the words saying what is asked
    stand in few and decide."""
    count = len(sentences)
    out = {}
    for term in dict.fromkeys(question.terms + question.context):
        if term in question.known:
            continue
        df = sum(term in s.terms for s in sentences)
        if df:
            out[term] = math.log((count + 1) / (df + 0.5)) * (
                1.0 if term in question.terms else 0.5
            )
    return out


def add_gaps(rows: list[list[float]]) -> None:
    """Append to each row its distance to the question's best candidate, per ranked feature."""
    index = [SENTENCE_FEATURES.index(name) for name in _GAPS]
    best = [max(row[i] for row in rows) for i in index]
    for row in rows:
        row.extend(row[i] - b for i, b in zip(index, best, strict=True))


def span_features(
    question: Question,
    sentence: Sentence,
    span: SpanCandidate,
    sentence_score: float,
    type_score: Callable[[str], float],
    leading: bool,
    rank: int,
) -> list[float]:
    """The measurements of one candidate span, in `SPAN_FEATURES` order (`leading`: the
    sentence's first candidate, often what the sentence is about rather than what it says)."""
    doc = sentence.sent.doc
    stems = lexical_tokens(span.text)
    wanted = set(question.terms) - question.subjects
    in_question = sum(s in question.terms for s in stems) / len(stems) if stems else 1.0
    anchors = [
        t.i for t in sentence.sent
        if not (span.tokens[0] <= t.i < span.tokens[1]) and set(lexical_tokens(t.text)) & wanted
    ]  # fmt: skip
    tree = min((tree_distance(doc, span.root, i) for i in anchors), default=12)
    linear = min((abs(span.root - i) for i in anchors), default=40)
    named = any(doc[i].pos_ == "PROPN" or doc[i].text[:1].isupper()
                for i in range(*span.tokens))  # fmt: skip
    return [
        sentence_score, type_score(span.label), in_question, 1.0 / (1 + tree),
        1.0 / (1 + linear), float(span.label != "NP"),
        math.log1p(span.tokens[1] - span.tokens[0]) / 3, float(named), float(leading),
        1.0 / (1 + rank),
    ]  # fmt: skip


# entity kinds a question pins down and a sentence can contradict; names of companies and people
# are left out: a sentence often calls its subject "the company" or "he"
_PINNED = {"DATE": "time", "TIME": "time", "GPE": "place", "LOC": "place", "NORP": "place",
           "CARDINAL": "count", "QUANTITY": "count", "ORDINAL": "ordinal", "PERCENT": "percent",
           "MONEY": "money", "EVENT": "event"}  # fmt: skip


def conflict(question_doc: Any, sentence: Sentence) -> float:
    """1 when the question pins a date, place, count or amount that the sentence does not hold
    while it holds another of the same kind ("the trial started in Slovenia" against "in
    Slovakia"; "14 March" against "14 October"): the sentence is about another case. A
    question pinning two of a kind ("between the October 2022 readout and the May 2024
    approval") asks across both: a sentence holding either is no other case."""
    pinned_by_kind: dict[str, list[frozenset[str]]] = {}
    for kind, wanted, _text in pins(question_doc, sentence):
        pinned_by_kind.setdefault(kind, []).append(wanted)
    return float(any(
        not any(w <= sentence.terms for w in values) for values in pinned_by_kind.values()
    ))  # fmt: skip


def pins(
    question_doc: Any, sentence: Sentence, header: Any = None, dated: bool = False
) -> list[tuple[str, frozenset[str], str]]:
    """The values the question pins down of a kind the sentence also states, each as (kind,
    its index terms, its text): "in October 2022" against a sentence holding a date. A table
    row states what its header does (`header`, parsed): its cells are that year's figures;
    the sentence of a `dated` brief speaks of a time, its brief's, where it states none."""
    held = {_PINNED[e.label_] for e in sentence.sent.ents if e.label_ in _PINNED}
    if header is not None:
        held |= {_PINNED[e.label_] for e in header.ents if e.label_ in _PINNED}
    if dated:
        held.add(_PINNED["DATE"])
    out = []
    for ent in question_doc.ents:
        if _how_many_asked(ent.root):
            continue
        # "14 March of what year": what stands before the wh-word is pinned, the rest asked
        pinned = []
        for token in ent:
            if token.tag_ in ("WDT", "WP", "WRB"):
                break
            pinned.append(token.text)
        kind = _PINNED.get(ent.label_)
        wanted = frozenset(lexical_tokens(" ".join(pinned)))
        if kind in held and wanted:
            out.append((kind, wanted, " ".join(pinned)))
    return out


def _how_many_asked(token: Any) -> bool:
    """A count said of the asked noun ("which three biotechs", "what two drugs"): it tells how
    many things answer, not which case is asked, so a sentence naming one of them is no other
    case for holding another number."""
    # the wh-word stands right before the count; the parse may hang it elsewhere
    return how_many(token) and token.i > 0 and token.doc[token.i - 1].tag_ in ("WDT", "WP")


def is_headline(text: str) -> bool:
    """Whether a sentence is a headline: it does not end as prose does."""
    return text.rstrip()[-1:] not in '.!?"”)'


def _share(wanted: frozenset[str], held: frozenset[str], empty: float) -> float:
    return len(wanted & held) / len(wanted) if wanted else empty
