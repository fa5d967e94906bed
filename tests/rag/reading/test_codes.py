"""Which code a sentence is about (real spaCy sentences; no model)."""

from __future__ import annotations

from rag.reading.candidates import Sentence, sentences_of
from rag.reading.codes import codes, paragraph_before, sibling_codes
from rag.reading.nlp import parse
from rag.types import Passage

BRIEF = (
    "Orion's approval rests on the Phase 2 ORBIT-201 study, in which OR-12 achieved a response "
    "rate of 41%. With longer follow-up, median survival was 14.7 months. The Phase 3 "
    "ORBIT-301 trial completed enrolment in March.\n\n"
    "Orion plans a launch in the third quarter."
)
CUT = BRIEF.index("With longer")  # the second chunk starts at this sentence


def _chunks() -> tuple[list[Passage], list[Sentence]]:
    texts = [BRIEF[: CUT + 20], BRIEF[CUT:]]  # overlapping, as the chunker cuts them
    passages = [
        Passage(f"orion#{n}", "orion", "Orion", "2024-05-01", "Wire", text, start, 1.0)
        for n, (text, start) in enumerate(zip(texts, [0, CUT], strict=True))
    ]
    return passages, sentences_of([parse(t) for t in texts], [0, CUT])


def _said(fragment: str) -> tuple[Sentence, list[Passage]]:
    """The sentence holding `fragment`, read from the later chunk where it stands there, and
    the pool it is of."""
    passages, sentences = _chunks()
    return [s for s in sentences if fragment in s.text][-1], passages


def test_codes_read_letters_and_digits_in_order() -> None:
    assert codes("ORBIT-301 after ORBIT201 and OR-12") == [
        ("orbit", "301"), ("orbit", "201"), ("or", "12"),
    ]  # fmt: skip


def test_codes_paragraph_before_joins_the_chunks_before_a_sentence() -> None:
    passages, sentences = _chunks()
    survival = next(s for s in sentences if "14.7 months" in s.text)
    assert survival.passage == 1  # read from the chunk that starts at it
    assert paragraph_before(passages, survival) == BRIEF[:CUT]
    launch = next(s for s in sentences if "third quarter" in s.text)
    assert paragraph_before(passages, launch) == ""  # a new paragraph


def test_codes_a_sentence_naming_none_is_about_the_last_its_paragraph_named() -> None:
    survival, pool = _said("longer follow-up")
    question = "What median survival did OR-12 achieve in ORBIT-301?"
    assert sibling_codes(question, survival, pool) == ["ORBIT-201"]
    question = "What median survival did OR-12 achieve in ORBIT-201?"
    assert sibling_codes(question, survival, pool) == []
    # without the paragraph before it, nothing says which trial it is about
    assert sibling_codes("What did OR-12 achieve in ORBIT-301?", survival) == []


def test_codes_a_sentence_naming_a_sibling_is_about_it() -> None:
    enrolment, pool = _said("completed enrolment")
    assert sibling_codes("What did ORBIT-201 enrol?", enrolment, pool) == ["ORBIT-301"]
    assert sibling_codes("What did ORBIT-301 enrol?", enrolment, pool) == []
    # a question naming two of the family asks across them
    question = "How many did ORBIT-301 enrol, against ORBIT-201?"
    assert sibling_codes(question, enrolment, pool) == []


def test_codes_a_new_paragraph_or_another_family_settles_nothing() -> None:
    launch, pool = _said("third quarter")
    assert sibling_codes("When will ORBIT-301 launch?", launch, pool) == []
    survival, pool = _said("longer follow-up")
    # a code of another family is no sibling ("OR-12" is no ORBIT trial)
    assert sibling_codes("What did OR-13 achieve?", survival, pool) == ["OR-12"]
    assert sibling_codes("What did ZX-117 achieve?", survival, pool) == []
