"""Gold question/answer pairs (`eval/gold.jsonl` and the development sets' `questions.jsonl`):
loading, with each malformed line reported as what is wrong and how to put it right."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The project's own question types; other sets bring their own (`squad`), which are accepted.
TYPES = (
    "amount", "date", "name", "regulatory", "list", "multi-brief", "follow-up", "paraphrase",
    "unanswerable",
)  # fmt: skip

REQUIRED = ("id", "question", "answers", "type")
OPTIONAL = ("doc_ids", "history", "any_group")
ROLES = ("user", "assistant")
_SHAPE = (
    '{"id": "q1", "question": "...", "answers": [["variant", ...], ...], "type": "amount"} '
    '(optional: "doc_ids", "history", "any_group")'
)


class GoldLineError(ValueError):
    """One gold line that cannot be used; the message says what to change."""


@dataclass(frozen=True)
class GoldItem:
    """One gold question. Empty `answers` means the corpus cannot answer: abstaining is right.

    Empty `doc_ids` means the set does not say which documents hold the answer, so retrieval and
    citation metrics leave the question out. `any_group` means one answer group suffices.
    """

    id: str
    question: str
    answers: tuple[tuple[str, ...], ...]
    doc_ids: tuple[str, ...]
    type: str
    history: tuple[tuple[str, str], ...] = field(default=())
    any_group: bool = False

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
            item = parse_gold_line(line)
        except GoldLineError as exc:
            problems.append(f"line {number}: {exc}")
            continue
        if item.id in seen:
            problems.append(f"line {number}: duplicate id {item.id!r} (ids must be unique)")
            continue
        seen.add(item.id)
        items.append(item)
    return items, problems


def parse_gold_line(line: str) -> GoldItem:
    """One JSON line as a `GoldItem`; raises `GoldLineError` saying what is wrong and the fix."""
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise GoldLineError(
            f"not valid JSON ({exc.msg} at column {exc.colno}); each line must be one JSON "
            f"object such as {_SHAPE}"
        ) from None
    if not isinstance(raw, dict):
        raise GoldLineError(f"a JSON {_kind(raw)}, not an object; each line must be {_SHAPE}")
    missing = [k for k in REQUIRED if k not in raw]
    if missing:
        keys = ", ".join(f'"{k}"' for k in missing)
        raise GoldLineError(f"no {keys} (every line needs {', '.join(REQUIRED)}; e.g. {_SHAPE})")
    any_group = raw.get("any_group", False)
    if not isinstance(any_group, bool):
        raise GoldLineError(f'"any_group" must be true or false (got {_show(any_group)})')
    return GoldItem(
        id=_id(raw["id"]),
        question=_text(raw["question"], "question", 'e.g. "What upfront did X pay?"'),
        answers=_answers(raw["answers"]),
        doc_ids=_doc_ids(raw.get("doc_ids")),
        type=_text(raw["type"], "type", 'such as "amount", "unanswerable" or a set\'s own type'),
        history=_history(raw.get("history")),
        any_group=any_group,
    )


def _id(value: Any) -> str:
    # JSON numbers are accepted as ids: `1` and `"1"` name the same question to a person.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _text(value, "id", 'e.g. "q001"')


def _text(value: Any, key: str, example: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise GoldLineError(f'"{key}" must be a non-empty string, {example} (got {_show(value)})')
    return value


def _answers(value: Any) -> tuple[tuple[str, ...], ...]:
    shape = (
        'a list of answer groups, each a non-empty list of acceptable strings, e.g. '
        '[["200 million"], ["29.5 million", "USD 29.5 million"]]; [] for an unanswerable question'
    )  # fmt: skip
    if not isinstance(value, list):
        raise GoldLineError(f'"answers" must be {shape} (got {_show(value)})')
    groups = []
    for n, group in enumerate(value, start=1):
        if isinstance(group, str):
            raise GoldLineError(
                f'"answers" group {n} is the string {_show(group)}; put it in a list: '
                f"[{_show(group)}] (answers must be {shape})"
            )
        if not isinstance(group, list) or not group:
            raise GoldLineError(
                f'"answers" group {n} must be a non-empty list of strings (got {_show(group)}); '
                f"answers must be {shape}"
            )
        for m, variant in enumerate(group, start=1):
            if not isinstance(variant, str) or not variant.strip():
                raise GoldLineError(
                    f'"answers" group {n}, variant {m} must be a non-empty string '
                    f"(got {_show(variant)})"
                )
        groups.append(tuple(group))
    return tuple(groups)


def _doc_ids(value: Any) -> tuple[str, ...]:
    if value is None:  # the set does not name the documents: retrieval metrics skip the line
        return ()
    if not isinstance(value, list) or not all(isinstance(d, str) and d.strip() for d in value):
        raise GoldLineError(
            '"doc_ids" must be a list of document ids (strings), e.g. '
            f'["briefs/2023-01-ct053-carsgen-huadong"]; leave it out or use [] when unknown '
            f"(got {_show(value)})"
        )
    return tuple(value)


def _history(value: Any) -> tuple[tuple[str, str], ...]:
    turn_shape = 'each turn needs "role": "user"|"assistant" and "content"'
    if value is None:
        return ()
    if not isinstance(value, list):
        raise GoldLineError(
            f'"history" must be a list of turns, e.g. [{{"role": "user", "content": "..."}}, '
            f'{{"role": "assistant", "content": "..."}}] (got {_show(value)})'
        )
    turns = []
    for n, turn in enumerate(value, start=1):
        if not isinstance(turn, dict):
            raise GoldLineError(
                f"history turn {n} must be an object, not {_show(turn)} ({turn_shape})"
            )
        for key in ("role", "content"):
            if key not in turn:
                raise GoldLineError(f'history turn {n} has no "{key}" ({turn_shape})')
        if turn["role"] not in ROLES:
            raise GoldLineError(
                f'history turn {n} has "role" {_show(turn["role"])}; use "user" or "assistant"'
            )
        if not isinstance(turn["content"], str):
            raise GoldLineError(
                f'history turn {n} "content" must be a string (got {_show(turn["content"])})'
            )
        turns.append((turn["role"], turn["content"]))
    return tuple(turns)


def _kind(value: Any) -> str:
    names = {list: "list", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _show(value: Any, width: int = 60) -> str:
    """The offending value as JSON, cut short: enough to find it on the line."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 3] + "..."
