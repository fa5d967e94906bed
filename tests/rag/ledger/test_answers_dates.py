"""A ledger answer's dates stand in what it cites: a row told in passing (an amendment inside a
termination brief) is dated by the sentence that states it, and a brief whose earliest row is a
past event still shows its own date on its citations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from eval.metrics import is_grounded
from ingest.runner import ingest_folder
from tests.conftest import write_brief

DEAL = (
    "Veltra Bio has granted Korrin Pharma global rights to VB-410 outside Greater China. Veltra "
    "will receive USD 90 million upfront and is eligible for up to USD 900 million in "
    "milestones. The company raised USD 104 million in its Nasdaq IPO in January 2020."
)
END = (
    "Korrin Pharma has served notice to end its licence agreement with Veltra Bio covering "
    "VB-410.\n\nThe deal had already been rewritten once. On 15 August 2022 the companies amended "
    "it: Korrin stopped its global Phase 1b study of VB-410. The economics were refocused on "
    "newer antibodies. For those, Veltra became eligible for up to USD 500 million in "
    "development, regulatory and sales milestones.\n\nNow Veltra gets back full global rights."
)


def test_answers_dates_of_an_amendment_change_are_cited(fake_pipeline: Any, tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    companies = ("Veltra Bio", "Korrin Pharma")
    write_brief(root, "deal.md", "Korrin licenses VB-410", DEAL, "2020-09-04", companies)
    write_brief(root, "end.md", "Korrin ends VB-410 licence", END, "2023-09-22", companies)
    ingest_folder(fake_pipeline, root, progress=False)
    answer = fake_pipeline.ask(
        "How did the VB-410 milestones change between the 2020 deal and the 2022 amendment?"
    )
    assert answer.mode == "ledger", answer.text
    assert "USD 900 million" in answer.text and "USD 500 million" in answer.text
    assert {c.date for c in answer.citations if c.doc_id == "deal"} == {"2020-09-04"}
    cited = [c.text for c in answer.citations]
    assert is_grounded(answer.text, cited, [c.date for c in answer.citations]), answer.text
