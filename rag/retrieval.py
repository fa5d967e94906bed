"""Hybrid retrieval: dense search in Chroma plus BM25, fused by reciprocal rank.

A llama-index `BaseRetriever`: the dense side is llama-index's own vector retriever over its
`ChromaVectorStore`; the lexical side is `LexicalIndex`. Filters (company, date range) become a
Chroma `where` for the dense side and a mask for the lexical side, so both see the same briefs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from llama_index.core import VectorStoreIndex
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from rag.errors import BriefqaError
from rag.lexical import LexicalIndex
from rag.store import ChromaStore, chunk_id


@dataclass(frozen=True)
class Filters:
    """Restrict retrieval to briefs about a company and/or within a date range (ISO dates)."""

    company: str | None = None
    since: str | None = None
    until: str | None = None

    def __bool__(self) -> bool:
        return bool(self.company or self.since or self.until)


def date_number(value: str, end: bool = False) -> int:
    """`2024-03` -> 20240300 (or 20240399 as a range end), comparable with chunks' `date_num`."""
    digits = value.replace("-", "")
    if not digits.isdigit() or len(digits) not in (4, 6, 8):
        raise BriefqaError(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    return int(digits.ljust(8, "9" if end else "0"))


class HybridRetriever(BaseRetriever):
    """Dense + BM25, fused with reciprocal rank fusion; node scores are the fused scores."""

    def __init__(
        self,
        store: ChromaStore,
        embed_model: Any,
        lexical: LexicalIndex,
        candidates: int = 20,
        top_k: int = 5,
        rrf_k: int = 60,
        reranker: Any | None = None,
    ) -> None:
        from llama_index.vector_stores.chroma import ChromaVectorStore

        super().__init__()
        self._store = store
        self.embed_model = embed_model
        self.lexical = lexical
        self._index = VectorStoreIndex.from_vector_store(
            ChromaVectorStore(chroma_collection=store.collection), embed_model=embed_model
        )
        self._candidates = candidates
        self._top_k = top_k
        self._rrf_k = rrf_k
        self._reranker = reranker
        self.filters = Filters()

    def sync(self) -> None:
        """Bring the lexical side in step with the store (cheap when nothing changed)."""
        self.lexical.sync(self._store)

    def store_is_empty(self) -> bool:
        """Whether there is nothing to retrieve from."""
        return self._store.count() == 0

    def document_meta(self, doc_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Each document's metadata (title, date, source), read off its head chunk."""
        ids = [chunk_id(d, 0) for d in dict.fromkeys(doc_ids)]
        got = self._store.collection.get(ids=ids, include=["metadatas"]) if ids else {}
        return {str(m["doc_id"]): dict(m) for m in got.get("metadatas") or [] if m}

    def companies(self) -> list[str]:
        """Every company named in the index's metadata, sorted."""
        self.lexical.sync(self._store)
        names = {
            name.strip()
            for record in self.lexical.records
            for name in str(record.meta.get("companies", "")).split(";")
        }
        return sorted(n for n in names if n)

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return self.search(query_bundle, self.filters)

    def search(self, query_bundle: QueryBundle, filters: Filters) -> list[NodeWithScore]:
        """Retrieve with explicit filters (safe when threads share this retriever)."""
        self.lexical.sync(self._store)
        where, allowed = self._resolve(filters)
        if allowed is not None and not allowed:
            return []
        records = self.lexical.records
        dense = self._dense(query_bundle, records, where, allowed)
        lexical = self.lexical.search(query_bundle.query_str, self._candidates, allowed)

        fused: dict[str, float] = {}
        nodes: dict[str, TextNode] = {}
        similarity: dict[str, float] = {}
        for rank, (node, cosine) in enumerate(dense):
            node_id = node.node_id
            fused[node_id] = fused.get(node_id, 0.0) + 1.0 / (self._rrf_k + rank + 1)
            nodes[node_id] = node
            similarity[node_id] = cosine
        for rank, (position, _score) in enumerate(lexical):
            record = records[position]
            fused[record.chunk_id] = fused.get(record.chunk_id, 0.0) + 1.0 / (
                self._rrf_k + rank + 1
            )
            if record.chunk_id not in nodes:
                nodes[record.chunk_id] = _node(record)
        ranked = sorted(fused, key=lambda i: (-fused[i], i))
        out = []
        for node_id in ranked[: self._top_k * (3 if self._reranker else 1)]:
            node = nodes[node_id]
            node.metadata["similarity"] = similarity.get(node_id)
            out.append(NodeWithScore(node=node, score=fused[node_id]))
        if self._reranker is not None:
            out = self._reranker.postprocess_nodes(out, query_bundle=query_bundle)
        return out[: self._top_k]

    def _dense(
        self,
        query_bundle: QueryBundle,
        records: Sequence[Any],
        where: dict[str, Any] | None,
        allowed: list[int] | None,
    ) -> list[tuple[TextNode, float]]:
        """The dense side's hits, best first, with their cosine similarity: every chunk of
        `records` (the lexical index's, in its order) scored where the index holds their
        embeddings (the same hits on every run), else Chroma's HNSW index through llama-index's
        vector retriever."""
        if self.lexical.exact:
            vector = query_bundle.embedding or self.embed_model.get_query_embedding(
                query_bundle.query_str
            )
            hits = self.lexical.nearest(vector, self._candidates, allowed)
            return [(_node(records[position]), cosine) for position, cosine in hits]
        found = self._index.as_retriever(
            similarity_top_k=self._candidates,
            vector_store_kwargs={"where": where} if where else {},
        ).retrieve(query_bundle)
        # ChromaVectorStore reports exp(-distance); cosine distance is 1 - cos.
        return [
            (hit.node, 1.0 + math.log(max(hit.score or 1e-9, 1e-9)))  # type: ignore[misc]
            for hit in found
        ]

    def _resolve(self, filters: Filters) -> tuple[dict[str, Any] | None, list[int] | None]:
        """The Chroma `where` and the lexical positions allowed by the filters."""
        if not filters:
            return None, None
        records = self.lexical.records
        keep = [True] * len(records)
        clauses: list[dict[str, Any]] = []
        if filters.company:
            wanted = filters.company.strip().lower()
            docs = sorted(
                {r.doc_id for r in records if wanted in str(r.meta.get("companies", "")).lower()}
            )
            if not docs:
                known = ", ".join(self.companies()[:12])
                raise BriefqaError(
                    f"no brief names a company like {filters.company!r}; known: {known}"
                )
            clauses.append({"doc_id": {"$in": docs}})
            keep = [k and r.doc_id in set(docs) for k, r in zip(keep, records, strict=True)]
        if filters.since:
            low = date_number(filters.since)
            clauses.append({"date_num": {"$gte": low}})
            keep = [
                k and int(r.meta.get("date_num", 0)) >= low
                for k, r in zip(keep, records, strict=True)
            ]
        if filters.until:
            high = date_number(filters.until, end=True)
            clauses.append({"date_num": {"$lte": high}})
            keep = [
                k and int(r.meta.get("date_num", 0)) <= high
                for k, r in zip(keep, records, strict=True)
            ]
        where = clauses[0] if len(clauses) == 1 else {"$and": clauses}
        return where, [i for i, k in enumerate(keep) if k]


def _node(record: Any) -> TextNode:
    from llama_index.core.vector_stores.utils import metadata_dict_to_node

    node = metadata_dict_to_node(dict(record.meta))
    node.set_content(record.text)
    return node  # type: ignore[return-value]
