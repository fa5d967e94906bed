"""The reader: question in, the short spans that answer it (or a reason to decline) out.

Stages: analyse the question; parse the candidate passages (cached); score every sentence and
the typed spans of the best ones with the fitted models; decide, with one fitted model, whether
the best of them answers. A question about a name no brief mentions, or whose subjects are not
all in the brief it would cite, is declined: another company's figure is never an answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rag.reading.asks import read_asks
from rag.reading.candidates import (
    Sentence,
    add_gaps,
    idf_weights,
    local_weights,
    sentence_features,
    sentences_of,
    span_features,
)
from rag.reading.cells import ColumnCell, addressed_cell, addressed_column
from rag.reading.compose import SENTENCES_READ, Finding, best_sentence, compose, quoted
from rag.reading.decision import decision_features, declines, in_brief
from rag.reading.model import TypeTable, Weights, load_weights
from rag.reading.names import unknown_names
from rag.reading.nlp import load_nlp, parse_many
from rag.reading.occasions import prepared
from rag.reading.parts import Scored
from rag.reading.question import CorpusView, Question, analyze
from rag.reading.spans import SpanCandidate, names_currency
from rag.reading.tables import row_header
from rag.types import Passage

#: Cosine similarity of a question to each of some sentences.
Similarity = Callable[[str, Sequence[str]], Sequence[float]]
#: A question's embedding.
Embed = Callable[[str], Sequence[float]]


# the quantity types a question may ask for, as its decline names them
QUANTITIES = {"MONEY": "amount", "PERCENT": "percentage", "DATE": "date", "CARDINAL": "number"}


@dataclass(frozen=True)
class Reading:
    """What the reader made of a question: findings best first, or why it declines."""

    question: Question
    findings: tuple[Finding, ...]
    confidence: float
    declined: str = ""
    features: tuple[float, ...] = ()  # the decision's inputs, for fitting


class Reader:
    """Reads passages for one corpus view; weights default to the checked-in fitted ones."""

    def __init__(self, similarity: Similarity | None, weights: Weights | None = None,
                 embed: Embed | None = None, embedder: str = "") -> None:  # fmt: skip
        self.similarity = similarity
        self.weights = weights or load_weights()
        # a question's embedding and the model making it, for the type table's question model
        self.embed, self.embedder = embed, embedder
        self._types: dict[str, tuple[TypeTable, dict[str, float]]] = {}
        load_nlp()  # spaCy loads in seconds: at start-up, not on the first question

    def type_scores(self, q: Question) -> dict[str, float]:
        """How likely each entity type answers the question (the type table's distribution for
        its class; a class never counted backs off to the counted heads nearest in meaning, and
        what the question model reads in its words has a share of every class's), kept per
        class and weights (per question where the question model reads it): a head is
        embedded once."""
        table = self.weights.types
        model = table.worded(q.qclass) if self.embed is not None else None
        key = f"{q.qclass}|{q.bare or q.text}" if model is not None else q.qclass
        kept = self._types.get(key)
        if kept is not None and kept[0] is table:  # the table held, so its identity is its own
            return kept[1]
        near: list[tuple[str, float]] = []
        # only a class never counted backs off to its neighbours (`TypeTable.distribution`); a
        # counted one, read per question now that the words weigh in, needs no head cosines
        counted = table.class_counts.get(q.qclass, 0) > 0
        headed = table.headed() if table.neighbours and q.head and not counted else []
        if headed and self.similarity is not None:
            classes, heads = zip(*headed, strict=True)
            near = list(zip(classes, map(float, self.similarity(q.head, heads)), strict=True))
        asked = None
        if model is not None and self.embed is not None:
            vector = self.embed(q.bare or q.text)
            asked = model.distribution(vector) if model.reads(self.embedder, vector) else None
        found = table.distribution(q.qclass, near, asked)
        if len(self._types) > 10_000:  # a bound: kept per class, or per question
            self._types.clear()
        self._types[key] = (table, found)
        return found

    def analyse(self, question: str, corpus: CorpusView, context: str = "") -> Question:
        """Stage 1: the question read against what the corpus knows."""
        return analyze(question, corpus, context)

    def score_sentences(
        self,
        q: Question,
        passages: Sequence[Passage],
        corpus: CorpusView,
        doc_terms: Callable[[str], frozenset[str]],
    ) -> list[Scored]:
        """Stage 2: every sentence of the passages, scored, best first. With subjects, only the
        passages of the briefs naming most of them are read: another brief's sentence about the
        same kind of event answers nothing."""
        keep = set(range(len(passages)))
        if q.subjects:
            counts = [len(q.subjects & doc_terms(p.doc_id)) for p in passages]
            if not max(counts, default=0):
                return []
            keep = {i for i, c in enumerate(counts) if c == max(counts)}
        docs = parse_many([p.text for p in passages])
        sentences = [
            s for s in sentences_of(docs, [p.start for p in passages]) if s.passage in keep
        ]
        if not sentences:
            return []
        weights = idf_weights(q, corpus.doc_freq, corpus.documents)
        dense = [(0.0, 0.0)] * len(sentences)
        if self.similarity is not None:
            texts = [s.text for s in sentences]
            # names make every sentence of their brief look alike to the embedder
            full, bare = self.similarity(q.text, texts), self.similarity(q.bare or q.text, texts)
            dense = list(zip(full, bare, strict=True))
        local = local_weights(q, sentences)
        years = _years(q.text)
        types = self.type_scores(q)

        def type_score(label: str) -> float:
            return types.get(label, 0.0)

        rows = []
        for i, s in enumerate(sentences):
            p = passages[s.passage]
            dated = bool(years) and p.date[:4] in years
            rows.append(sentence_features(
                q, s, weights, type_score, dense[i], s.passage, doc_terms(p.doc_id), dated, local
            ))  # fmt: skip
        add_gaps(rows)
        scored = [
            Scored(s, f, self.weights.sentence.probability(f))
            for s, f in zip(sentences, rows, strict=True)
        ]
        scored.sort(key=lambda x: -x.probability)
        return scored

    def span_feature_rows(
        self, q: Question, scored: Sequence[Scored]
    ) -> list[tuple[list[float], Scored, SpanCandidate]]:
        """The features of every typed span of the best sentences."""
        types = self.type_scores(q)
        rows = []
        for rank, item in enumerate(scored[:SENTENCES_READ]):
            for k, span in enumerate(item.sentence.spans):
                f = span_features(
                    q, item.sentence, span, item.probability,
                    lambda lab: types.get(lab, 0.0), k == 0, rank,
                )  # fmt: skip
                rows.append((f, item, span))
        return rows

    def find_spans(
        self, q: Question, scored: Sequence[Scored]
    ) -> list[tuple[float, Scored, SpanCandidate]]:
        """Stage 3: the typed spans of the best sentences, scored, best first."""
        out = [
            (self.weights.span.probability(f), item, span)
            for f, item, span in self.span_feature_rows(q, scored)
        ]
        out.sort(key=lambda x: -x[0])
        return out

    def read(
        self,
        question: str,
        passages: Sequence[Passage],
        corpus: CorpusView,
        doc_terms: Callable[[str], frozenset[str]],
        context: str = "",
    ) -> Reading:
        """All stages: the findings that answer `question` from `passages`, or why not."""
        q = self.analyse(question, corpus, context)
        unknown = unknown_names(q, passages, corpus)
        if unknown:
            return Reading(q, (), 0.0, _unknown_notice(q, unknown))
        q = prepared(q, passages, corpus, doc_terms, context)
        scored = self.score_sentences(q, passages, corpus, doc_terms)
        if not scored:
            why = "no passage holds the question's words"
            if q.subjects:
                why = "no brief found mentions " + ", ".join(sorted(q.subjects))
            return Reading(q, (), 0.0, why)
        spans = self.find_spans(q, scored)
        asks = read_asks(self, q, passages, corpus, doc_terms, scored)
        findings = compose(self.weights, q, scored, spans, asks)
        best = best_sentence(self.weights, scored, spans)
        cell = None
        if q.single and not q.plural:
            quantity = self.asked_quantity(q)
            headers = [p.header for p in passages]
            cell = addressed_cell(q, scored, headers, corpus.doc_freq, corpus.documents, quantity)
        if cell is not None:  # a table's cell its row and column name answers; its row backs it
            s, best = cell.row.sentence, cell.row
            findings = [Finding(s.passage, s.span, cell.span, cell.text, 1.0)]
        column: list[ColumnCell] = []
        if cell is None and q.plural:  # the cited brief's table: another's answers nothing
            first = passages[scored[0].sentence.passage].doc_id
            own = [x for x in scored if passages[x.sentence.passage].doc_id == first]
            row, column = addressed_column(q, own, passages)
            if row is not None:  # a table's column, listed: each cell, its own row its source
                best = row
                findings = [Finding(c.passage, c.line, c.span, c.text, 1.0) for c in column]
        cited = passages[findings[0].passage]
        doc = doc_terms(cited.doc_id)
        said = quoted(best, scored, findings)
        above = passages[best.sentence.passage].header
        brief = in_brief(scored, passages, cited.doc_id)
        why = declines(q, best.sentence, said, doc, cited.date, corpus.companies, above, brief,
                       passages)  # fmt: skip
        if why:
            return Reading(q, tuple(findings), 0.0, why)
        mass = self.quantity_mass(q, said)
        if mass is not None and mass < self.weights.quantity_threshold:
            why = f"the closest briefs state no such {QUANTITIES[self.asked_quantity(q)]}"
            return Reading(q, tuple(findings), 0.0, why)
        if cell is not None or column:
            return Reading(q, tuple(findings), 1.0, "")
        features = decision_features(q, best, spans, scored, doc, passages)
        confidence = self.weights.decision.probability(features)
        if confidence < self.weights.answer_threshold:
            why = "no sentence of the closest briefs states it"
            return Reading(q, tuple(findings), confidence, why, tuple(features))
        return Reading(q, tuple(findings), confidence, "", tuple(features))

    def asked_quantity(self, q: Question) -> str:
        """The type the type table deems likeliest to answer the question, when it is a
        quantity ("how much": MONEY, "when": DATE); "" otherwise."""
        types = self.type_scores(q)
        label = max(types, key=types.__getitem__, default="")
        return label if label in QUANTITIES else ""

    def quantity_mass(self, q: Question, sentences: Sequence[Sentence]) -> float | None:
        """For a question asking one thing whose likeliest answer type is a quantity, the type
        table's probability that a span of one of the types these sentences hold answers it:
        low when a question after a sum gets a sentence stating none ("Takeda will also buy a
        minority equity stake"), whatever its words share. None for other questions."""
        if q.parts != 1 or not self.asked_quantity(q):
            return None
        labels = {span.label for s in sentences for span in s.spans}
        # a table row's figures are in the unit its header names ("| (RMB million) | 2024 |"):
        # its cells read as bare numbers, the header says they are sums
        if "CARDINAL" in labels and any(
            names_currency(row_header(s.sent.doc.text, s.span)) for s in sentences
        ):
            labels.add("MONEY")
        types = self.type_scores(q)
        return sum(types.get(label, 0.0) for label in labels)


def _unknown_notice(q: Question, unknown: Sequence[str]) -> str:
    """Why names decline a question: no brief uses the word, or the closest briefs never write
    the words of a name together. Only those are read for the second ("Jinhaiwan Biotech" may
    stand in a brief retrieval missed), and the notice says no more."""
    nowhere = [u for u in unknown if u in q.unknown]
    apart = [u for u in unknown if u not in q.unknown]
    said = [f"no brief mentions {', '.join(nowhere)}"] if nowhere else []
    said += [f"the closest briefs never name {', '.join(apart)}"] if apart else []
    return "; ".join(said)


def _years(text: str) -> set[str]:
    return {w for w in re.findall(r"\b(?:19|20)\d\d\b", text)}
