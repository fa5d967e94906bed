"""The development sets' questions as the fitters weigh them."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from eval.fit_cases import set_shares


def test_fit_cases_every_set_weighs_alike_whatever_its_size() -> None:
    cases: list[Any] = [SimpleNamespace(set="gold")] * 2 + [SimpleNamespace(set="squad2")] * 8
    share = set_shares(cases)
    assert share == {"gold": 0.5, "squad2": 0.125}
    # a set's questions together weigh one, the small set's as much as the large one's
    totals = {name: sum(share[c.set] for c in cases if c.set == name) for name in share}
    assert totals == {"gold": 1.0, "squad2": 1.0}
