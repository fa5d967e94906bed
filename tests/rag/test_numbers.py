"""Quantity extraction and normalisation (pure)."""

from __future__ import annotations

import pytest

from rag.numbers import find_quantities, is_supported, same_quantity


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
