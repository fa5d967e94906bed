"""A question's companies read on a deal's sides (`roles.swapped_sides`): real spaCy parses,
ledger rows written out."""

from __future__ import annotations

from rag.ledger.roles import swapped_sides
from rag.ledger.types import Event, Party
from rag.reading.nlp import parse

LANXI, SENGTAI = "Lanxi Immunotherapeutics", "Sengtai"
LICENCE = Event("a", "licence", "2024-05-01",
                parties=(Party(LANXI, "licensor"), Party(SENGTAI, "licensee")))  # fmt: skip
ACQUISITION = Event(
    "b",
    "acquisition",
    "2024-05-01",
    parties=(Party("Orion Pharma", "acquirer"), Party("Kestrel Bio", "target")),
)


def test_roles_swapped_sides_reads_a_question_s_get_as_money_received() -> None:
    # a brief's "gets rights" makes a licensee; a question's "getting" an upfront, a licensor
    assert swapped_sides(parse("What upfront is Lanxi getting from Sengtai?"), [LICENCE]) == []
    assert swapped_sides(parse("How much did Sengtai pay Lanxi upfront?"), [LICENCE]) == []
    swapped = swapped_sides(parse("What upfront did Sengtai receive from Lanxi?"), [LICENCE])
    assert swapped == ["Lanxi Immunotherapeutics is the licensor, not the licensee",
                       "Sengtai is the licensee, not the licensor"]  # fmt: skip


def test_roles_swapped_sides_reads_an_acquisition_s_buyer() -> None:
    assert swapped_sides(parse("How much did Orion pay to acquire Kestrel?"), [ACQUISITION]) == []
    swapped = swapped_sides(parse("How much did Kestrel pay to acquire Orion?"), [ACQUISITION])
    assert swapped == ["Orion Pharma is the acquirer, not the target",
                       "Kestrel Bio is the target, not the acquirer"]  # fmt: skip


def test_roles_swapped_sides_leaves_a_company_on_both_sides_of_the_brief_s_deals() -> None:
    back = Event("a", "licence", "2024-06-01",
                 parties=(Party(SENGTAI, "licensor"), Party(LANXI, "licensee")))  # fmt: skip
    question = parse("What upfront did Sengtai receive from Lanxi?")
    assert swapped_sides(question, [LICENCE, back]) == []
