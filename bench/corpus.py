"""What ingest sees of a folder: its briefs and the exact texts it embeds, from ingest's own parts.

Nothing here re-implements loading or chunking: files come from the runner's walk
(`ingest.runner._candidate_files`: hidden files, READMEs and sidecars left out), briefs from
`load_brief`, chunks from `make_splitter`/`chunk_brief` with the embedder's own tokenizer. If the
runner's walk is renamed, this import is the one line to follow it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ingest.chunking import chunk_brief, make_splitter
from ingest.loaders import Brief, SkipFile, load_brief
from ingest.runner import _candidate_files


def load_briefs(root: Path, max_bytes: int) -> list[Brief]:
    """The briefs `ingest_folder` loads from `root`, in its order (skipped files left out)."""
    root = root.resolve()
    briefs: dict[str, Brief] = {}
    for path in _candidate_files(root):
        try:
            brief = load_brief(path, root, max_bytes)
        except (SkipFile, OSError):
            continue
        briefs.setdefault(brief.doc_id, brief)  # the runner keeps the first of a duplicate id
    return list(briefs.values())


def embedded_texts(root: Path, settings: Any, embedder: Any) -> list[str]:
    """Exactly the texts a fresh `ingest_folder(root)` embeds, in the order it embeds them."""
    from llama_index.core.schema import MetadataMode

    from rag.embedding import token_counter

    briefs = load_briefs(root, int(settings.max_file_mb * 1e6))
    splitter = make_splitter(settings.chunk_size, settings.chunk_overlap, token_counter(embedder))
    # The document hash only lands in metadata that is excluded from the embedded text.
    return [
        node.get_content(metadata_mode=MetadataMode.EMBED)
        for brief in briefs
        for node in chunk_brief(brief, splitter, doc_hash="")
    ]
