"""Run gold questions through the same pipeline as the page, concurrently, with a progress bar.

`evaluate_gold` is the whole of `briefqa eval` short of printing, so the CLI and
`python -m eval.devsets` evaluate a corpus and a gold file the same way.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

from eval.gold import GoldItem, load_gold
from eval.metrics import (
    Result,
    is_correct,
    is_correct_plain,
    is_grounded,
    summarize,
    summarize_by_type,
)
from eval.report import write_reports
from rag.errors import ConfigError
from rag.pipeline import Pipeline, build_pipeline
from rag.prompts import Turn
from rag.settings import Settings


@dataclass(frozen=True)
class EvalRun:
    """What one evaluation produced: the scored answers, their summary and where it was written."""

    results: list[Result]
    summary: dict[str, Any]
    out: Path
    problems: tuple[str, ...]  # gold lines skipped, as `line N: reason`


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
        correct=is_correct(answer.text, answer.abstained, item.answers, item.any_group),
        correct_plain=is_correct_plain(answer.text, answer.abstained, item.answers, item.any_group),
        grounded=answer.abstained
        or is_grounded(
            answer.text, [c.text for c in answer.citations], [c.date for c in answer.citations]
        ),
        repaired=answer.repaired,
        latency_s=latency,
        expected=item.answers,
        citations=tuple(
            {"n": c.n, "doc_id": c.doc_id, "title": c.title, "quote": c.quote, "text": c.text}
            for c in answer.citations
        ),
        notice=answer.notice,
        any_group=item.any_group,
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


def eval_settings(settings: Settings, corpus: Path) -> Settings:
    """The settings to evaluate on `corpus`: a corpus other than the configured one gets its own
    collection (named after its path) and with it its own deal ledger, so syncing it never
    touches the main index and its questions never meet the main corpus's deals."""
    if corpus.resolve() == settings.corpus_dir.resolve():
        return settings
    digest = hashlib.sha256(str(corpus.resolve()).encode()).hexdigest()[:8]
    update: dict[str, object] = {"collection": f"{settings.collection}-eval-{digest}"}
    if settings.ledger_path is not None:  # an explicit ledger file gets a sibling, like the store
        path = settings.ledger_path
        update["ledger_path"] = path.with_name(f"{path.stem}-eval-{digest}{path.suffix}")
    return settings.model_copy(update=update)


def evaluate_gold(
    pipeline: Pipeline,
    gold: Path,
    corpus: Path | None = None,
    out: Path | None = None,
    *,
    limit: int | None = None,
    concurrency: int = 1,
    progress: bool = True,
    on_problem: Callable[[str], None] | None = None,
) -> EvalRun:
    """Ingest `corpus` (default: the configured one), answer the questions of `gold` and write
    the reports to `out` (default `<data dir>/eval/<timestamp>`).

    Skipped gold lines go to `on_problem` before any question is asked. Raises `ConfigError` when
    the gold file has no usable question. The pipeline's store is closed afterwards.
    """
    from ingest.runner import ingest_folder  # eval reuses ingest; the reverse never happens
    from rag.llms import describe_llm

    items, problems = load_gold(gold)
    for problem in problems:
        if on_problem is not None:
            on_problem(problem)
    if not items:
        raise ConfigError(f"no usable questions in {gold}")
    items = items[:limit] if limit else items
    settings = pipeline.settings
    corpus = corpus or settings.corpus_dir
    own = eval_settings(settings, corpus)
    if own is not settings:
        # Models already loaded are shared; only the collection differs.
        pipeline.close()
        pipeline = build_pipeline(own, embed_model=pipeline.embed_model, llm=pipeline.llm)
        settings = own
    with pipeline:
        ingest_folder(pipeline, corpus, progress=False)  # incremental: a no-op when current
        results = run_eval(pipeline, items, concurrency=concurrency, progress=progress)
    summary = {
        "overall": summarize(results),
        "by_type": summarize_by_type(results),
        "settings": {
            "backend": settings.llm_backend, "llm": describe_llm(settings),
            "embed_model": settings.embed_model, "top_k": settings.top_k,
            "corpus": str(corpus), "gold": str(gold), "questions": len(items),
        },
    }  # fmt: skip
    out = out or settings.data_dir / "eval" / time.strftime("%Y%m%d-%H%M%S")
    write_reports(out, results, summary)
    return EvalRun(results, summary, out, tuple(problems))
