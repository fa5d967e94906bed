"""Split a brief into sentence-aware chunks (llama-index `SentenceSplitter`) with stable ids.

Each chunk knows its document, its character span in the document text, and carries the title
and date into what is embedded, so a passage that never names the company still retrieves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from llama_index.core import Document
from llama_index.core.node_parser import SentenceSplitter
from llama_index.core.schema import TextNode

from ingest.loaders import Brief
from rag.reading.tables import Layout, layout
from rag.store import chunk_id

#: Metadata that goes into the embedded text (the rest is bookkeeping); a table's header only
#: where the chunk starts inside the table, so its rows retrieve by what their columns are.
EMBED_KEYS = ("title", "date", "table_header")
#: Metadata an LLM sees next to the passage.
LLM_KEYS = ("title", "date", "source")


#: Where a sentence too long for one chunk is cut: at a line's end or a clause's comma, full stop
#: or semicolon, never at the point or comma inside a number. llama-index's default cuts at any
#: "." or ",", so a table (one "sentence" to its tokenizer) lost "| 512.3 |" to "| 512." at a
#: chunk's end, and a quoted figure must never be a cut one.
CLAUSES = r"[^,.;。？！\n]+(?:[,.](?=\d)[^,.;。？！\n]*)*[,.;。？！\n]?|[,.;。？！\n]"


def make_splitter(
    chunk_size: int, chunk_overlap: int, tokenizer: Callable[[str], list[str]] | None = None
) -> SentenceSplitter:
    """A sentence-aware splitter; `tokenizer` should be the embedder's, so sizes fit its window."""
    return SentenceSplitter(
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        tokenizer=tokenizer or str.split,
        include_metadata=False,  # metadata is attached after splitting and sized separately
        include_prev_next_rel=False,
        secondary_chunking_regex=CLAUSES,
    )


def document_hash(brief: Brief, fingerprint: str) -> str:
    """The hash that decides re-ingestion: file content plus the settings chunks depend on."""
    return hashlib.sha256(f"{brief.content_hash}|{fingerprint}".encode()).hexdigest()[:32]


def _header_above(text: str, tables: Layout, start: int) -> str:
    """The header line of the table a chunk starts inside, when the header stands in an earlier
    chunk: the reader needs it to know what the chunk's rows' cells are ("" when none)."""
    at = start
    while at < len(text) and text[at].isspace():  # a chunk's text is trimmed; not its offset
        at += 1
    header = tables.header_of(at)
    return text[header[0] : header[1]].strip() if header is not None and header[0] < at else ""


def chunk_brief(brief: Brief, splitter: SentenceSplitter, doc_hash: str) -> list[TextNode]:
    """Split one brief into nodes with ids `<doc id>#<n>` and flat, Chroma-ready metadata."""
    document = Document(text=brief.text, id_=brief.doc_id)
    nodes = splitter.get_nodes_from_documents([document])
    date_num = int(brief.date.replace("-", "").ljust(8, "0")) if brief.date else 0
    tables = layout(brief.text)
    chunks: list[TextNode] = []
    for index, node in enumerate(nodes):
        assert isinstance(node, TextNode)
        node.id_ = chunk_id(brief.doc_id, index)
        node.metadata = {
            "title": brief.title,
            "date": brief.date,
            "source": brief.source,
            "companies": "; ".join(brief.companies),
            "tags": "; ".join(brief.tags),
            "doc_id": brief.doc_id,
            "path": brief.path,
            "doc_hash": doc_hash,
            "chunk_index": index,
            "chunk_count": len(nodes),
            "date_num": date_num,
            "table_header": _header_above(brief.text, tables, int(node.start_char_idx or 0)),
        }
        header = node.metadata["table_header"]
        node.excluded_embed_metadata_keys = [
            k for k in node.metadata if k not in EMBED_KEYS or (k == "table_header" and not header)
        ]
        node.excluded_llm_metadata_keys = [k for k in node.metadata if k not in LLM_KEYS]
        chunks.append(node)
    return chunks
