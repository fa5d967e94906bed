"""A deal a later brief tells again reads the same in a ledger answer: it is listed once, from
its first brief (invented briefs, ingested for real: Chroma, spaCy; the hashing embedder)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ingest.runner import ingest_folder
from tests.conftest import write_brief


def test_answers_list_a_deal_told_again_once(fake_pipeline: Any, tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write_brief(root, "a.md", "Quillon Licenses QB-441 to Marden",
                "Quillon Bio has granted Marden Pharma exclusive rights to QB-441 outside Greater "
                "China. Quillon will receive an upfront payment of USD 40 million.",
                companies=("Quillon Bio", "Marden Pharma"), date="2022-05-17")  # fmt: skip
    write_brief(root, "b.md", "Quillon and Marden Amend QB-441 Licence",
                "Quillon Bio and Marden Pharma have amended the license agreement for QB-441 that "
                "the two companies first announced on May 17, 2022. The upfront payment is "
                "increased from USD 40 million to USD 55 million, with Marden paying the "
                "additional USD 15 million.",
                companies=("Quillon Bio", "Marden Pharma"), date="2023-08-29")  # fmt: skip
    ingest_folder(fake_pipeline, root, progress=False)
    answer = fake_pipeline.ask("Which company holds the rights to Quillon's QB-441 outside China?")
    assert answer.mode == "ledger", answer.text
    assert answer.text.count("Marden") == 1, answer.text
    assert [c.doc_id for c in answer.citations] == ["a"]  # the brief that first told it
