"""A regulator's decision asked of a brief that never reports one is declined: real spaCy, and
end to end through real Chroma and ledger with the hashing embedder (retrieval is not what is
under test)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ingest.runner import ingest_folder
from rag.ledger.decided import unreported
from tests.conftest import write_brief

DESIGNATED = [
    "Orsay's OR-9 receives FDA Breakthrough Therapy designation",
    "Orsay Bio said the US FDA granted Breakthrough Therapy designation to OR-9 in March 2025; "
    "its BLA was accepted by the NMPA in October 2025.",
]
APPROVED = ["The NMPA approved OR-9 on 2 May 2025 for relapsed multiple myeloma."]


def test_decided_declines_an_approval_the_brief_never_reports() -> None:
    for question in ("When did the FDA approve OR-9?", "When was OR-9 approved?",
                     "Who approved OR-9?", "What did the FDA approve OR-9 for?"):  # fmt: skip
        assert unreported(question, DESIGNATED).startswith("the closest brief reports no")
    assert unreported("When did the FDA approve OR-9?", DESIGNATED).endswith("no FDA approval")
    assert unreported("When was OR-9 designated?", APPROVED).endswith("no designation")


def test_decided_leaves_a_decision_the_brief_reports_and_other_questions() -> None:
    assert unreported("When did the NMPA approve OR-9?", APPROVED) == ""
    # an approval reported in other words than the question's
    for said in ("OR-9 won the NMPA's nod on 2 May 2025.", "The EMA granted OR-9 marketing "
                 "authorisation in May.", "The FDA cleared OR-9 in May.",
                 "OR-9 got the go-ahead from the NMPA in May."):  # fmt: skip
        assert unreported("When did the NMPA approve OR-9?", [said]) == "", said
    assert unreported("When did OR-9 receive Breakthrough Therapy designation?", DESIGNATED) == ""
    # after a sum the question asks about a deal, not the decision
    assert unreported("What milestone is due when the FDA approves OR-9?", DESIGNATED) == ""
    # joined asks, other kinds, and a decision asked after for nothing else
    assert unreported("When was OR-9 approved and what is its price?", DESIGNATED) == ""
    assert unreported("When did the NMPA accept the BLA for OR-9?", APPROVED) == ""
    assert unreported("Is OR-9 an approved drug?", DESIGNATED) == ""


def test_decided_declines_end_to_end_and_answers_a_reported_approval(
    fake_pipeline: Any, tmp_path: Path
) -> None:
    root = tmp_path / "corpus"
    write_brief(root, "or9.md", DESIGNATED[0], DESIGNATED[1], companies=("Orsay Bio",))
    write_brief(root, "tl.md", "Tellora's TL-205 approved in China",
                "The NMPA approved Tellora Bio's TL-205 on 12 June 2024 for gastric cancer.",
                companies=("Tellora Bio",))  # fmt: skip
    ingest_folder(fake_pipeline, root, progress=False)
    answer = fake_pipeline.ask("When did the FDA approve OR-9?")
    assert answer.abstained, answer.text
    assert answer.notice == "the closest brief reports no FDA approval"
    assert "March 2025" not in answer.text and "October 2025" not in answer.text
    answer = fake_pipeline.ask("When did the NMPA approve TL-205?")
    assert not answer.abstained, answer.notice
    assert "12 June 2024" in answer.text
