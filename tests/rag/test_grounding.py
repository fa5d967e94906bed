"""The grounding check on true, doctored, mis-cited and rambling answers (pure)."""

from __future__ import annotations

from rag.grounding import Pick, agrees, ground_answer, parse_markers

SEED = (
    "Under the agreement, CARsgen will receive an upfront payment of RMB 200 million "
    "(USD 29.5 million) and is eligible for additional regulatory and commercial milestone "
    "payments of up to RMB 1,025 billion (USD 151.4 million). CARsgen will continue to oversee "
    "the development of CT053."
)
OTHER = "Lanxi Biotech will receive RMB 150 million upfront from Sengtai for LQ-1143."
PASSAGES = [OTHER, SEED]
JUNE = "Morningtide submitted the NDA in June 2022."
PICK_JUNE = Pick(1, (0, len(JUNE)), JUNE)


def test_grounding_true_answer_passes_unchanged() -> None:
    grounded = ground_answer("CARsgen receives RMB 200 million (USD 29.5 million) upfront [2].",
                             PASSAGES)  # fmt: skip
    text, order = grounded.render()
    assert not grounded.repaired
    assert text == "CARsgen receives RMB 200 million (USD 29.5 million) upfront [1]." and order == [
        2
    ]


def test_grounding_normalised_forms_count_as_support() -> None:
    grounded = ground_answer("An upfront of RMB200m, about US$29.5m [2].", PASSAGES)
    assert not grounded.repaired and grounded.render()[1] == [2]


def test_grounding_doctored_number_is_replaced_by_the_source_quote() -> None:
    pick = Pick(2, (0, len(SEED)), SEED)
    grounded = ground_answer(
        "CARsgen receives RMB 250 million upfront [2].", PASSAGES, evidence=[pick]
    )
    text, order = grounded.render()
    assert grounded.repaired
    assert "250" not in text and "RMB 200 million (USD 29.5 million)" in text
    assert text.startswith("“") and order == [2]


def test_grounding_wrong_citation_is_moved_to_the_supporting_passage() -> None:
    grounded = ground_answer(
        "CARsgen will receive an upfront payment of RMB 200 million [1].", PASSAGES
    )
    assert grounded.repaired and grounded.render()[1] == [2]


def test_grounding_out_of_range_markers_are_dropped() -> None:
    assert parse_markers("See [0], [3], [2, 7] and [1][2].", k=2) == [2, 1]
    grounded = ground_answer("CARsgen gets RMB 200 million upfront [9].", PASSAGES)
    text, _ = grounded.render()
    assert "[9]" not in text and "[1]" in text


def test_grounding_cuts_rambling_after_first_unsupported_claim() -> None:
    raw = (
        "CARsgen receives RMB 200 million upfront [2]. Milestones reach USD 151.4 million [2]. "
        "Sales should hit USD 900 million by 2030 [2]. It is a great deal [2]."
    )
    text, _ = ground_answer(raw, PASSAGES).render()
    assert "151.4" in text and "900" not in text and "great deal" not in text


def test_grounding_uncited_invented_claim_is_not_shown_as_cited() -> None:
    grounded = ground_answer("The royalty is 12% of net sales.", PASSAGES)
    text, order = grounded.render()
    assert "12%" not in text
    assert all(n in (1, 2) for n in order)


def test_grounding_doctored_figure_is_replaced_by_the_readers_sentence() -> None:
    pick = Pick(2, (0, SEED.index(") and") + 1), SEED[: SEED.index(") and") + 1])
    grounded = ground_answer("CARsgen gets RMB 999 million [3].", PASSAGES, evidence=[pick])
    text, order = grounded.render()
    assert grounded.repaired and "999" not in text and "RMB 200 million" in text and order == [2]


def test_grounding_a_name_the_passages_lack_is_unsupported() -> None:
    true = ground_answer("CARsgen receives RMB 200 million upfront [2].", PASSAGES)
    false = ground_answer("BeiGene receives RMB 200 million upfront [2].", PASSAGES)
    assert not true.repaired and true.sentences
    assert false.repaired or not false.sentences or "BeiGene" not in false.render()[0]


def test_grounding_a_date_must_stand_whole_in_the_cited_passage() -> None:
    passage = "Morningtide submitted the NDA in June 2022. The NMPA approved it on May 30, 2023."
    doctored = ground_answer(
        "It was submitted on April 2, 2023 [1].", [passage], evidence=[PICK_JUNE]
    )
    text, _ = doctored.render()  # a "2" and a "2023" standing elsewhere are no support
    assert doctored.repaired and "April 2" not in text and "June 2022" in text
    kept = ground_answer(
        "Morningtide submitted the NDA in June 2022 [1].", [passage], evidence=[PICK_JUNE]
    )
    assert not kept.repaired and "June 2022" in kept.render()[0]


def test_grounding_agrees_needs_every_reader_span() -> None:
    passage = "The tiered royalty range rises from 9% to 13% under the original deal to 10% to 15%."
    picks = [Pick(1, (0, len(passage)), passage)]
    complete = ground_answer("The royalty range is 10% to 15% [1].", [passage])
    partial = ground_answer("The royalty range is 15% [1].", [passage])
    assert agrees(complete, ["10% to 15%"], picks)
    assert partial.sentences and not agrees(partial, ["10% to 15%"], picks)
    assert not agrees(complete, ["9% to 13%"], picks)  # another figure of the same passage
