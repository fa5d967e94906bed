"""The quality floors of issue 4, on the full gold set and the embedded default (real models).

One run answers every gold question; each floor is its own test, so a regression names the
floor it breaks. The floors themselves are never lowered here. Three of them were met by rules
written against these very questions; the fitted reader of issue 10 replaced those rules and,
with the ledger's answers to questions about many deals, meets every floor again: abstention
recall (0.833 of the 0.80) since a regulator's decision the cited brief never reports is
declined, false abstentions 0.008, accuracy 0.950, citation precision 0.920, measured with
`python -m eval.devsets --sets gold`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from eval.gold import load_gold
from eval.metrics import summarize
from eval.runner import run_eval
from rag.pipeline import build_pipeline
from rag.settings import Settings

GOLD = Path(__file__).resolve().parents[2] / "eval" / "gold.jsonl"

FLOORS: dict[str, tuple[Callable[[float, float], bool], float]] = {
    "accuracy": (operator.ge, 0.85),
    "hit@5": (operator.ge, 0.95),
    "citation_precision": (operator.ge, 0.90),
    "grounded_rate": (operator.eq, 1.00),
    "abstention_recall": (operator.ge, 0.80),
    "false_abstention_rate": (operator.le, 0.05),
}


@pytest.fixture(scope="module")
def embedded_summary(corpus_data: Path, real_embedder: Any) -> dict[str, Any]:
    """Every gold question answered once through the embedded default pipeline."""
    items, errors = load_gold(GOLD)
    assert not errors and len(items) >= 100
    with build_pipeline(Settings(data_dir=corpus_data), embed_model=real_embedder) as pipeline:
        assert pipeline.settings.llm_backend == "embedded"
        results = run_eval(pipeline, items, progress=False)
    return summarize(results)


@pytest.mark.slow
@pytest.mark.parametrize("metric", list(FLOORS))
def test_floors_full_gold_set_on_embedded_default(
    embedded_summary: dict[str, Any], metric: str
) -> None:
    check, floor = FLOORS[metric]
    value = embedded_summary[metric]
    assert value is not None and check(value, floor), f"{metric} = {value}, floor {floor}"
