"""The embedder: a sentence-transformers model behind llama-index's `BaseEmbedding` seam."""

from __future__ import annotations

from collections.abc import Callable, Sequence
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


def query_embedding(embed_model: Any) -> Callable[[str], Sequence[float]]:
    """A question's embedding with the embedder the index uses, the last few hundred kept (a
    question is embedded again as its sentences are scored)."""
    from functools import lru_cache

    @lru_cache(maxsize=512)
    def embed(text: str) -> tuple[float, ...]:
        return tuple(embed_model.get_query_embedding(text))

    return embed


def semantic_similarity(
    embed_model: Any, embed: Callable[[str], Sequence[float]] | None = None
) -> Any:
    """Cosine similarity of a question to sentences, with the embedder the index uses; `embed`
    (a `query_embedding`) shares its questions' embeddings with the reader's type model."""
    import numpy as np

    cache: dict[str, Any] = {}  # passages repeat across questions: embed each sentence once
    embed = embed or query_embedding(embed_model)

    def similarity(question: str, sentences: Sequence[str]) -> list[float]:
        if not sentences:
            return []
        query = np.asarray(embed(question), dtype=np.float64)
        missing = list(dict.fromkeys(s for s in sentences if s not in cache))
        if missing:
            if len(cache) > 50_000:
                cache.clear()
            vectors = embed_model.get_text_embedding_batch(missing)
            for text, vector in zip(missing, vectors, strict=True):
                v = np.asarray(vector, dtype=np.float64)
                norm = float(np.linalg.norm(v))
                cache[text] = v / norm if norm else v  # unit length: a cosine is a dot product
        norm = float(np.linalg.norm(query))
        if not norm:
            return [0.0] * len(sentences)
        matrix = np.stack([cache[s] for s in sentences])
        return [float(x) for x in matrix @ (query / norm)]

    return similarity
