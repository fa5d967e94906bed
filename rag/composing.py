"""Composing an `Answer`: the reader's short spans with their markers, or an LLM's checked text,
and the numbered sources each marker points at (the supporting sentence as the quote)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from rag.grounding import Grounded
from rag.reading.compose import Finding
from rag.reading.reader import Reading
from rag.types import Answer, Citation, Passage


def compose(
    question: str,
    reading: Reading,
    pool: Sequence[Passage],
    retrieved: tuple[tuple[str, float], ...],
    backend: str,
    top_k: int,
) -> tuple[list[Passage], Answer]:
    """The passages to show (those the findings cite first, then the best others up to
    `top_k`) and the reader's answer: `RMB 200 million (USD 29.5 million) [1]`, a list of such
    spans, or the supporting sentence quoted when no span is sure enough."""
    order = list(dict.fromkeys(f.passage for f in reading.findings))
    order += [i for i in range(len(pool)) if i not in order][: max(0, top_k - len(order))]
    shown = [pool[i] for i in order]
    number = {old: new for new, old in enumerate(order, start=1)}
    parts = []
    for finding in reading.findings:
        marker = f"[{number[finding.passage]}]"
        if finding.quoted:
            cut = finding.answer != finding.sentence
            body = " ".join(finding.text.split())
            parts.append(f"“{'…' if cut and finding.answer[0] > finding.sentence[0] else ''}{body}"
                         f"{'…' if cut and finding.answer[1] < finding.sentence[1] else ''}” "
                         f"{marker}")  # fmt: skip
        else:
            parts.append(f"{' '.join(finding.text.split())} {marker}")
    citations = []
    for finding in _first_per_passage(reading.findings):
        p = pool[finding.passage]
        a, b = finding.sentence
        citations.append(
            Citation(number[finding.passage], p.doc_id, p.title, p.date, p.source, p.text,
                     p.text[a:b], (p.start + a, p.start + b))
        )  # fmt: skip
    citations.sort(key=lambda c: c.n)
    text = "; ".join(parts)
    if len(parts) > 1 and not reading.findings[0].quoted and reading.findings[1].quoted:
        text = f"{parts[0]} — {'; '.join(parts[1:])}"  # a leading span, then its support
    answer = Answer(question, text, False, tuple(citations), retrieved, backend,
                    passages=tuple(shown), mode="quoted")  # fmt: skip
    return shown, answer


def written_answer(quoted: Answer, grounded: Grounded, shown: Sequence[Passage]) -> Answer:
    """An LLM's checked answer, its markers renumbered by first use, each citing the passage
    sentence that carries it."""
    text, order = grounded.render()
    citations = []
    for new_n, old_n in enumerate(order, start=1):
        p = shown[old_n - 1]
        a, b = next(
            q for s in grounded.sentences for c, q in zip(s.cites, s.quotes, strict=True)
            if c == old_n
        )  # fmt: skip
        citations.append(
            Citation(new_n, p.doc_id, p.title, p.date, p.source, p.text, p.text[a:b],
                     (p.start + a, p.start + b))
        )  # fmt: skip
    return replace(quoted, text=text, citations=tuple(citations), mode="written")


def _first_per_passage(findings: Sequence[Finding]) -> list[Finding]:
    seen: set[int] = set()
    out = []
    for finding in findings:
        if finding.passage not in seen:
            seen.add(finding.passage)
            out.append(finding)
    return out
