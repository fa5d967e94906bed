"""A comparison across occasions: the split of the question (real spaCy), the brief each
occasion picks, and the answer holding each occasion's figure (real Chroma with the hashing
embedder: retrieval is not what is under test)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ingest.runner import ingest_folder
from rag.lexical import lexical_tokens
from rag.reading.occasions import comparison, occasion_briefs
from rag.types import Passage
from tests.conftest import write_brief


def _passage(doc_id: str, title: str, date: str, text: str) -> Passage:
    return Passage(f"{doc_id}#0", doc_id, title, date, "Test Wire", text, 0, 1.0)


def test_occasions_split_between_and_versus() -> None:
    between = comparison(
        "How did KB-7's response rate change between the March 2021 readout and the June 2024 "
        "approval?"
    )
    assert between is not None
    assert between.occasions == ("the March 2021 readout", "the June 2024 approval")
    assert "response rate" in between.asked and "2021" not in between.asked
    versus = comparison("KB-7 response rates: dose escalation vs pivotal ORION-3?")
    assert versus is not None and len(versus.occasions) == 2
    assert "escalation" in versus.occasions[0] and "ORION-3" in versus.occasions[1]
    assert comparison("How much did Orion pay Kestrel upfront for KB-7?") is None


def test_occasions_briefs_by_title_date_and_words() -> None:
    passages = [
        # the approval brief also names the earlier date and designation: its title and date win
        _passage("approval", "NMPA approves Kestrel's KB-7", "2024-06-03",
                 "The approval builds on the Breakthrough Therapy Designation of March 2021."),
        _passage("designation", "KB-7 gets Breakthrough Therapy Designation", "2021-03-10",
                 "The designation rests on a Phase 1 dose escalation study."),
    ]  # fmt: skip
    texts = {p.doc_id: frozenset(lexical_tokens(f"{p.title} {p.text}")) for p in passages}

    def doc_freq(term: str) -> int:
        return sum(term in terms for terms in texts.values())

    def picked(*occasions: str) -> tuple[str, ...] | None:
        return occasion_briefs(occasions, passages, doc_freq, 10, texts.__getitem__)

    assert picked("the March 2021 designation", "the June 2024 approval") == (
        "designation",
        "approval",
    )
    assert picked("dose escalation", "the approval") == ("designation", "approval")
    # both occasions in one brief: no comparison of briefs, the question is read as it stands
    assert picked("the designation", "the dose escalation") is None
    assert picked("the Lisbon launch", "the approval") is None  # an occasion no brief names


def test_occasions_the_answer_holds_each_occasions_figure(
    fake_pipeline: Any, tmp_path: Path
) -> None:
    root = tmp_path / "corpus"
    write_brief(root, "readout.md", "Kestrel Bio reports Phase 2 data for KB-7",
                "Kestrel Bio reported Phase 2 data for KB-7 in lung cancer. The overall response "
                "rate was 61.5% in 80 patients. Kestrel plans to file in China next year.",
                date="2021-03-10", companies=("Kestrel Bio",))  # fmt: skip
    write_brief(root, "approval.md", "NMPA approves Kestrel Bio's KB-7",
                "The NMPA approved KB-7 for lung cancer, building on the Phase 2 data reported "
                "in March 2021. With longer follow-up, the overall response rate was 58.2%. "
                "Kestrel will launch KB-7 in the third quarter.",
                date="2024-06-03", companies=("Kestrel Bio",))  # fmt: skip
    ingest_folder(fake_pipeline, root, progress=False)
    answer = fake_pipeline.ask(
        "How did the overall response rate of KB-7 change between the March 2021 Phase 2 "
        "readout and the June 2024 approval?"
    )
    assert not answer.abstained, answer.notice
    assert "61.5%" in answer.text and "58.2%" in answer.text, answer.text
    assert {c.doc_id for c in answer.citations} >= {"readout", "approval"}
