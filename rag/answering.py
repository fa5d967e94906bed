"""From a question to an `Answer`: retrieve, decide whether the evidence answers it, generate,
check every figure against the cited passages, and fall back to the passages themselves when the
LLM is missing, down or wrong.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from rag.errors import EmptyIndexError
from rag.grounding import Grounded, Scorer, extractive_answer, ground_answer
from rag.lexical import lexical_tokens
from rag.llms import LLMUnavailableError, stream_reply
from rag.prompts import Turn, build_messages, condense_question
from rag.retrieval import Filters, HybridRetriever
from rag.sentences import overlap
from rag.settings import Settings
from rag.types import Answer, Citation, Passage

ABSTAIN_TEXT = "The briefs don't say."
_REFUSALS = ("don't say", "do not say", "doesn't say", "does not say", "no information")


class Answerer:
    """Answers questions over one store; shared by the CLI, the page, the API and eval."""

    def __init__(self, settings: Settings, retriever: HybridRetriever, llm: Any | None) -> None:
        self.settings = settings
        self.retriever = retriever
        self.llm = llm
        self.backend = settings.llm_backend
        self.scorer = semantic_scorer(retriever.embed_model)
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
        self.retriever.sync()
        # A follow-up is read with the subject it leaves out ("And the milestones?").
        focus = self._standalone(question, history)
        passages, retrieved = self._retrieve(focus, filters or Filters())
        timings = {"retrieve_s": time.perf_counter() - started}
        shown = self._on_topic(focus, passages)[: self.settings.top_k]
        texts = [p.text for p in shown]

        def finish(grounded: Grounded | None, notice: str = "", repaired: bool = False) -> Answer:
            timings["total_s"] = time.perf_counter() - started
            return _build(
                question, grounded, shown, retrieved, self.backend, notice, repaired, timings
            )

        if not shown or _evidence(focus, shown) < self.settings.min_evidence:
            yield finish(None)
            return
        if self.llm is None:
            yield finish(extractive_answer(focus, texts, self.scorer))
            return
        draft: list[str] = []
        try:
            with self._llm_lock:
                for delta in stream_reply(self.llm, build_messages(focus, shown, history)):
                    draft.append(delta)
                    yield delta
        except LLMUnavailableError as exc:
            notice = f"the LLM did not answer ({exc}); showing the best supporting passages"
            yield finish(extractive_answer(focus, texts, self.scorer), notice=notice)
            return
        timings["generate_s"] = time.perf_counter() - started - timings["retrieve_s"]
        raw = "".join(draft).strip()
        if not raw:  # a server that answers 200 with something that is not a completion
            notice = "the LLM did not answer (empty or unreadable reply); showing the best passages"
            yield finish(extractive_answer(focus, texts, self.scorer), notice=notice)
            return
        grounded = ground_answer(raw, texts, focus, self.settings.max_sentences, self.scorer)
        if grounded.sentences:
            yield finish(grounded, repaired=grounded.repaired)
        elif any(r in raw.lower() for r in _REFUSALS):
            yield finish(None)
        else:  # nothing the model said survived the check: quote the sources instead
            yield finish(extractive_answer(focus, texts, self.scorer), repaired=True)

    def _standalone(self, question: str, history: Sequence[Turn]) -> str:
        """The question with the conversation's subject when it names none of its own."""
        if not history or self.retriever.lexical.anchors(question):
            return question.strip()  # it says what it is about: a new topic, or already explicit
        return condense_question(question, history)

    def _on_topic(self, focus: str, passages: list[Passage]) -> list[Passage]:
        """Passages from documents that name what the question names (its drug codes and
        companies). A figure about another company's deal, however well cited, answers nothing.
        Without such names in the question, every passage stays."""
        anchors = self.retriever.lexical.anchors(focus)
        if not anchors:
            return passages
        return [p for p in passages if self.retriever.lexical.document_has(p.doc_id, anchors)]

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


def semantic_scorer(embed_model: Any) -> Scorer:
    """Score sentences against a question by embedding similarity plus shared words."""

    cache: dict[str, list[float]] = {}  # passages repeat across questions: embed each sentence once

    def score(question: str, sentences: Sequence[str]) -> list[float]:
        query = embed_model.get_query_embedding(question)
        missing = list(dict.fromkeys(s for s in sentences if s not in cache))
        if missing:
            if len(cache) > 50_000:
                cache.clear()
            cache.update(zip(missing, embed_model.get_text_embedding_batch(missing), strict=True))
        vectors = [cache[s] for s in sentences]
        return [
            sum(a * b for a, b in zip(query, vector, strict=True)) + 0.3 * overlap(question, text)
            for vector, text in zip(vectors, sentences, strict=True)
        ]

    return score


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
