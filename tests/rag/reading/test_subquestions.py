"""Sub-questions: one per conjunct of a question's coordination (real spaCy parse)."""

from __future__ import annotations

from rag.reading.subquestions import sub_questions


def test_subquestions_one_per_compared_occasion() -> None:
    subs = sub_questions(
        "How did the median PFS of SPX-2710 change between the October 2022 readout "
        "and the May 2024 approval?"
    )
    assert len(subs) == 2
    assert "October 2022" in subs[0] and "May 2024" not in subs[0]
    assert "May 2024" in subs[1] and "October 2022" not in subs[1]
    assert all("median PFS of SPX-2710" in s for s in subs)  # the shared words stay in each


def test_subquestions_one_per_item_of_a_list_of_asks() -> None:
    subs = sub_questions("Halden chronology: initial SGX filing, debut, and fast track status?")
    assert len(subs) == 3
    assert ["filing" in s for s in subs] == [True, False, False]
    assert all(s.startswith("Halden chronology") for s in subs)


def test_subquestions_none_for_a_question_joining_nothing() -> None:
    assert sub_questions("What upfront payment will CARsgen receive for CT053?") == ()


def test_subquestions_a_versus_comparison_is_two_asks() -> None:
    subs = sub_questions("KB-7 response rates: Phase 1 dose escalation vs pivotal ORCA-2?")
    assert len(subs) == 2
    assert "escalation" in subs[0] and "ORCA" not in subs[0]
    assert "ORCA-2" in subs[1] and "escalation" not in subs[1]
    assert all(s.startswith("KB-7 response rates") for s in subs)


def test_subquestions_a_comma_list_read_as_an_apposition_keeps_its_first_item() -> None:
    # the parser reads "plant cost, ... status and what it owed" as an apposition joined to a
    # conjunct: the list's first item is an ask of its own all the same
    subs = sub_questions(
        "Wrap up Kestrel: Suzhou plant cost, KB-210's EMA status and what it owed Orion upfront."
    )
    assert len(subs) == 3
    assert "plant cost" in subs[0] and "status" not in subs[0] and "owed" not in subs[0]
    assert "status" in subs[1] and "plant" not in subs[1]
    assert "owed Orion upfront" in subs[2] and "plant" not in subs[2]
    assert all(s.startswith("Wrap up Kestrel:") for s in subs)
