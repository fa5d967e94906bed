"""The answerer reads a question in the corpus's spelling (real Chroma and spaCy, the hashing
embedder: the words decide here) and answers it under the user's own words."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

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


def test_answering_reads_a_request_as_the_question_it_wraps(
    fake_pipeline: Any, tmp_path: Path
) -> None:
    root = tmp_path / "corpus"
    write_brief(root, "a.md", "Qorvane licenses QV-12 to Halden", "Qorvane Bio has licensed QV-12 "
                "to Halden Pharma. Halden will pay Qorvane an upfront payment of USD 40 million.",
                companies=("Qorvane Bio", "Halden Pharma"))  # fmt: skip
    write_brief(root, "b.md", "Marlow tells investors of its plans", "Marlow Therapeutics told "
                "investors it will show data and tell partners more in 2026.",
                companies=("Marlow Therapeutics",))  # fmt: skip
    ingest_folder(fake_pipeline, root, progress=False)
    plain = fake_pipeline.ask("What upfront will Halden pay Qorvane?")
    asked = "Can you tell me what upfront Halden will pay Qorvane?"
    wrapped = fake_pipeline.ask(asked)
    assert wrapped.question == asked  # the user's words stay the answer's question
    assert not wrapped.abstained and "USD 40 million" in wrapped.text
    assert [c.doc_id for c in wrapped.citations] == [c.doc_id for c in plain.citations] == ["a"]
    # thanks after it were read as a name no brief mentions, and the question declined
    thanked = fake_pipeline.ask("What upfront will Halden pay Qorvane? Thanks!")
    assert not thanked.abstained and "USD 40 million" in thanked.text


@pytest.fixture
def sums(fake_pipeline: Any, tmp_path: Path) -> Any:
    """Two deals and an IPO: a sum of one deal, the same number of shares, a "5" elsewhere."""
    root = tmp_path / "corpus"
    write_brief(root, "a.md", "Qorvane licenses QV-12 to Halden", "Qorvane Bio has licensed QV-12 "
                "to Halden Pharma on September 14, 2021. Halden will pay Qorvane USD 62.5 "
                "million upfront and up to USD 400 million in milestones.",
                companies=("Qorvane Bio", "Halden Pharma"))  # fmt: skip
    write_brief(root, "b.md", "Marlow prices its IPO", "Marlow Therapeutics sold 62.5 million "
                "shares in its IPO to 5 new investors.",
                companies=("Marlow Therapeutics",))  # fmt: skip
    write_brief(root, "c.md", "Tarn licenses TN-4 to Orsay", "Orsay Pharma will pay Tarn Bio USD "
                "20 million upfront and up to USD 300 million in milestones for the deal.",
                companies=("Tarn Bio", "Orsay Pharma"))  # fmt: skip
    ingest_folder(fake_pipeline, root, progress=False)
    return fake_pipeline


def test_answering_reads_dates_and_sums_as_the_briefs_write_them(sums: Any) -> None:
    # "Sept" was a name no brief mentions, and the question declined
    dated = sums.ask("What upfront did Halden agree to pay Qorvane in Sept 2021?")
    assert not dated.abstained and "USD 62.5 million" in dated.text
    # the "5m" of "62.5m" was a code, and kept only the brief holding a "5"
    _asked, _context, pool, _retrieved = sums.answerer.prepare("Who will pay US$62.5m?")
    assert pool[0].doc_id == "a"


def test_answering_a_pinned_sum_picks_the_briefs_stating_it(sums: Any) -> None:
    # no name says which deal; the sum does, as stated: "62.5 million shares" is another thing
    _asked, _context, pool, _retrieved = sums.answerer.prepare(
        "What milestones come with the $62.5 million upfront deal?"
    )
    assert pool and {p.doc_id for p in pool} == {"a"}
    # a sum no brief states narrows nothing: the decision reads it ("never mentions ...")
    _asked, _context, pool, _retrieved = sums.answerer.prepare(
        "What milestones come with the $30 million upfront deal?"
    )
    assert {"a", "c"} <= {p.doc_id for p in pool}


def test_answering_each_ask_of_a_joined_question_brings_its_own_brief(
    fake_pipeline: Any, tmp_path: Path
) -> None:
    root = tmp_path / "corpus"
    write_brief(root, "readout.md", "Quillon reports Phase II data for QL-5",
                "Quillon Bio said the Phase II readout of QL-5 showed a median PFS of 7.1 months.",
                companies=("Quillon Bio",))  # fmt: skip
    write_brief(root, "approval.md", "NMPA approves Quillon's QL-5", "The NMPA approved QL-5 for "
                "Quillon Bio on the QUILL-2 data. At approval, with longer follow-up, the "
                "median PFS of QL-5 was 7.9 months.", companies=("Quillon Bio",))  # fmt: skip
    write_brief(root, "other.md", "Marlow raises USD 80 million", "Marlow Therapeutics closed a "
                "USD 80 million Series B round.", companies=("Marlow Therapeutics",))  # fmt: skip
    ingest_folder(fake_pipeline, root, progress=False)
    answerer = fake_pipeline.answerer
    joined = (
        "How did the median PFS of QL-5 change between the Phase II readout "
        "and the QUILL-2 approval?"
    )
    _asked, _context, pool, _retrieved = answerer.prepare(joined)
    # the approval brief names both of the question's names, and alone would be the pool
    assert {p.doc_id for p in pool} == {"readout", "approval"}
    _asked, _context, single, _retrieved = answerer.prepare(
        "What was the median PFS of QL-5 in QUILL-2?"
    )
    assert {p.doc_id for p in single} == {"approval"}


def test_answering_embeds_a_question_once_for_retrieval_and_reading(
    fake_pipeline: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    from collections import Counter

    from tests.conftest import HashingEmbedding

    root = tmp_path / "corpus"
    write_brief(root, "a.md", "Qorvane licenses QV-12 to Halden", "Qorvane Bio has licensed QV-12 "
                "to Halden Pharma. Halden will pay Qorvane an upfront payment of USD 40 million.",
                companies=("Qorvane Bio", "Halden Pharma"))  # fmt: skip
    ingest_folder(fake_pipeline, root, progress=False)
    embedded: Counter[str] = Counter()
    own = HashingEmbedding._get_query_embedding

    def counting(self: Any, query: str) -> list[float]:
        embedded[query] += 1
        return own(self, query)

    monkeypatch.setattr(HashingEmbedding, "_get_query_embedding", counting)
    answer = fake_pipeline.ask("What upfront payment will Halden pay Qorvane?")
    assert "USD 40 million" in answer.text
    # the retriever's embedding is the reader's: each text embedded once, the question among them
    assert embedded["What upfront payment will Halden pay Qorvane?"] == 1
    assert set(embedded.values()) == {1}
