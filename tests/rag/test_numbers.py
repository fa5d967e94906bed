"""Quantity extraction and normalisation (pure)."""

from __future__ import annotations

import pytest

from rag.numbers import find_quantities, in_words, is_supported, same_quantity


@pytest.mark.parametrize(
    "text",
    ["RMB 200 million", "RMB200m", "200 million yuan", "RMB 200,000,000", "¥200mn", "CNY 200M"],
)
def test_numbers_rmb_forms_normalise_alike(text: str) -> None:
    (q,) = find_quantities(text)
    assert (q.value, q.unit) == (200e6, "RMB")


def test_numbers_usd_percent_and_plain() -> None:
    found = find_quantities("USD 29.5 million, US$1.2bn, 78.5% ORR, 12 percent, 11.2 months, 2019")
    assert [(q.value, q.unit) for q in found] == [
        (29.5e6, "USD"), (1.2e9, "USD"), (78.5, "%"), (12.0, "%"), (11.2, ""), (2019.0, ""),
    ]  # fmt: skip


def test_numbers_codes_and_dates_are_not_amounts() -> None:
    found = find_quantities("CT053 and BX-7 in Q3 2023; LUMMICAR STUDY 1 on 2024-03-18")
    assert [q.value for q in found] == [2023.0, 1.0, 2024.0]


def test_numbers_currency_mismatch_is_not_support() -> None:
    (usd,) = find_quantities("USD 29.5 million")
    (rmb,) = find_quantities("RMB 29.5 million")
    (bare,) = find_quantities("29.5 million")
    assert not same_quantity(usd, rmb)
    assert same_quantity(usd, bare)
    assert is_supported(usd, find_quantities("RMB 200 million (USD 29.5 million)"))
    assert not is_supported(usd, find_quantities("RMB 200 million (USD 25.9 million)"))


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Who will pay US$62.5m upfront?", "Who will pay US$62.5 million upfront?"),
        ("RMB200m and 1.85bn USD", "RMB200 million and 1.85 billion USD"),
        ("a 62.5m sprint", "a 62.5m sprint"),  # no currency: may be metres
        ("signed in Sept 2021", "signed in September 2021"),
        ("on Oct. 3", "on October 3"),
        ("Jan said so in May", "Jan said so in May"),  # undated: a name, a month in full
        ("Did Orion sign on 2021-09-14?", "Did Orion sign on September 14, 2021?"),
        ("By Orion, 9/14/2021 or 14/9/2021", "By Orion, September 14, 2021 or September 14, 2021"),
        # a month is written in the case of the user's words: a capital would take a question
        # typed in lower case for one whose user capitalises names
        ("on 9/14/2021 or in sept 2021", "on september 14, 2021 or in september 2021"),
        ("signed on 26 october 2015", "signed on 26 october 2015"),
        ("SIGNED IN SEPT 2021", "SIGNED IN SEPTEMBER 2021"),
        ("on 3/4/2021", "on 3/4/2021"),  # either way round: left
        ("CT053 raised 5% in 2021", "CT053 raised 5% in 2021"),
    ],
)
def test_numbers_in_words_writes_dates_and_sums_as_briefs_do(text: str, written: str) -> None:
    assert in_words(text) == written
