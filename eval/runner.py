"""Run gold questions through the same pipeline as the page, concurrently, with a progress bar."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from tqdm import tqdm

from eval.gold import GoldItem
from eval.metrics import Result, is_correct, is_grounded
from rag.pipeline import Pipeline
from rag.prompts import Turn


def answer_item(pipeline: Pipeline, item: GoldItem) -> Result:
    """Ask one gold question and score it."""
    history = [Turn(role, content) for role, content in item.history]
    started = time.perf_counter()
    answer = pipeline.ask(item.question, history=history)
    latency = time.perf_counter() - started
    cited = tuple(dict.fromkeys(c.doc_id for c in answer.citations))
    return Result(
        id=item.id,
        question=item.question,
        type=item.type,
        answer=answer.text,
        abstained=answer.abstained,
        cited_doc_ids=cited,
        retrieved_doc_ids=tuple(doc for doc, _ in answer.retrieved),
        gold_doc_ids=item.doc_ids,
        answerable=item.answerable,
        correct=is_correct(answer.text, answer.abstained, item.answers),
        grounded=answer.abstained or is_grounded(answer.text, [c.text for c in answer.citations]),
        repaired=answer.repaired,
        latency_s=latency,
        expected=item.answers,
        citations=tuple(
            {"n": c.n, "doc_id": c.doc_id, "title": c.title, "quote": c.quote, "text": c.text}
            for c in answer.citations
        ),
        notice=answer.notice,
    )


def run_eval(
    pipeline: Pipeline, items: Sequence[GoldItem], concurrency: int = 1, progress: bool = True
) -> list[Result]:
    """Answer every item (in parallel threads when asked) and return results in gold order."""
    pipeline.answerer  # noqa: B018 - load the models before the clock starts
    bar = tqdm(total=len(items), desc="evaluating", unit="q", disable=not progress, file=sys.stderr)
    with bar, ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        futures = [pool.submit(answer_item, pipeline, item) for item in items]
        results = []
        for future in futures:
            results.append(future.result())
            bar.update(1)
    return results
