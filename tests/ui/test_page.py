"""The chat handler without a browser: draft then replacement, follow-ups, filters, errors."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from rag.errors import EmptyIndexError
from rag.prompts import Turn
from rag.retrieval import Filters
from rag.settings import Settings
from rag.types import Answer, Citation
from ui.page import EXAMPLES, build_app

QUOTE = "Acme will receive USD 10 million upfront."


class FakeAnswerer:
    """Streams an unverified draft, then a checked answer; records what it was asked."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[Turn], Filters | None]] = []
        self.fail: Exception | None = None

    def stream(
        self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None
    ) -> Iterator[str | Answer]:
        self.calls.append((question, list(history), filters))
        if self.fail is not None:
            raise self.fail
        yield "Acme gets USD 99 million"  # a wrong figure: only ever shown as a draft
        yield " [1]."
        citation = Citation(1, "briefs/acme", "Acme deal", "2024-05-01", "Wire", QUOTE, QUOTE,
                            (0, len(QUOTE)))  # fmt: skip
        yield Answer(question, f"“{QUOTE}” [1]", False, (citation,), (), "embedded", True)


class FakePipeline:
    """Just what the chat needs: settings and an answerer."""

    def __init__(self, tmp_path: Path) -> None:
        self.settings = Settings(data_dir=tmp_path / "data", corpus_dir=tmp_path / "corpus")
        self.answerer = FakeAnswerer()


@pytest.fixture
def chat(tmp_path: Path) -> tuple[Any, FakeAnswerer]:
    pipeline = FakePipeline(tmp_path)
    app = build_app(pipeline)
    respond = next(f.fn for f in app.fns.values() if f.name == "respond")
    return respond, pipeline.answerer


def _bubbles(update: tuple[Any, ...]) -> list[str]:
    return [m["content"] for m in update[0]]


def test_page_chat_streams_labelled_draft_then_replaces_it(chat: tuple[Any, Any]) -> None:
    respond, _ = chat
    updates = list(respond("How much will Acme get?", [], "", "", ""))
    assert "Searching the briefs" in _bubbles(updates[0])[-1]
    drafts = [_bubbles(u)[-1] for u in updates[1:-1]]
    assert drafts and all("Draft, not yet checked" in d for d in drafts)
    assert "USD 99 million" in drafts[-1]
    final, exchanges, box = updates[-1]
    assert box == "" and len(final) == 2
    assert "USD 99 million" not in final[-1]["content"] and "bq-draft" not in final[-1]["content"]
    assert (
        "USD 10 million" in final[-1]["content"] and "LLM answer set aside" in final[-1]["content"]
    )
    assert exchanges[0]["answer"] == f"“{QUOTE}” [1]"


def test_page_chat_passes_earlier_turns_and_filters(chat: tuple[Any, Any]) -> None:
    respond, answerer = chat
    *_, (_, exchanges, _) = respond("How much will Acme get?", [], "", "", "")
    list(respond("And milestones?", exchanges, "Acme", " 2024 ", "2024-12"))
    question, history, filters = answerer.calls[-1]
    assert question == "And milestones?"
    assert history == [Turn("user", "How much will Acme get?"), Turn("assistant", f"“{QUOTE}” [1]")]
    assert filters == Filters(company="Acme", since="2024", until="2024-12")
    list(respond("Again?", exchanges, "", "", ""))
    assert answerer.calls[-1][2] == Filters()


def test_page_chat_shows_errors_inline_and_keeps_them_out_of_history(
    chat: tuple[Any, Any],
) -> None:
    respond, answerer = chat
    answerer.fail = EmptyIndexError("the index is empty; run briefqa ingest")
    *_, (messages, exchanges, _) = respond("Anything?", [], "", "", "")
    assert "Could not answer: the index is empty; run briefqa ingest" in messages[-1]["content"]
    answerer.fail = RuntimeError("boom <b>")
    *_, (messages, exchanges, _) = respond("Again?", exchanges, "", "", "")
    assert messages[-1]["content"].endswith("internal error (RuntimeError)</div>")
    assert "Traceback" not in messages[-1]["content"] and len(messages) == 4
    answerer.fail = None
    list(respond("Third?", exchanges, "", "", ""))
    assert answerer.calls[-1][1] == []  # failed exchanges are not part of the conversation


def test_page_chat_ignores_blank_questions(chat: tuple[Any, Any]) -> None:
    respond, answerer = chat
    assert list(respond("   ", [], "", "", "")) == [([], [], "   ")]
    assert answerer.calls == []


def test_page_offers_the_ct053_example() -> None:
    assert "What upfront payment will CARsgen receive for CT053?" in EXAMPLES
