"""Keep the deal ledger in step with the briefs: extract what changed, drop what is gone.

Each brief's rows are written in their own transaction (`Ledger.replace`), so a run killed
mid-way leaves whole briefs only, and the next run extracts the rest. A brief whose recorded hash
matches is not touched, so a re-ingest of an unchanged corpus writes nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from tqdm import tqdm

from ingest.loaders import Brief
from rag.ledger.db import EXTRACTOR_VERSION
from rag.ledger.extract import BriefText, extract_events
from rag.pipeline import Pipeline


def ledger_hash(doc_hash: str) -> str:
    """The hash recorded per brief: the document's and the extractor's version."""
    return f"{doc_hash}|ledger-{EXTRACTOR_VERSION}"


def sync_ledger(
    pipeline: Pipeline,
    briefs: Iterable[tuple[Brief, str]],
    deleted: Iterable[str],
    progress: bool,
) -> int:
    """Extract every brief whose ledger hash is stale; delete `deleted`. Returns briefs written."""
    ledger = pipeline.ledger
    ledger.delete(deleted)
    recorded = ledger.hashes()
    hashed = [(b, ledger_hash(h)) for b, h in briefs]
    stale = [(b, h) for b, h in hashed if recorded.get(b.doc_id) != h]
    bar = tqdm(stale, desc="deals", unit="brief", disable=not progress or not stale,
               file=sys.stderr)  # fmt: skip
    known = tuple(sorted({c for b, _ in hashed for c in b.companies}))
    for brief, digest in bar:
        text = BriefText(brief.doc_id, brief.text, brief.title, brief.date, brief.companies,
                         known_companies=known)  # fmt: skip
        ledger.replace(brief.doc_id, digest, extract_events(text))
    return len(stale)
