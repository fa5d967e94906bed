"""The attribute rules matched by lookup give the model's attribute ruler's matches, exactly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rag.reading.nlp import load_nlp

CORPUS = Path(__file__).resolve().parents[3] / "corpus"
# invented lines that reach the rules left to the Matcher (several tokens, a regular
# expression) and the ones on a dependency label or a space
COLLOQUIAL = [
    "Y'all know it ain't over, and there's nothin' gonna stop us.",
    "Let's see: the board gave it to me and I did not object.",
    "Do you have the data?  It does.\n\nWhich of these was approved, and that one?",
]
# the components after the rules: their input must be what the ruler would see
_AFTER = ["briefqa_attribute_rules", "lemmatizer", "ner", "briefqa_word_rates"]


def _rules() -> Any:
    return load_nlp().get_pipe("briefqa_attribute_rules")


def _paragraphs() -> list[str]:
    texts = [p for f in sorted(CORPUS.rglob("*.md")) for p in f.read_text().split("\n\n")]
    return [t for t in texts if t.strip()] + COLLOQUIAL


def test_tag_rules_match_the_model_s_ruler_on_every_paragraph_of_the_corpus() -> None:
    rules = _rules()
    docs = list(load_nlp().pipe(_paragraphs(), disable=_AFTER))
    assert len(docs) > 100
    for doc in docs:
        assert rules.match(doc) == sorted(set(rules.ruler.match(doc))), doc.text


def test_tag_rules_reach_the_matcher_s_rules_on_colloquial_text() -> None:
    rules = _rules()
    doc = next(iter(load_nlp().pipe(COLLOQUIAL[:1], disable=_AFTER)))
    several_tokens = [m for m in rules.match(doc) if m[3] - m[2] > 1]
    assert several_tokens  # "Y'all" and "ai n't" are matched as spans, as the ruler does
    assert several_tokens == [m for m in sorted(set(rules.ruler.match(doc))) if m[3] - m[2] > 1]


def test_tag_rules_set_part_of_speech_and_lemma_in_the_pipeline() -> None:
    nlp = load_nlp()
    assert "attribute_ruler" not in nlp.pipe_names
    doc = nlp("The licence is not exclusive, and Kestrel has paid the fee.")
    by_word = {t.text: t for t in doc}
    assert (by_word["is"].pos_, by_word["is"].lemma_) == ("AUX", "be")
    assert (by_word["not"].pos_, by_word["not"].lemma_) == ("PART", "not")
    assert by_word["paid"].lemma_ == "pay"
    assert by_word["The"].morph.get("Definite") == ["Def"]
