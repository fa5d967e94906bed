"""What the decision reads before its model: a sentence saying the asked thing is not disclosed
(real spaCy; the end-to-end case on real Chroma with the hashing embedder, since retrieval is not
what is under test)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from ingest.runner import ingest_folder
from rag.lexical import lexical_tokens
from rag.reading.candidates import Sentence, sentences_of
from rag.reading.decision import withheld
from rag.reading.model import load_weights
from rag.reading.nlp import parse
from rag.reading.question import Question
from tests.conftest import write_brief


def _asking(asked: str) -> Question:
    return Question(text=f"What {asked}?", wh="what", head=asked.split()[-1], terms=(),
                    asked=frozenset(lexical_tokens(asked)), subjects=frozenset(), unknown=(),
                    plural=False)  # fmt: skip


def _sentence(text: str) -> Sentence:
    return sentences_of([parse(text)], [0])[0]


def _ingest_one(pipeline: Any, tmp_path: Path, title: str, body: str,
                companies: tuple[str, ...]) -> None:  # fmt: skip
    """Ingest one brief of these companies into the pipeline's store."""
    root = tmp_path / "corpus"
    write_brief(root, "brief.md", title, body, companies=companies)
    ingest_folder(pipeline, root, progress=False)


def test_decision_withheld_when_the_sentence_withholds_the_asked_thing() -> None:
    cases = {
        "post-money valuation": "Kestrel did not disclose its post-money valuation.",
        "price": "Orion said it has not yet set a price for the pill in Europe.",
        "upfront payment": "Orion will pay an undisclosed upfront payment to Kestrel.",
        "royalty": "The royalty rate was not disclosed.",
        "value": "The company declined to disclose the value of the incentives.",
    }
    for asked, text in cases.items():
        assert withheld(_asking(asked), _sentence(text)), (asked, text)


def test_decision_not_withheld_when_the_sentence_withholds_something_else() -> None:
    cases = {
        # a conjunct of the withheld thing is stated
        "milestones": "Orion will pay an undisclosed upfront payment and milestones of up to "
        "US$50 million.",
        # the withheld clause is about another thing than the one asked
        "dose": "The company has not disclosed the compound's structure, but said the dose is "
        "20 mg once daily.",
        "upfront": "Financial terms were not disclosed.",
        # nothing is withheld
        "valuation": "Kestrel disclosed a post-money valuation of US$400 million.",
    }
    for asked, text in cases.items():
        assert not withheld(_asking(asked), _sentence(text)), (asked, text)


def test_decision_a_withheld_figure_is_declined_with_its_reason(
    fake_pipeline: Any, tmp_path: Path
) -> None:
    _ingest_one(fake_pipeline, tmp_path, "Kestrel Bio Closes USD 90 Million Series C",
                "Kestrel Bio closed a USD 90 million Series C financing led by Orion Capital. "
                "The company did not disclose its post-money valuation.",
                ("Kestrel Bio", "Orion Capital"))  # fmt: skip
    answer = fake_pipeline.ask("What post-money valuation did Kestrel Bio get in its Series C?")
    assert answer.abstained, answer.text
    assert "90 million" not in answer.text
    assert "not disclosed" in answer.notice
    stated = fake_pipeline.ask("How much did Kestrel Bio raise in its Series C?")
    assert not stated.abstained and "usd 90 million" in stated.text.lower()


def test_decision_a_sum_asked_of_sentences_stating_none_is_declined(
    fake_pipeline: Any, tmp_path: Path
) -> None:
    _ingest_one(fake_pipeline, tmp_path, "Orion Pharma Licenses KB-7 from Kestrel Bio",
                "Orion Pharma has licensed KB-7 from Kestrel Bio for Greater China. Orion will pay "
                "USD 20 million upfront. Orion will also buy a minority equity stake in Kestrel.",
                ("Kestrel Bio", "Orion Pharma"))  # fmt: skip
    reader = fake_pipeline.answerer.reader
    assert reader.weights.quantity_threshold == load_weights().quantity_threshold
    question = "How much equity did Orion buy in Kestrel Bio?"
    # the type table expects a sum; a sentence holding only names and noun phrases is unlikely
    # to answer: 0.3 declines it (the fitted threshold is checked in beside the weights)
    reader.weights = replace(load_weights(), quantity_threshold=0.3)
    answer = fake_pipeline.ask(question)
    assert answer.abstained, answer.text
    assert "20 million" not in answer.text and "no such amount" in answer.notice
    assert not fake_pipeline.ask("How much will Orion pay upfront for KB-7?").abstained
    reader.weights = replace(load_weights(), quantity_threshold=0.0)  # the rule off
    assert not fake_pipeline.ask(question).abstained
