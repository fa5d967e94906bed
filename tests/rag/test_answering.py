"""The answerer reads a question in the corpus's spelling (real Chroma and spaCy, the hashing
embedder: the words decide here) and answers it under the user's own words."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ingest.runner import ingest_folder
from tests.conftest import write_brief


def test_answering_reads_shorthand_and_lower_case_names(fake_pipeline: Any, tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write_brief(root, "a.md", "Qorvane licenses QV-12 to Halden", "Qorvane Bio has licensed QV-12 "
                "to Halden Pharma. Halden will pay Qorvane an upfront payment of USD 40 million.",
                companies=("Qorvane Bio", "Halden Pharma"))  # fmt: skip
    write_brief(root, "b.md", "Marlow raises USD 80 million", "Marlow Therapeutics closed a USD 80 "
                "million Series B round.", companies=("Marlow Therapeutics",))  # fmt: skip
    ingest_folder(fake_pipeline, root, progress=False)
    answer = fake_pipeline.ask("qorvane upfrnt pymnt")
    # the question as retrieval and the reader take it, not only as the index would spell it
    asked, _context, _pool, _retrieved = fake_pipeline.answerer.prepare("qorvane upfrnt pymnt")
    assert asked == "Qorvane upfront payment"
    assert answer.question == "qorvane upfrnt pymnt"
    assert not answer.abstained and "USD 40 million" in answer.text
    assert {c.doc_id for c in answer.citations} == {"a"}
