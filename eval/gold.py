"""Gold question/answer pairs (`eval/gold.jsonl`): loading with line-numbered problems."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TYPES = (
    "amount", "date", "name", "regulatory", "list", "multi-brief", "follow-up", "paraphrase",
    "unanswerable",
)  # fmt: skip


@dataclass(frozen=True)
class GoldItem:
    """One gold question. Empty `answers` means the corpus cannot answer: abstaining is right."""

    id: str
    question: str
    answers: tuple[tuple[str, ...], ...]
    doc_ids: tuple[str, ...]
    type: str
    history: tuple[tuple[str, str], ...] = field(default=())

    @property
    def answerable(self) -> bool:
        """Whether the corpus answers it."""
        return bool(self.answers)


def load_gold(path: Path) -> tuple[list[GoldItem], list[str]]:
    """Parse a gold file; malformed lines are skipped and reported as `line N: reason`."""
    items: list[GoldItem] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = _parse(json.loads(line))
        except (ValueError, TypeError, KeyError) as exc:
            problems.append(f"line {number}: {exc}")
            continue
        if item.id in seen:
            problems.append(f"line {number}: duplicate id {item.id!r}")
            continue
        seen.add(item.id)
        items.append(item)
    return items, problems


def _parse(raw: Any) -> GoldItem:
    if not isinstance(raw, dict):
        raise ValueError("not a JSON object")
    missing = {"id", "question", "answers", "doc_ids", "type"} - set(raw)
    if missing:
        raise ValueError(f"missing keys {sorted(missing)}")
    answers = raw["answers"]
    if not isinstance(answers, list) or not all(
        isinstance(g, list) and g and all(isinstance(v, str) for v in g) for g in answers
    ):
        raise ValueError("answers must be a list of non-empty lists of strings")
    history = tuple((str(t["role"]), str(t["content"])) for t in raw.get("history") or [])
    if not isinstance(raw["question"], str) or not raw["question"].strip():
        raise ValueError("question must be a non-empty string")
    return GoldItem(
        id=str(raw["id"]),
        question=raw["question"],
        answers=tuple(tuple(g) for g in answers),
        doc_ids=tuple(str(d) for d in raw["doc_ids"]),
        type=str(raw["type"]),
        history=history,
    )
