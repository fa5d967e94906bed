"""From a question to an `Answer`: retrieve, read the closest passages for the short spans that
answer (`rag.reading`), and, with an LLM that writes, let it phrase the answer from those spans;
its text stands only when every figure, date and name is in the cited passages and it agrees
with the reader. When the LLM is missing, down or wrong, the reader's quoted answer is given.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from typing import Any

from rag.composing import compose, written_answer
from rag.embedding import query_embedding, semantic_similarity
from rag.errors import EmptyIndexError
from rag.grounding import Pick, agrees, ground_answer
from rag.ledger.ask import LedgerAnswerer
from rag.ledger.decided import unreported
from rag.lexical import lexical_tokens
from rag.llms import LLMUnavailableError, stream_reply
from rag.prompts import Turn, build_messages, condense_question, previous_question
from rag.reading.model import configured_weights
from rag.reading.question import CorpusView
from rag.reading.reader import Reader, Reading
from rag.reading.requests import unwrapped
from rag.reading.subquestions import sub_questions
from rag.retrieval import Filters, HybridRetriever
from rag.settings import Settings
from rag.topic import on_topic, states, stating
from rag.types import Answer, Citation, Passage

ABSTAIN_TEXT = "The briefs don't say."
_ASK_PASSAGES = 2  # passages one ask of a joined question adds that the pool lacks


class Answerer:
    """Answers questions over one store; shared by the CLI, the page, the API and eval."""

    def __init__(
        self, settings: Settings, retriever: HybridRetriever, llm: Any | None,
        ledger: Any | None = None,
    ) -> None:  # fmt: skip
        self.settings = settings
        self.retriever = retriever
        self.llm = llm
        self.backend = settings.llm_backend
        weights = configured_weights(settings.reader_weights)
        embedder = retriever.embed_model
        # one question embedded once for retrieval, the reader and its type model
        embed = query_embedding(embedder)
        self._embed = embed
        self.reader = Reader(semantic_similarity(embedder, embed), weights, embed,
                             settings.embed_model)  # fmt: skip
        self.ledger = LedgerAnswerer(ledger) if ledger is not None else None
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

    def prepare(
        self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None
    ) -> tuple[str, str, list[Passage], tuple[tuple[str, float], ...]]:
        """The question as read (a follow-up keeps its own words), its earlier question, the
        candidate passages and the retrieved documents with their scores."""
        if self.retriever.store_is_empty():
            raise EmptyIndexError("the index is empty; run briefqa ingest")
        self.retriever.sync()  # before reading names off the lexical index
        # read in the corpus's spelling ("upfrnt", "kelun"); the answer keeps the user's words
        question = self.retriever.lexical.normalise(question)
        # A follow-up is retrieved with the subject it leaves out ("And the milestones?").
        focus, context = self._standalone(question, history)
        asked = question.strip() if context else focus
        passages, retrieved = self._retrieve(focus, filters or Filters())
        lexical = self.retriever.lexical
        specific = frozenset(lexical.anchors(focus, lexical.specific_limit()))
        # a sum or percentage it pins says which deal, as a name does ("the $62.5m upfront")
        passages = self._stating(focus, passages, filters or Filters())
        pool = on_topic(lexical, passages, specific)[: self.settings.evidence_k]
        pool += self._ask_passages(focus, pool, filters or Filters())
        return asked, context, pool, retrieved

    def _stating(self, question: str, passages: list[Passage], filters: Filters) -> list[Passage]:
        """`topic.stating` for the sums the question pins, each looked up on its own where no
        passage states it: the fused ranking leaves out a brief only the lexical side ranks
        first ("the $62.5 million upfront deal")."""
        pinned = self.retriever.lexical.figures(question)
        if pinned and not any(states(p, pinned) for p in passages):
            found, _ = self._retrieve(" ".join(q.text for q in pinned), filters)
            passages = passages + [p for p in found if states(p, pinned)]
        return stating(passages, pinned)

    def _ask_passages(self, question: str, pool: list[Passage], filters: Filters) -> list[Passage]:
        """For a question joining asks ("between the 2022 readout and the 2024 approval"), the
        best passages each ask finds that the pool lacks: the whole question's names pick the
        brief that names most of them and drop the other occasion's brief, and the ask's answer
        may stand in another chunk of a brief the pool already holds."""
        lexical = self.retriever.lexical
        have = {p.chunk_id for p in pool}
        extra: list[Passage] = []
        for ask in sub_questions(question):
            passages, _ = self._retrieve(ask, filters)
            names = frozenset(lexical.anchors(ask, lexical.specific_limit()))
            found = [p for p in on_topic(lexical, passages, names) if p.chunk_id not in have]
            extra += found[:_ASK_PASSAGES]
            have |= {p.chunk_id for p in found[:_ASK_PASSAGES]}
        return extra

    def corpus_view(self) -> CorpusView:
        """What the index knows about terms, for the reader."""
        lexical = self.retriever.lexical
        limit = lexical.specific_limit()
        names = set(lexical.company_names)
        if self.ledger is not None:  # the parties the ledger read, for briefs that declare none
            for party in self.ledger.party_names():
                names.add(frozenset(t for t in party if 0 < lexical.doc_freq(t) <= limit))
        names.discard(frozenset())
        companies = frozenset(t for name in names for t in name)
        return CorpusView(
            lexical.doc_freq, lambda: lexical.vocabulary, lexical.documents, limit, companies,
            lexical.doc_texts, frozenset(names),
        )  # fmt: skip

    def read(self, asked: str, context: str, pool: Sequence[Passage]) -> Reading:
        """The reader's findings for prepared passages; declined where the cited brief never
        reports the regulator's decision asked after (`decided.unreported`), the ledger has the
        question's company on the other side of its deal, or the answer's sum is a round's
        total asked as one of its investors' share."""
        lexical = self.retriever.lexical
        reading = self.reader.read(asked, pool, self.corpus_view(), lexical.doc_terms, context)
        # a question joining asks may draw on several briefs
        if reading.declined or not reading.findings or reading.question.parts != 1:
            return reading
        passage = pool[reading.findings[0].passage]
        why = unreported(asked, _brief_texts(lexical, passage))
        if not why and self.ledger is not None:
            said = " ".join(f.text for f in reading.findings)
            why = self.ledger.swapped(asked, passage.doc_id, said)
        return replace(reading, confidence=0.0, declined=why) if why else reading

    def stream(
        self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None
    ) -> Iterator[str | Answer]:
        """Yield the LLM's text as it is generated, then the checked `Answer` (always last).

        The streamed text is a draft: only the final `Answer` has passed the grounding check.
        """
        started = time.perf_counter()
        plain = unwrapped(question)  # "Can you tell me which ...": what is asked, read alone
        from_ledger = self.ledger_answer(plain, history, filters)
        if from_ledger is not None:
            timed = {"total_s": time.perf_counter() - started}
            yield replace(from_ledger, question=question, timings=timed)
            return
        asked, context, pool, retrieved = self.prepare(plain, history, filters)
        timings = {"retrieve_s": time.perf_counter() - started}
        reading = self.read(asked, context, pool)
        timings["read_s"] = time.perf_counter() - started - timings["retrieve_s"]

        def finish(answer: Answer) -> Answer:
            timings["total_s"] = time.perf_counter() - started
            return replace(answer, timings=timings)

        shown, quoted = compose(
            question, reading, pool, retrieved, self.backend, self.settings.top_k
        )
        if reading.declined or not reading.findings:
            yield finish(
                Answer(question, ABSTAIN_TEXT, True, (), retrieved, self.backend, False,
                       reading.declined, tuple(pool[: self.settings.top_k]), mode="declined")
            )  # fmt: skip
            return
        if self.llm is None:
            yield finish(quoted)
            return
        draft: list[str] = []
        # the cited sentences, as spans of the shown passages (a citation's span is the document's)
        picks = [
            Pick(c.n, (c.span[0] - shown[c.n - 1].start, c.span[1] - shown[c.n - 1].start), c.quote)
            for c in quoted.citations
        ]
        try:
            with self._llm_lock:
                messages = build_messages(asked, _excerpts(shown, picks), history)
                for delta in stream_reply(self.llm, messages):
                    draft.append(delta)
                    yield delta
        except LLMUnavailableError as exc:
            notice = f"the LLM did not answer ({exc}); showing the answer quoted from the sources"
            yield finish(replace(quoted, notice=notice))
            return
        timings["generate_s"] = time.perf_counter() - started - timings["read_s"]
        raw = "".join(draft).strip()
        if not raw:  # a server that answers 200 with something that is not a completion
            notice = "the LLM did not answer (empty or unreadable reply); showing the quoted answer"
            yield finish(replace(quoted, notice=notice))
            return
        texts = [p.text for p in shown]
        grounded = ground_answer(raw, texts, self.settings.max_sentences, picks[:1])
        spans = [f.text for f in reading.findings if f.answer != f.sentence]
        if grounded.sentences and not grounded.repaired and agrees(grounded, spans, picks):
            yield finish(written_answer(quoted, grounded, shown))
            return
        # What the model said is unsupported, names what the passages do not, or disagrees with
        # the reader's span: the quoted answer stands, and the page says why.
        notice = "the LLM's answer did not match the cited passages; showing the quoted answer"
        yield finish(replace(quoted, repaired=True, notice=notice))

    def ledger_answer(
        self, question: str, history: Sequence[Turn], filters: Filters | None
    ) -> Answer | None:
        """The ledger's answer to a question about many rows (a list, a ranking, a timeline);
        None for a follow-up, a filtered question or one the ledger cannot settle."""
        if self.ledger is None or history or filters:
            return None
        self.retriever.sync()
        lexical = self.retriever.lexical
        limit = lexical.specific_limit()
        question = lexical.normalise(question)  # as `prepare` reads it

        def rare(word: str) -> bool:  # few briefs use it, or none (a name no brief knows)
            stems = lexical_tokens(word)
            return bool(stems) and lexical.doc_freq(stems[0]) <= limit

        answer = self.ledger.answer(question, self.backend, rare)
        return answer and replace(answer, citations=self._with_sources(answer.citations))

    def _with_sources(self, citations: Sequence[Citation]) -> tuple[Citation, ...]:
        """Citations with their brief's title, date and source as the store holds them (the
        ledger keeps the sentence, the store the brief's metadata)."""
        meta = self.retriever.document_meta([c.doc_id for c in citations])
        return tuple(
            replace(
                c,
                title=str(m.get("title") or c.title),
                date=str(m.get("date") or c.date),
                source=str(m.get("source") or ""),
            )  # fmt: skip
            if (m := meta.get(c.doc_id))
            else c
            for c in citations
        )

    def _standalone(self, question: str, history: Sequence[Turn]) -> tuple[str, str]:
        """The question to retrieve with, and the earlier question it was completed from (empty
        when the question names what it is about: a new topic, or already explicit)."""
        if not history or self.retriever.lexical.anchors(question):
            return question.strip(), ""
        return condense_question(question, history), previous_question(history)

    def _retrieve(
        self, query: str, filters: Filters
    ) -> tuple[list[Passage], tuple[tuple[str, float], ...]]:
        from llama_index.core.schema import QueryBundle

        hits = self.retriever.search(QueryBundle(query, embedding=list(self._embed(query))),
                                     filters)  # fmt: skip
        passages = [_passage(hit) for hit in hits]
        retrieved: dict[str, float] = {}
        for passage in passages:
            retrieved.setdefault(passage.doc_id, passage.score)
        return passages, tuple(retrieved.items())


def _excerpts(shown: Sequence[Passage], picks: Sequence[Pick]) -> list[Passage]:
    """The passages the LLM reads: those holding the reader's sentences, cut to them. A short
    prompt is most of a local model's latency, and a model copies figures better from two
    sentences than from three chunks."""
    spans: dict[int, list[tuple[int, int]]] = {}
    for pick in picks:
        spans.setdefault(pick.passage, []).append(pick.span)
    return [
        replace(shown[n - 1], text=" ".join(shown[n - 1].text[a:b] for a, b in sorted(spans[n])))
        for n in sorted(spans)
    ]


def _brief_texts(lexical: Any, passage: Passage) -> Iterator[str]:
    """The cited brief's title and chunks, read only if asked for (`unreported` reads them for
    a question after a regulator's decision alone)."""
    yield passage.title
    yield from lexical.doc_texts(passage.doc_id)


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
        header=str(meta.get("table_header", "")),
    )
