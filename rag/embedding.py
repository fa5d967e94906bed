"""The embedder: a sentence-transformers model behind llama-index's `BaseEmbedding` seam."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rag.errors import ModelUnavailableError
from rag.models import enable_offline, packaged_embedder_path
from rag.settings import PACKAGED_EMBED_MODEL, Settings


def resolve_embed_model(name: str) -> str:
    """Map the packaged default to its folder; any other name or path is passed through."""
    return str(packaged_embedder_path()) if name == PACKAGED_EMBED_MODEL else name


def build_embedder(settings: Settings) -> Any:
    """Load the configured sentence-transformers model as a llama-index `HuggingFaceEmbedding`."""
    enable_offline()
    try:
        from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ModelUnavailableError(
            f"{exc}; install it with `pip install llama-index-embeddings-huggingface`"
        ) from exc
    name = resolve_embed_model(settings.embed_model)
    try:
        return HuggingFaceEmbedding(
            model_name=name,
            device=settings.embed_device,
            embed_batch_size=settings.embed_batch_size,
            normalize=True,
        )
    except Exception as exc:
        raise ModelUnavailableError(
            f"cannot load the embedding model {settings.embed_model!r} offline ({exc}); "
            "set BRIEFQA_EMBED_MODEL to a local sentence-transformers folder, or unset it for "
            "the packaged default"
        ) from exc


def token_counter(embedder: Any) -> Callable[[str], list[str]]:
    """The embedder's own tokenizer, so chunk sizes are measured in the tokens it truncates at."""
    # HuggingFaceEmbedding keeps its SentenceTransformer private; the tokenizer is all we need.
    tokenizer = getattr(getattr(embedder, "_model", None), "tokenizer", None)
    if tokenizer is None:  # another BaseEmbedding: words are a fair stand-in for tokens
        return str.split
    return lambda text: tokenizer.tokenize(text)
