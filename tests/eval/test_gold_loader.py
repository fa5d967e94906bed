"""The gold loader (`eval/gold.py`): optional keys, other sets' types, and problems in words."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eval.gold import GoldLineError, load_gold, parse_gold_line

GOOD: dict[str, Any] = {
    "id": "q1", "question": "How much upfront?", "answers": [["9 million"]],
    "doc_ids": ["2024-01-a"], "type": "amount",
}  # fmt: skip
_DROP = object()  # a key to leave out of the line


def _problem(**changes: Any) -> str:
    row = {k: v for k, v in {**GOOD, **changes}.items() if v is not _DROP}
    with pytest.raises(GoldLineError) as info:
        parse_gold_line(json.dumps(row))
    return str(info.value)


def test_gold_loader_accepts_missing_doc_ids_as_empty() -> None:
    item = parse_gold_line(json.dumps({k: v for k, v in GOOD.items() if k != "doc_ids"}))
    assert item.doc_ids == () and item.answerable


def test_gold_loader_accepts_types_of_other_sets() -> None:
    assert parse_gold_line(json.dumps({**GOOD, "type": "squad"})).type == "squad"


def test_gold_loader_reads_any_group() -> None:
    assert parse_gold_line(json.dumps({**GOOD, "any_group": True})).any_group
    assert not parse_gold_line(json.dumps(GOOD)).any_group
    assert '"any_group" must be true or false (got "yes")' in _problem(any_group="yes")


def test_gold_loader_reads_history_turns() -> None:
    turns = [{"role": "user", "content": "Who?"}, {"role": "assistant", "content": "Acme."}]
    item = parse_gold_line(json.dumps({**GOOD, "history": turns}))
    assert item.history == (("user", "Who?"), ("assistant", "Acme."))


def test_gold_loader_says_which_history_turn_lacks_a_role() -> None:
    message = _problem(history=[{"content": "Who?"}])
    assert message == (
        'history turn 1 has no "role" (each turn needs "role": "user"|"assistant" and "content")'
    )
    assert 'history turn 2 has no "content"' in _problem(
        history=[{"role": "user", "content": "a"}, {"role": "assistant"}]
    )
    assert 'has "role" "bot"; use "user" or "assistant"' in _problem(
        history=[{"role": "bot", "content": "a"}]
    )
    assert "history turn 1 must be an object" in _problem(history=["Who?"])
    assert '"history" must be a list of turns' in _problem(history="Who?")


def test_gold_loader_says_what_answers_must_look_like() -> None:
    message = _problem(answers="9 million")
    assert message.startswith('"answers" must be a list of answer groups')
    assert "[] for an unanswerable question" in message and '(got "9 million")' in message
    assert 'group 1 is the string "9 million"; put it in a list: ["9 million"]' in _problem(
        answers=["9 million"]
    )
    assert '"answers" group 2 must be a non-empty list of strings (got [])' in _problem(
        answers=[["a"], []]
    )
    assert '"answers" group 1, variant 2 must be a non-empty string (got 9)' in _problem(
        answers=[["a", 9]]
    )


def test_gold_loader_says_what_question_doc_ids_and_type_must_be() -> None:
    assert '"question" must be a non-empty string' in _problem(question=12)
    assert "(got 12)" in _problem(question=12)
    assert '"question" must be a non-empty string' in _problem(question="  ")
    doc_ids = _problem(doc_ids="2024-01-a")
    assert doc_ids.startswith('"doc_ids" must be a list of document ids (strings)')
    assert 'leave it out or use [] when unknown (got "2024-01-a")' in doc_ids
    assert '"type" must be a non-empty string' in _problem(type=None)


def test_gold_loader_names_missing_keys_and_bad_json() -> None:
    message = _problem(question=_DROP, type=_DROP)
    assert message.startswith('no "question", "type" (every line needs id, question, answers, type')
    with pytest.raises(GoldLineError, match=r"not valid JSON \(.* at column 2\); each line"):
        parse_gold_line("{not json")
    with pytest.raises(GoldLineError, match="a JSON list, not an object"):
        parse_gold_line("[1, 2]")


def test_gold_loader_numbers_problems_by_line(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    rows = [GOOD, {**GOOD, "id": "q2", "history": [{"content": "x"}]}, GOOD]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    items, problems = load_gold(path)
    assert [i.id for i in items] == ["q1"]
    assert problems == [
        'line 2: history turn 1 has no "role" '
        '(each turn needs "role": "user"|"assistant" and "content")',
        "line 3: duplicate id 'q1' (ids must be unique)",
    ]


def test_gold_loader_reads_the_project_gold_set() -> None:
    items, problems = load_gold(Path(__file__).resolve().parents[2] / "eval" / "gold.jsonl")
    assert not problems and len(items) >= 100
