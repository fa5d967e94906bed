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

    def __init__(self, settings: Settings, embed_model: Any | None = None) -> None:
        self.settings = settings
        if embed_model is not None:  # a model already loaded (tests, a long-lived server)
            self.__dict__["embed_model"] = embed_model

    @cached_property
    def store(self) -> ChromaStore:
        """The Chroma collection (locked while this process holds an embedded store)."""
        return ChromaStore.open(self.settings)

    @cached_property
    def embed_model(self) -> Any:
        """The llama-index embedding model (loads the sentence-transformers weights)."""
        from rag.embedding import build_embedder

        return build_embedder(self.settings)

    def close(self) -> None:
        """Release the store (and with it the embedded store's lock)."""
        if "store" in self.__dict__:
            self.store.close()
            del self.__dict__["store"]

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def build_pipeline(settings: Settings, embed_model: Any | None = None) -> Pipeline:
    """Build the pipeline for these settings (nothing is loaded until used)."""
    return Pipeline(settings, embed_model=embed_model)
