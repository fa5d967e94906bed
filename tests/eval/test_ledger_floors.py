"""The ledger extracted from `corpus/` against the gold ledger written by hand for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.ledger import load_gold_ledger, same_money, score_ledger
from rag.errors import ConfigError
from rag.ledger.db import Ledger
from rag.ledger.types import Money

GOLD = Path(__file__).resolve().parents[2] / "eval" / "ledger_gold.jsonl"


def test_ledger_floors_on_the_project_corpus(corpus_data: Path) -> None:
    score = score_ledger(Ledger(corpus_data / "ledger.sqlite").events(), load_gold_ledger(GOLD))
    summary = score.summary()
    assert summary["event_recall"] >= 0.90, score.misses
    assert summary["money_precision"] >= 0.98, score.misses  # a wrong figure in a table
    assert summary["party_role_precision"] >= 0.90, score.misses


def test_ledger_score_counts_a_wrong_figure_against_precision() -> None:
    gold = load_gold_ledger(GOLD)
    first = next(g for g in gold if g.money.get("upfront") and g.money["upfront"].amount)
    wrong = Money(first.money["upfront"].amount * 2, first.money["upfront"].currency, "x")
    changed = type(first)(**{**first.__dict__, "money": {**first.money, "upfront": wrong}})
    score = score_ledger([changed], [g for g in gold if g.doc_id == first.doc_id])
    assert score.fields["upfront"].right == 0 and score.fields["upfront"].extracted == 1


def test_ledger_same_money_reads_figures_not_strings() -> None:
    a = Money(200e6, "RMB", "RMB 200 million (USD 29.5 million)", 29.5e6)
    assert same_money(a, Money(None, None, "RMB200m"))
    assert not same_money(a, Money(None, None, "RMB 250 million"))
    assert not same_money(a, Money(None, None, "undisclosed", undisclosed=True))
    # a rate in words matches the same words, not another rate
    rate = Money(None, "%", "mid-teens")
    assert same_money(rate, Money(None, "%", "tiered royalties in the mid-teens percentage range"))
    assert not same_money(rate, Money(None, "%", "low double digits"))


def test_ledger_gold_loader_names_the_bad_line(tmp_path: Path) -> None:
    bad = tmp_path / "g.jsonl"
    bad.write_text('{"doc_id": "a", "kind": "licence"}\n{"kind": "licence"}\n')
    with pytest.raises(ConfigError, match=r"g\.jsonl:2: not a ledger event"):
        load_gold_ledger(bad)
