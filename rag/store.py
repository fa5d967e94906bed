"""The Chroma store: one collection of chunks, written by upsert, read by llama-index.

Records are written in llama-index's own layout (`node_to_metadata_dict`), so its
`ChromaVectorStore` reads them back as nodes. On top of that each chunk carries flat keys of ours
(`doc_id`, `doc_hash`, `chunk_index`, `chunk_count`, ...).

Crash safety without a second bookkeeping table: a document's head chunk (index 0) is its commit
record. A document is written as: removal of its old head, its other chunks (upsert), removal of
chunk ids it no longer has, then its new head. A head therefore always means the whole document it
describes is in; a run killed anywhere earlier leaves no head, so the document's chunks are
unaccounted for: the chunk total the heads claim disagrees with the collection count, a full scan
finds them and removes them, and the document is ingested again.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np
from filelock import FileLock, Timeout

from rag.errors import StoreBusyError, StoreUnavailableError
from rag.settings import Settings

_PAGE = 2000  # records per get() page: bounded responses from a Chroma server


@dataclass(frozen=True)
class Chunk:
    """One chunk ready to store: the text shown to readers and its llama-index metadata."""

    id: str
    text: str
    embedding: Sequence[float]
    metadata: dict[str, Any]


@dataclass(frozen=True)
class ChunkRecord:
    """A stored chunk as the lexical side and the filters need it."""

    chunk_id: str
    doc_id: str
    text: str
    meta: dict[str, Any]
    # its embedding, unit length, where the reader of the store asked for it (an array: left
    # out of comparisons and repr)
    vector: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class DocState:
    """What the store holds of one document, read from its head chunk."""

    doc_id: str
    doc_hash: str
    chunk_count: int
    title: str
    date: str


class ChromaStore:
    """A briefqa collection in an embedded Chroma folder or on a Chroma server."""

    def __init__(self, client: Any, collection: Any, location: str, lock: FileLock | None) -> None:
        self.client = client
        self.collection = collection
        self.location = location
        self._lock = lock

    @classmethod
    def open(cls, settings: Settings) -> ChromaStore:
        """Open (creating if needed) the configured collection; embedded stores are locked."""
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        lock: FileLock | None = None
        try:
            if settings.chroma_url:
                url = urlparse(settings.chroma_url)
                client = chromadb.HttpClient(
                    host=url.hostname or "127.0.0.1",
                    port=url.port or (443 if url.scheme == "https" else 8000),
                    ssl=url.scheme == "https",
                    settings=chroma_settings,
                )
                client.heartbeat()
            else:
                folder = settings.chroma_dir
                folder.mkdir(parents=True, exist_ok=True)
                lock = _acquire(folder)
                client = chromadb.PersistentClient(path=str(folder), settings=chroma_settings)
            # Cosine space: scores are comparable across queries; no embedding function, ever:
            # Chroma's default one downloads a model.
            collection = client.get_or_create_collection(
                name=settings.collection,
                embedding_function=None,
                metadata={"hnsw:space": "cosine"},
            )
        except StoreBusyError:
            raise
        except Exception as exc:
            if lock is not None:
                lock.release()
            hint = (
                "start the server (`chroma run --path DIR --port N`) or unset BRIEFQA_CHROMA_URL"
                if settings.chroma_url
                else "check the folder's permissions and free disk space"
            )
            raise StoreUnavailableError(
                f"cannot open the Chroma store at {settings.store_location}: {exc}; {hint}"
            ) from exc
        return cls(client, collection, settings.store_location, lock)

    def close(self) -> None:
        """Release the embedded store's lock (the process keeps no other handle worth closing)."""
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> ChromaStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading -----------------------------------------------------------------------------

    def count(self) -> int:
        """Number of chunks in the collection."""
        return int(self.collection.count())

    def meta(self) -> dict[str, Any]:
        """The collection's metadata (embedding model, last ingest time)."""
        return dict(self.collection.metadata or {})

    def documents(self) -> dict[str, DocState]:
        """Committed documents by id (read from head chunks only: O(documents))."""
        states: dict[str, DocState] = {}
        for _, meta in self._scan(where={"chunk_index": 0}):
            states[meta["doc_id"]] = DocState(
                doc_id=meta["doc_id"],
                doc_hash=meta.get("doc_hash", ""),
                chunk_count=int(meta.get("chunk_count", 0)),
                title=meta.get("title", ""),
                date=meta.get("date", ""),
            )
        return states

    def generation(self) -> str:
        """The stamp the last ingest left; re-read from the store, not from a cached handle."""
        fresh = self.client.get_collection(self.collection.name)
        return str((fresh.metadata or {}).get("generation", ""))

    def chunks_of(self, doc_ids: Sequence[str], vectors: bool = False) -> Iterator[ChunkRecord]:
        """Every chunk (text and metadata, and its embedding scaled to unit length when
        `vectors`) of these documents; all chunks when asked for all."""
        include: Any = ["documents", "metadatas", *(["embeddings"] if vectors else [])]
        for start in range(0, len(doc_ids), 100):
            where = {"doc_id": {"$in": list(doc_ids[start : start + 100])}}
            offset = 0
            while True:
                page = self.collection.get(where=where, include=include, limit=_PAGE, offset=offset)
                embeddings = page.get("embeddings") if vectors else None
                for n, (chunk, text, meta) in enumerate(
                    zip(page["ids"], page["documents"], page["metadatas"], strict=True)
                ):
                    vector = None
                    if embeddings is not None:
                        vector = np.asarray(embeddings[n], dtype=np.float32)
                        vector = vector / (float(np.linalg.norm(vector)) or 1.0)
                    yield ChunkRecord(chunk, meta["doc_id"], text, meta, vector)
                if len(page["ids"]) < _PAGE:
                    break
                offset += _PAGE

    def orphan_ids(self, committed: dict[str, DocState]) -> list[str]:
        """Chunk ids no committed head accounts for (left by a killed run); cheap when none."""
        if sum(s.chunk_count for s in committed.values()) == self.count():
            return []
        orphans = []
        for chunk_id, meta in self._scan(where=None):
            state = committed.get(meta.get("doc_id", ""))
            if state is None or meta.get("doc_hash") != state.doc_hash:
                orphans.append(chunk_id)
        return orphans

    def _scan(self, where: dict[str, Any] | None) -> Iterator[tuple[str, dict[str, Any]]]:
        offset = 0
        while True:
            page = self.collection.get(
                where=where, include=["metadatas"], limit=_PAGE, offset=offset
            )
            ids = page["ids"]
            yield from zip(ids, page["metadatas"] or [], strict=True)
            if len(ids) < _PAGE:
                return
            offset += _PAGE

    # -- writing -----------------------------------------------------------------------------

    def write_document(self, doc_id: str, chunks: Sequence[Chunk]) -> None:
        """Replace a document's chunks whole; the head chunk goes last (see module doc)."""
        self.write_documents([(doc_id, chunks)])

    def write_documents(self, documents: Sequence[tuple[str, Sequence[Chunk]]]) -> None:
        """Replace several documents whole in four store calls instead of four per document.

        The order keeps the commit protocol for every document of the batch: old heads out,
        other chunks in, stale ids out, new heads in last.
        """
        if not documents:
            return
        heads = [chunks[0] for _, chunks in documents]
        rest = [c for _, chunks in documents for c in chunks[1:]]
        new_ids = {c.id for _, chunks in documents for c in chunks}
        self._delete([h.id for h in heads])
        for start in range(0, len(rest), _PAGE):
            self._upsert(rest[start : start + _PAGE])
        stale = [i for i in self._ids_of([d for d, _ in documents]) if i not in new_ids]
        if stale:
            self._delete(stale)
        self._upsert(heads)

    def delete_document(self, doc_id: str) -> None:
        """Remove every chunk of a document, head first so a killed run is seen as incomplete."""
        ids = self._ids_of([doc_id])
        head = [i for i in ids if i == chunk_id(doc_id, 0)]
        if head:
            self._delete(head)
        if ids:
            self._delete(ids)

    def delete_ids(self, ids: Sequence[str]) -> None:
        """Remove chunks by id."""
        for start in range(0, len(ids), _PAGE):
            self._delete(ids[start : start + _PAGE])

    def update_meta(self, **values: Any) -> None:
        """Record facts about the index (embedding model, last ingest) on the collection."""
        merged = {**self.meta(), **values}
        merged.pop("hnsw:space", None)  # fixed at creation; Chroma refuses to change it
        self.collection.modify(metadata=merged)

    def recreate(self) -> None:
        """Drop the collection and start an empty one with the same name."""
        name = self.collection.name
        self.client.delete_collection(name)
        self.collection = self.client.get_or_create_collection(
            name=name, embedding_function=None, metadata={"hnsw:space": "cosine"}
        )

    def _ids_of(self, doc_ids: Sequence[str]) -> list[str]:
        ids: list[str] = []
        for start in range(0, len(doc_ids), 100):
            where = {"doc_id": {"$in": list(doc_ids[start : start + 100])}}
            ids.extend(self.collection.get(where=where, include=[])["ids"])
        return ids

    def _delete(self, ids: Sequence[str]) -> None:
        self.collection.delete(ids=list(ids))

    def _upsert(self, chunks: Sequence[Chunk]) -> None:
        self.collection.upsert(
            ids=[c.id for c in chunks],
            embeddings=[list(c.embedding) for c in chunks],
            documents=[c.text for c in chunks],
            metadatas=[c.metadata for c in chunks],
        )


def chunk_id(doc_id: str, index: int) -> str:
    """The stable id of a document's chunk: `<doc id>#<n>`."""
    return f"{doc_id}#{index}"


def _acquire(folder: Path) -> FileLock:
    """Own the embedded store: Chroma's embedded mode is single-process."""
    lock = FileLock(str(folder / "briefqa.lock"))
    owner = folder / "briefqa.owner"
    try:
        lock.acquire(timeout=0)
    except Timeout:
        who = owner.read_text().strip() if owner.exists() else "another process"
        raise StoreBusyError(
            f"the store at {folder.resolve()} is in use by {who}; stop that process or send your "
            "request to it (the page or the API of `briefqa serve`)"
        ) from None
    # The OS drops the lock when the process dies (kill -9 included), so it is never stale.
    owner.write_text(f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
    return lock
