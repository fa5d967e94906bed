"""Prompt building and question condensing: pure functions over text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rag.types import Passage

SYSTEM_PROMPT = (
    "You answer questions about pharma and biotech news briefs using only the numbered "
    "passages. Copy names and figures exactly as written. Cite the passage you used like [1]. "
    "Answer in one or two short sentences. If the passages do not answer the question, reply "
    "exactly: The briefs don't say."
)


@dataclass(frozen=True)
class Turn:
    """One message of a conversation."""

    role: str  # "user" or "assistant"
    content: str


def condense_question(question: str, history: Sequence[Turn]) -> str:
    """The question to retrieve with: a follow-up carries the previous question's subject.

    The small embedded model cannot be trusted to rewrite questions, so the last user turn is
    prepended; both retrievers then see the entities the follow-up leaves out.
    """
    previous = previous_question(history)
    return f"{previous} {question.strip()}" if previous else question.strip()


def previous_question(history: Sequence[Turn]) -> str:
    """The conversation's last user question (empty when there is none)."""
    previous = [t.content for t in history if t.role == "user" and t.content.strip()]
    return previous[-1].strip() if previous else ""


def format_passages(passages: Sequence[Passage]) -> str:
    """Passages numbered [1]..[k] with their title and date."""
    blocks = []
    for n, passage in enumerate(passages, start=1):
        heading = f"[{n}] {passage.title}" + (f" ({passage.date})" if passage.date else "")
        blocks.append(f"{heading}\n{' '.join(passage.text.split())}")
    return "\n\n".join(blocks)


def build_messages(
    question: str, passages: Sequence[Passage], history: Sequence[Turn] = ()
) -> list[tuple[str, str]]:
    """(role, content) messages: system rules, then passages, earlier turn and the question."""
    context = ""
    previous = [t for t in history if t.content.strip()][-2:]
    if previous:
        context = (
            "Earlier in this conversation:\n"
            + "\n".join(f"{t.role}: {t.content.strip()}" for t in previous)
            + "\n\n"
        )
    user = f"Passages:\n{format_passages(passages)}\n\n{context}Question: {question.strip()}"
    return [("system", SYSTEM_PROMPT), ("user", user)]
