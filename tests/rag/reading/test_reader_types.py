"""The reader's answer types for a head noun no development set used: backed off to the
counted heads nearest in meaning, with the real MiniLM embedder (the back-off is its cosine)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rag.embedding import semantic_similarity
from rag.reading.model import TypeTable, load_weights
from rag.reading.question import Question
from rag.reading.reader import Reader

_TABLE = TypeTable(
    by_class={"what|payment": {"MONEY": 1.0}, "what|year": {"DATE": 1.0},
              "what|company": {"ORG": 1.0}},
    by_wh={"what": {"MONEY": 0.2, "DATE": 0.2, "ORG": 0.2, "NP": 0.4}},
    prior={"MONEY": 0.2, "DATE": 0.2, "ORG": 0.2, "NP": 0.4},
    class_counts={"what|payment": 20, "what|year": 20, "what|company": 20},
    wh_counts={"what": 100}, alpha=3.0, neighbours=1, floor=0.3, pull=1.0,
)  # fmt: skip


def _asking(head: str) -> Question:
    return Question(text=f"What {head}?", wh="what", head=head, terms=(), asked=frozenset(),
                    subjects=frozenset(), unknown=(), plural=False)  # fmt: skip


def test_reader_type_scores_back_an_unseen_head_off_to_its_nearest(real_embedder: Any) -> None:
    reader = Reader(semantic_similarity(real_embedder), replace(load_weights(), types=_TABLE))
    expected = {"price": "MONEY", "fee": "MONEY", "deadline": "DATE", "firm": "ORG"}
    for head, label in expected.items():
        scores = reader.type_scores(_asking(head))
        assert max(scores, key=scores.__getitem__) == label, (head, scores)
        # without its neighbours the head would get the wh-word's guess: a noun phrase
        assert scores[label] > _TABLE.distribution(f"what|{head}")[label]
    # no embedder, no neighbours: the wh-word's distribution, as the table alone gives it
    plain = Reader(None, replace(load_weights(), types=_TABLE))
    assert plain.type_scores(_asking("price")) == _TABLE.distribution("what|price")


def test_reader_type_scores_read_a_never_counted_wording_with_the_question_model(
    real_embedder: Any,
) -> None:
    from eval.fit_types import TypeRow, fit_question
    from rag.embedding import query_embedding

    embed = query_embedding(real_embedder)
    # a model fitted on a few questions each of amounts and of dates, worded apart
    taught = {
        "MONEY": ["How much was paid?", "What did the licence cost?", "How much did it raise?"],
        "DATE": ["When was it approved?", "On what day did trading start?", "When did it file?"],
    }
    rows = [TypeRow("a", "x|", (label,), tuple(embed(text)))
            for label, texts in taught.items() for text in texts]  # fmt: skip
    question = fit_question(rows, {"a": len(rows)}, c=10.0, embedder="minilm")
    weights = replace(load_weights(), types=replace(_TABLE, neighbours=0, question=question,
                                                    mix=0.7))  # fmt: skip
    table = weights.types
    reader = Reader(semantic_similarity(real_embedder), weights, embed, "minilm")
    # another embedder's space means nothing to the model: the table alone answers
    other = Reader(semantic_similarity(real_embedder), weights, embed, "another-model")
    for text, label in (("How much upfront cash changed hands?", "MONEY"),
                        ("Since when has it been on sale?", "DATE")):  # fmt: skip
        q = Question(text=text, wh="how much" if label == "MONEY" else "since", head="",
                     terms=(), asked=frozenset(), subjects=frozenset(), unknown=(),
                     plural=False)  # fmt: skip
        scores = reader.type_scores(q)
        assert scores[label] > table.distribution(q.qclass)[label], (text, scores)
        assert other.type_scores(q) == table.distribution(q.qclass)
