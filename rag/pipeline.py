"""`build_pipeline(settings)`: the one place that picks concrete backends.

The CLI, the page, the API and eval all hold the same `Pipeline`. Heavy parts (the store, the
embedding model) are opened on first use, so `briefqa status` never loads a model.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from rag.settings import Settings
from rag.store import ChromaStore


class Pipeline:
    """The configured backends, opened lazily and closed together."""

    def __init__(
        self, settings: Settings, embed_model: Any | None = None, llm: Any | None = None
    ) -> None:
        self.settings = settings
        # Parts already loaded (tests, a long-lived server) are used as they are.
        if embed_model is not None:
            self.__dict__["embed_model"] = embed_model
        if llm is not None:
            self.__dict__["llm"] = llm

    @cached_property
    def store(self) -> ChromaStore:
        """The Chroma collection (locked while this process holds an embedded store)."""
        return ChromaStore.open(self.settings)

    @cached_property
    def ledger(self) -> Any:
        """The deal ledger (SQLite): one row per event, kept in step by ingest."""
        from rag.ledger.db import Ledger

        return Ledger(self.settings.ledger_file)

    @cached_property
    def embed_model(self) -> Any:
        """The llama-index embedding model (loads the sentence-transformers weights)."""
        from rag.embedding import build_embedder

        return build_embedder(self.settings)

    @cached_property
    def lexical(self) -> Any:
        """The in-memory BM25 side, synced with the store on use."""
        from rag.lexical import LexicalIndex

        return LexicalIndex(exact_limit=self.settings.exact_search_limit)

    @cached_property
    def retriever(self) -> Any:
        """Hybrid dense + BM25 retriever, with the optional cross-encoder reranker."""
        from rag.retrieval import HybridRetriever

        reranker = None
        if self.settings.reranker_model:
            reranker = _reranker(self.settings.reranker_model, self.settings)
        return HybridRetriever(
            self.store,
            self.embed_model,
            self.lexical,
            candidates=self.settings.candidates,
            top_k=max(self.settings.top_k, 10),
            rrf_k=self.settings.rrf_k,
            reranker=reranker,
        )

    @cached_property
    def llm(self) -> Any | None:
        """The configured llama-index LLM (None for the extractive backend)."""
        from rag.llms import build_llm

        return build_llm(self.settings)

    @cached_property
    def answerer(self) -> Any:
        """Question in, checked `Answer` out."""
        from rag.answering import Answerer
        from rag.llms import writes_answers

        # The bundled 135M model's drafts never pass the check: it is not loaded to write.
        llm = self.llm if writes_answers(self.settings) else None
        ledger = self.ledger if self.settings.ledger_answers else None
        return Answerer(self.settings, self.retriever, llm, ledger=ledger)

    def ask(self, question: str, **kwargs: Any) -> Any:
        """Shortcut for `answerer.ask`."""
        return self.answerer.ask(question, **kwargs)

    def close(self) -> None:
        """Release the store (and with it the embedded store's lock)."""
        if "store" in self.__dict__:
            self.store.close()
            del self.__dict__["store"]

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _reranker(model: str, settings: Settings) -> Any:
    from rag.errors import ModelUnavailableError

    try:
        from llama_index.core.postprocessor import SentenceTransformerRerank

        return SentenceTransformerRerank(model=model, top_n=max(settings.top_k, 10), device="cpu")
    except Exception as exc:
        raise ModelUnavailableError(
            f"cannot load the reranker {model!r} offline ({exc}); set BRIEFQA_RERANKER_MODEL to a "
            "local CrossEncoder folder or unset it"
        ) from exc


def build_pipeline(
    settings: Settings, embed_model: Any | None = None, llm: Any | None = None
) -> Pipeline:
    """Build the pipeline for these settings (nothing is loaded until used)."""
    return Pipeline(settings, embed_model=embed_model, llm=llm)
