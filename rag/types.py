"""The small frozen types that cross from `rag` into the CLI, `ui` and `eval`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk, numbered in the prompt by its position (1-based)."""

    chunk_id: str
    doc_id: str
    title: str
    date: str
    source: str
    text: str
    start: int  # character offset of the chunk in its document's text
    score: float  # fused retrieval score (higher is better)
    similarity: float | None = None  # dense cosine similarity, when the dense side found it
    header: str = ""  # the header line of a table the chunk starts inside, above the chunk


@dataclass(frozen=True)
class Citation:
    """A numbered source under an answer; `span` locates the supporting sentence in the document."""

    n: int
    doc_id: str
    title: str
    date: str
    source: str
    text: str
    quote: str
    span: tuple[int, int]


@dataclass(frozen=True)
class Answer:
    """What a question gets back, whatever the backend."""

    question: str
    text: str
    abstained: bool
    citations: tuple[Citation, ...]
    retrieved: tuple[tuple[str, float], ...]  # (doc_id, score) in rank order, one per document
    backend: str
    repaired: bool = False
    notice: str = ""  # e.g. why the LLM was not used
    passages: tuple[Passage, ...] = ()  # what was shown to the LLM (closest passages on abstain)
    timings: dict[str, float] = field(default_factory=dict)
    # quoted: the reader's spans, quoted from the sources; written: an LLM's text that passed the
    # grounding check and agrees with the reader; declined: the briefs do not say
    mode: str = "quoted"

    def to_json(self) -> dict[str, Any]:
        """The `--json` / API form."""
        return {
            "question": self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "repaired": self.repaired,
            "backend": self.backend,
            "notice": self.notice,
            "mode": self.mode,
            "citations": [asdict(c) for c in self.citations],
            "retrieved_doc_ids": [doc for doc, _ in self.retrieved],
            "retrieved": [{"doc_id": d, "score": round(s, 6)} for d, s in self.retrieved],
            "passages": [asdict(p) for p in self.passages],
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
        }
