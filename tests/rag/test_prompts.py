"""Prompt building and question condensing (pure), and the reranker's install hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.errors import ModelUnavailableError
from rag.pipeline import build_pipeline
from rag.prompts import Turn, build_messages, condense_question
from rag.settings import Settings
from rag.types import Passage
from tests.conftest import HashingEmbedding


def _passage(title: str, date: str, text: str) -> Passage:
    return Passage("d#0", "d", title, date, "Wire", text, 0, 0.5)


def test_prompts_number_passages_with_title_and_date() -> None:
    messages = build_messages(
        "What upfront?",
        [_passage("CT053 deal", "2023-01-03", "RMB 200 million."), _passage("Other", "", "x")],
    )
    system, user = messages
    assert system[0] == "system" and "[1]" in system[1]
    assert "[1] CT053 deal (2023-01-03)\nRMB 200 million." in user[1]
    assert "[2] Other\nx" in user[1]
    assert user[1].rstrip().endswith("Question: What upfront?")


def test_prompts_follow_up_carries_the_previous_question() -> None:
    history = [Turn("user", "What upfront for CT053?"), Turn("assistant", "RMB 200 million.")]
    assert condense_question("And the milestones?", history) == (
        "What upfront for CT053? And the milestones?"
    )
    assert condense_question("  Plain?  ", []) == "Plain?"
    user = build_messages("And the milestones?", [], history)[1][1]
    assert "user: What upfront for CT053?" in user and "assistant: RMB 200 million." in user


def test_prompts_missing_reranker_has_a_hint(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, reranker_model=str(tmp_path / "no-such-model"))
    pipeline = build_pipeline(settings, embed_model=HashingEmbedding())
    with pipeline, pytest.raises(ModelUnavailableError, match="BRIEFQA_RERANKER_MODEL"):
        pipeline.retriever  # noqa: B018
