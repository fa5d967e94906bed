"""The evaluation gold set (eval/gold.jsonl): schema, coverage, and answers grounded in the corpus.

Every answerable question's answer groups must each have a variant that occurs in one of the
question's cited briefs (case-insensitive, whitespace-collapsed), so the gold set cannot drift
away from the corpus unnoticed. No models are needed.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

from ingest.loaders import SIDECAR_SUFFIX, load_brief

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "eval" / "gold.jsonl"
CORPUS = REPO / "corpus"
MAX_BYTES = 5_000_000

TYPES = (
    "amount",
    "date",
    "name",
    "regulatory",
    "list",
    "multi-brief",
    "follow-up",
    "paraphrase",
    "unanswerable",
)
MIN_PER_TYPE = 8
MIN_UNANSWERABLE = 12
MIN_QUESTIONS = 100
REQUIRED_KEYS = {"id", "question", "answers", "doc_ids", "type"}
OPTIONAL_KEYS = {"history"}

FIRST = {
    "id": "q001",
    "question": "What upfront payment will CARsgen receive from Huadong Medicine for CT053?",
    "answers": [["200 million"], ["29.5 million"]],
    "doc_ids": ["briefs/2023-01-ct053-carsgen-huadong"],
    "type": "amount",
}


def _norm(text: str) -> str:
    """Case-folded, with every whitespace run collapsed to one space."""
    return " ".join(text.split()).casefold()


@cache
def _gold() -> tuple[dict[str, Any], ...]:
    rows: list[dict[str, Any]] = []
    for number, line in enumerate(GOLD.read_text(encoding="utf-8").splitlines(), 1):
        assert line.strip(), f"line {number} is blank"
        row = json.loads(line)
        assert isinstance(row, dict), f"line {number} is not a JSON object"
        rows.append(row)
    return tuple(rows)


@cache
def _corpus() -> dict[str, str]:
    """doc_id -> normalised text, loaded exactly as the product loads briefs."""
    docs: dict[str, str] = {}
    for path in sorted((CORPUS / "briefs").rglob("*")):
        if not path.is_file() or path.name.endswith(SIDECAR_SUFFIX):
            continue
        brief = load_brief(path, CORPUS, MAX_BYTES)
        assert brief.doc_id not in docs, f"duplicate doc id {brief.doc_id}"
        docs[brief.doc_id] = _norm(brief.text)
    return docs


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def test_gold_lines_parse_with_schema() -> None:
    rows = _gold()
    assert rows, "gold set is empty"
    for row in rows:
        qid = row.get("id")
        keys = set(row)
        assert keys >= REQUIRED_KEYS, f"{qid}: missing {REQUIRED_KEYS - keys}"
        extra = keys - REQUIRED_KEYS - OPTIONAL_KEYS
        assert not extra, f"{qid}: unknown keys {extra}"
        assert isinstance(qid, str) and qid.startswith("q") and qid[1:].isdigit(), qid
        assert isinstance(row["question"], str) and row["question"].strip(), qid
        assert row["type"] in TYPES, f"{qid}: unknown type {row['type']!r}"
        answers = row["answers"]
        assert isinstance(answers, list), qid
        for group in answers:
            assert _is_str_list(group) and group, f"{qid}: bad answer group {group!r}"
        assert _is_str_list(row["doc_ids"]), f"{qid}: doc_ids must be a list of strings"
        assert len(set(row["doc_ids"])) == len(row["doc_ids"]), f"{qid}: repeated doc_id"


def test_gold_ids_are_unique_and_sequential() -> None:
    ids = [row["id"] for row in _gold()]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    assert ids == [f"q{n:03d}" for n in range(1, len(ids) + 1)]


def test_gold_first_question_is_the_seed_upfront() -> None:
    assert _gold()[0] == FIRST


def test_gold_has_enough_questions() -> None:
    assert len(_gold()) >= MIN_QUESTIONS


def test_gold_each_type_has_enough_questions() -> None:
    counts = Counter(row["type"] for row in _gold())
    for typ in TYPES:
        need = MIN_UNANSWERABLE if typ == "unanswerable" else MIN_PER_TYPE
        assert counts[typ] >= need, f"{typ}: {counts[typ]} < {need}"


def test_gold_history_only_on_follow_ups() -> None:
    for row in _gold():
        qid = row["id"]
        if row["type"] != "follow-up":
            assert "history" not in row, f"{qid}: history on a {row['type']} question"
            continue
        history = row.get("history")
        assert isinstance(history, list) and len(history) >= 2, f"{qid}: follow-up needs history"
        assert len(history) % 2 == 0, f"{qid}: history must be whole user/assistant turns"
        for i, turn in enumerate(history):
            assert isinstance(turn, dict) and set(turn) == {"role", "content"}, f"{qid}: {turn!r}"
            assert turn["role"] == ("user" if i % 2 == 0 else "assistant"), f"{qid}: turn {i}"
            assert isinstance(turn["content"], str) and turn["content"].strip(), f"{qid}: turn {i}"


def test_gold_unanswerable_questions_have_no_answers() -> None:
    for row in _gold():
        if row["type"] == "unanswerable":
            assert row["answers"] == [], f"{row['id']}: unanswerable but has answers"
        else:
            assert row["answers"], f"{row['id']}: answerable type without answers"
            assert row["doc_ids"], f"{row['id']}: answerable question cites no brief"


def test_gold_multi_brief_questions_cite_several_briefs() -> None:
    for row in _gold():
        if row["type"] == "multi-brief":
            assert len(row["doc_ids"]) >= 2, f"{row['id']}: multi-brief cites one brief"


def test_gold_doc_ids_exist() -> None:
    corpus = _corpus()
    for row in _gold():
        missing = [d for d in row["doc_ids"] if d not in corpus]
        assert not missing, f"{row['id']}: unknown doc_ids {missing}"


def test_gold_covers_every_brief() -> None:
    cited = {d for row in _gold() for d in row["doc_ids"]}
    uncovered = sorted(set(_corpus()) - cited)
    assert not uncovered, f"briefs no question cites: {uncovered}"


def test_gold_answers_grounded_in_cited_briefs() -> None:
    corpus = _corpus()
    problems: list[str] = []
    for row in _gold():
        texts = [corpus[d] for d in row["doc_ids"] if d in corpus]
        for group in row["answers"]:
            if not any(_norm(v) in text for v in group for text in texts):
                problems.append(f"{row['id']}: no variant of {group} in {row['doc_ids']}")
    assert not problems, "\n".join(problems)
