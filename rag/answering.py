"""From a question to an `Answer`: retrieve, decide whether the evidence answers it, generate,
check every figure against the cited passages, and fall back to the passages themselves when the
LLM is missing, down or wrong.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from typing import Any

from rag.abstention import (
    missing_ask,
    missing_names,
    says_unknown,
    unknown_names,
    unstated_ask,
)
from rag.errors import EmptyIndexError
from rag.evidence import (
    Pick,
    Similarity,
    asks_for_many,
    dated_as_asked,
    is_comparison,
    select_evidence,
)
from rag.grounding import Grounded, extractive_answer, ground_answer, informative
from rag.lexical import lexical_tokens
from rag.llms import LLMUnavailableError, stream_reply
from rag.prompts import Turn, build_messages, condense_question, previous_question
from rag.retrieval import Filters, HybridRetriever
from rag.settings import Settings
from rag.types import Answer, Citation, Passage

ABSTAIN_TEXT = "The briefs don't say."
_DATED_PRIOR = 0.3  # a brief dated as the question names it ("the May 2022 license")


class Answerer:
    """Answers questions over one store; shared by the CLI, the page, the API and eval."""

    def __init__(self, settings: Settings, retriever: HybridRetriever, llm: Any | None) -> None:
        self.settings = settings
        self.retriever = retriever
        self.llm = llm
        self.backend = settings.llm_backend
        self.similarity = semantic_similarity(retriever.embed_model)
        # llama.cpp in-process is not reentrant; remote servers take concurrent requests.
        self._llm_lock: AbstractContextManager[Any] = (
            threading.Lock() if settings.llm_backend == "embedded" else nullcontext()
        )

    def ask(
        self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None
    ) -> Answer:
        """Answer one question (no streaming)."""
        for event in self.stream(question, history, filters):
            if isinstance(event, Answer):
                return event
        raise AssertionError("stream() always ends with an Answer")  # pragma: no cover

    def stream(
        self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None
    ) -> Iterator[str | Answer]:
        """Yield the LLM's text as it is generated, then the checked `Answer` (always last).

        The streamed text is a draft: only the final `Answer` has passed the grounding check.
        """
        started = time.perf_counter()
        if self.retriever.store_is_empty():
            raise EmptyIndexError("the index is empty; run briefqa ingest")
        self.retriever.sync()  # before reading names off the lexical index
        # A follow-up is read with the subject it leaves out ("And the milestones?").
        focus, context = self._standalone(question, history)
        asked = question.strip() if context else focus
        passages, retrieved = self._retrieve(focus, filters or Filters())
        timings = {"retrieve_s": time.perf_counter() - started}
        lexical = self.retriever.lexical
        names = frozenset(lexical.anchors(focus))  # rare names: what the question is about
        specific = frozenset(lexical.anchors(focus, lexical.specific_limit()))  # its subjects
        pool = self._on_topic(focus, passages, specific)[: self.settings.evidence_k]
        spread = self._gathers(asked, pool, names)
        picks = select_evidence(
            asked,
            [p.text for p in pool],
            self.similarity,
            context,
            # a list gathered across briefs takes one sentence more than one brief's answer
            self.settings.max_sentences + (1 if spread else 0),
            titles=[p.title for p in pool],
            topic=names,
            prior=[_DATED_PRIOR if dated_as_asked(focus, p.date) else 0.0 for p in pool],
            spread=spread,
            must=specific if spread else frozenset(),
        )
        shown, picks = _arrange(pool, picks, self.settings.top_k)
        texts = [p.text for p in shown]
        extractive = extractive_answer(picks, texts)

        def finish(grounded: Grounded | None, notice: str = "", repaired: bool = False) -> Answer:
            timings["total_s"] = time.perf_counter() - started
            return _build(
                question, grounded, shown, retrieved, self.backend, notice, repaired, timings
            )

        why = self._unanswered(asked, focus, specific, passages, pool, picks)
        if why or not picks or _evidence(focus, shown) < self.settings.min_evidence:
            yield finish(None, notice=why)
            return
        if self.llm is None:
            yield finish(extractive)
            return
        draft: list[str] = []
        try:
            with self._llm_lock:
                messages = build_messages(focus, _excerpts(shown, picks), history)
                for delta in stream_reply(self.llm, messages):
                    draft.append(delta)
                    yield delta
        except LLMUnavailableError as exc:
            notice = f"the LLM did not answer ({exc}); showing the best supporting passages"
            yield finish(extractive, notice=notice)
            return
        timings["generate_s"] = time.perf_counter() - started - timings["retrieve_s"]
        raw = "".join(draft).strip()
        if not raw:  # a server that answers 200 with something that is not a completion
            notice = "the LLM did not answer (empty or unreadable reply); showing the best passages"
            yield finish(extractive, notice=notice)
            return
        grounded = ground_answer(raw, texts, asked, self.settings.max_sentences, picks[:1])
        if grounded.sentences and not grounded.repaired and informative(grounded, asked, picks):
            yield finish(grounded)
        else:
            # What the model said is unsupported, says less than the evidence, or declines while
            # the evidence answers: quote the sources instead, and say so.
            yield finish(extractive, repaired=True)

    def _standalone(self, question: str, history: Sequence[Turn]) -> tuple[str, str]:
        """The question to retrieve with, and the earlier question it was completed from (empty
        when the question names what it is about: a new topic, or already explicit)."""
        if not history or self.retriever.lexical.anchors(question):
            return question.strip(), ""
        return condense_question(question, history), previous_question(history)

    def _unanswered(
        self,
        asked: str,
        focus: str,
        specific: frozenset[str],
        passages: Sequence[Passage],
        pool: Sequence[Passage],
        picks: Sequence[Pick],
    ) -> str:
        """Why the briefs cannot answer, when the evidence shows it; empty otherwise."""
        lexical = self.retriever.lexical
        unknown = unknown_names(focus, lexical.vocabulary, lexical.knows)
        if unknown:
            return f"no brief mentions {' '.join(unknown)}"
        retrieved = {p.doc_id for p in passages}

        def naming(names: AbstractSet[str]) -> set[str]:
            """The retrieved briefs that hold any of the names."""
            return {d for d in retrieved if lexical.anchor_count(d, names)}

        def briefs_naming(names: AbstractSet[str]) -> set[str]:
            """Every term of the retrieved briefs that hold any of the names."""
            return lexical.terms_of(naming(names))

        # a comparison's subjects are all its specific names, however common one of them is
        rare = 0 if is_comparison(focus) else lexical.rare_limit()
        names = missing_names(
            asked, briefs_naming, lexical.doc_freq, lexical.specific_limit(), rare
        )
        if names:
            return f"the briefs about this never mention {' '.join(names)}"
        # a comparison's subjects each have their own briefs; else the briefs about the subject
        # are the pool's (it names most of the question's names)
        comparing = is_comparison(focus) and specific
        briefs = naming(specific) if comparing else {p.doc_id for p in pool}
        # "Which diseases ...?" asks for instances; briefs name them, not the kind
        if not asks_for_many(asked):
            head = missing_ask(asked, lexical.terms_of(briefs), lexical.knows)
            if head:
                return f"the briefs about this never mention the {head}"
            phrase = unstated_ask(asked, lexical.texts_of(briefs), lexical.knows)
            if phrase:
                return f"the briefs about this never state the {phrase}"
        if picks and says_unknown(picks[0].text, asked):
            return "the closest brief says this has not been disclosed"
        return ""

    def _gathers(self, asked: str, pool: Sequence[Passage], names: frozenset[str]) -> bool:
        """Whether the answer is a list gathered across briefs: a plural ask about no one brief
        (no names, or names that several of the briefs hold)."""
        if not asks_for_many(asked):
            return False
        lexical = self.retriever.lexical
        holders = {p.doc_id for p in pool if lexical.anchor_count(p.doc_id, names) == len(names)}
        return not names or len(holders) > 1

    def _on_topic(
        self, focus: str, passages: list[Passage], names: frozenset[str]
    ) -> list[Passage]:
        """Passages from the documents that name most of the question's names (its drug codes
        and companies); for a comparison, from any document naming one of its subjects. A figure
        about another company's deal, however well cited, answers nothing. Without such names in
        the question, every passage stays."""
        if not names:
            return passages
        counts = {p.doc_id: self.retriever.lexical.anchor_count(p.doc_id, names) for p in passages}
        if is_comparison(focus):
            return [p for p in passages if counts[p.doc_id]] or passages
        most = max(counts.values(), default=0)
        return [p for p in passages if most and counts[p.doc_id] == most]

    def _retrieve(
        self, query: str, filters: Filters
    ) -> tuple[list[Passage], tuple[tuple[str, float], ...]]:
        from llama_index.core.schema import QueryBundle

        hits = self.retriever.search(QueryBundle(query), filters)
        passages = [_passage(hit) for hit in hits]
        retrieved: dict[str, float] = {}
        for passage in passages:
            retrieved.setdefault(passage.doc_id, passage.score)
        return passages, tuple(retrieved.items())


def semantic_similarity(embed_model: Any) -> Similarity:
    """Cosine similarity of a question to sentences, with the embedder the index uses."""

    cache: dict[str, list[float]] = {}  # passages repeat across questions: embed each sentence once

    def similarity(question: str, sentences: Sequence[str]) -> list[float]:
        query = embed_model.get_query_embedding(question)
        missing = list(dict.fromkeys(s for s in sentences if s not in cache))
        if missing:
            if len(cache) > 50_000:
                cache.clear()
            cache.update(zip(missing, embed_model.get_text_embedding_batch(missing), strict=True))
        return [_cosine(query, cache[s]) for s in sentences]

    return similarity


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))
    return dot / norm if norm else 0.0


def _excerpts(shown: Sequence[Passage], picks: Sequence[Pick]) -> list[Passage]:
    """The passages the LLM reads: those holding evidence, cut to their evidence sentences (in
    document order). A short prompt is most of the embedded model's latency, and a small model
    copies figures better from two sentences than from three chunks."""
    spans: dict[int, list[tuple[int, int]]] = {}
    for pick in picks:
        spans.setdefault(pick.passage, []).append(pick.span)
    return [
        replace(shown[n - 1], text=" ".join(shown[n - 1].text[a:b] for a, b in sorted(spans[n])))
        for n in sorted(spans)
    ]


def _arrange(
    pool: Sequence[Passage], picks: Sequence[Pick], k: int
) -> tuple[list[Passage], list[Pick]]:
    """The passages to show: those holding the picked sentences first, then the best-ranked
    others up to k; the picks renumbered to match."""
    order = list(dict.fromkeys(p.passage - 1 for p in picks))
    order += [i for i in range(len(pool)) if i not in order][: max(0, k - len(order))]
    number = {old: new for new, old in enumerate(order, start=1)}
    return [pool[i] for i in order], [replace(p, passage=number[p.passage - 1]) for p in picks]


def _evidence(focus: str, passages: Sequence[Passage]) -> float:
    """How well the best passage matches: dense similarity, or the share of the question's terms
    it holds (an exact drug code is strong evidence even when embeddings miss it)."""
    terms = set(lexical_tokens(focus))
    best = 0.0
    for passage in passages:
        coverage = len(terms & set(lexical_tokens(passage.title + " " + passage.text)))
        best = max(best, passage.similarity or 0.0, coverage / len(terms) if terms else 0.0)
    return best


def _passage(hit: Any) -> Passage:
    node, meta = hit.node, hit.node.metadata
    return Passage(
        chunk_id=node.node_id,
        doc_id=str(meta.get("doc_id", node.ref_doc_id or "")),
        title=str(meta.get("title", "")),
        date=str(meta.get("date", "")),
        source=str(meta.get("source", "")),
        text=node.get_content(),
        start=int(node.start_char_idx or 0),
        score=float(hit.score or 0.0),
        similarity=meta.get("similarity"),
    )


def _build(
    question: str,
    grounded: Grounded | None,
    shown: Sequence[Passage],
    retrieved: tuple[tuple[str, float], ...],
    backend: str,
    notice: str,
    repaired: bool,
    timings: dict[str, float],
) -> Answer:
    if grounded is None or not grounded.sentences:
        return Answer(question, ABSTAIN_TEXT, True, (), retrieved, backend, False, notice,
                      tuple(shown), timings)  # fmt: skip
    text, order = grounded.render()
    citations = []
    for new_n, old_n in enumerate(order, start=1):
        passage = shown[old_n - 1]
        a, b = next(
            q for s in grounded.sentences for c, q in zip(s.cites, s.quotes, strict=True)
            if c == old_n
        )  # fmt: skip
        citations.append(
            Citation(new_n, passage.doc_id, passage.title, passage.date, passage.source,
                     passage.text, passage.text[a:b], (passage.start + a, passage.start + b))
        )  # fmt: skip
    return Answer(question, text, False, tuple(citations), retrieved, backend, repaired, notice,
                  tuple(shown), timings)  # fmt: skip
