"""`briefqa` subcommands. Each one parses, builds the pipeline, calls once, prints.

Library code raises `BriefqaError`; here it becomes `error: <message>` and exit status 1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from rag.errors import BriefqaError, ConfigError
from rag.ledger.types import KINDS
from rag.models import enable_offline
from rag.pipeline import Pipeline, build_pipeline
from rag.settings import Settings, load_settings


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    args = _parser().parse_args(argv)
    enable_offline()  # before any library that could reach for a model hub is imported
    try:
        settings = _settings(args)
        with build_pipeline(settings) as pipeline:
            result: int = args.func(args, pipeline)
            return result
    except BriefqaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; the index is consistent and the next run resumes", file=sys.stderr)
        return 130


def entry() -> None:
    """Console-script entry point."""
    sys.exit(main())


def _settings(args: argparse.Namespace) -> Settings:
    if args.config:
        if not Path(args.config).is_file():
            raise ConfigError(f"config file {args.config} not found")
        os.environ["BRIEFQA_CONFIG"] = args.config
    elif os.environ.get("BRIEFQA_CONFIG") and not Path(os.environ["BRIEFQA_CONFIG"]).is_file():
        raise ConfigError(f"BRIEFQA_CONFIG names {os.environ['BRIEFQA_CONFIG']}, which is missing")
    try:
        return load_settings(data_dir=args.data_dir, llm_backend=getattr(args, "backend", None))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"invalid settings ({problems}); see README, Configuration") from None


def _cmd_ingest(args: argparse.Namespace, pipeline: Pipeline) -> int:
    from ingest.runner import ingest_folder

    root = Path(args.path) if args.path else pipeline.settings.corpus_dir
    report = ingest_folder(pipeline, root, progress=not (args.quiet or args.json))
    if args.json:
        print(json.dumps(report.as_json(), indent=2))
        return 0
    print(
        f"ingested {root}: {len(report.added)} added, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged, {len(report.deleted)} deleted, "
        f"{len(report.skipped)} skipped; {report.chunks} chunks in the index "
        f"({report.embedded} embedded) in {report.seconds:.1f}s"
    )
    for item in report.notes:
        print(f"  note: {item['path'] or 'index'}: {item['note']}")
    if report.repaired:
        print(f"  repaired: removed {report.repaired} chunks left by an interrupted run")
    for item in report.skipped:
        print(f"  skipped {item['path']}: {item['reason']}")
    return 0


def _cmd_status(args: argparse.Namespace, pipeline: Pipeline) -> int:
    store = pipeline.store
    meta = store.meta()
    status: dict[str, Any] = {
        "documents": len(store.documents()),
        "chunks": store.count(),
        "embed_model": meta.get("embed_model") or pipeline.settings.embed_model,
        "store": store.location,
        "collection": pipeline.settings.collection,
        "last_ingest": meta.get("last_ingest"),
    }
    if args.json:
        print(json.dumps(status, indent=2))
        return 0
    width = max(len(k) for k in status)
    for key, value in status.items():
        print(f"{key.replace('_', ' '):<{width}}  {value if value is not None else 'never'}")
    if not status["documents"]:
        print("the index is empty; run `briefqa ingest`")
    return 0


def _opening(text: str, limit: int = 160) -> str:
    """A passage's first words, on one line, cut at a word within `limit` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + "…"


def _cmd_ask(args: argparse.Namespace, pipeline: Pipeline) -> int:
    from rag.retrieval import Filters

    filters = Filters(company=args.company, since=args.since, until=args.until)
    answer = pipeline.ask(args.question, filters=filters)
    if args.json:
        print(json.dumps(answer.to_json(), indent=2, ensure_ascii=False))
        return 0
    if answer.notice:
        print(f"note: {answer.notice}")
    print(answer.text)
    if answer.abstained:
        print("\nclosest passages:")
        for passage in answer.passages:
            print(f"  - {passage.title} ({passage.date}) [{passage.doc_id}]")
            # two chunks of one brief share its title: their openings tell them apart
            print(f"      “{_opening(passage.text)}”")
        return 0
    print("\nsources:")
    for c in answer.citations:
        print(f"  [{c.n}] {c.title} ({c.date}, {c.source}) [{c.doc_id}]")
        print(f"      “{c.quote}”")
    return 0


def _cmd_deals(args: argparse.Namespace, pipeline: Pipeline) -> int:
    from rag.ledger.db import DealFilters
    from rag.ledger.table import event_rows, write_csv

    filters = DealFilters(args.kind, args.company, args.asset, args.since, args.until)
    events = pipeline.ledger.events(filters)
    if args.csv:
        write_csv(events, Path(args.csv))
        print(f"wrote {len(events)} deals to {args.csv}", file=sys.stderr)
    if args.json:
        print(json.dumps([e.to_json() for e in events], indent=2, ensure_ascii=False))
        return 0
    if not events:
        print("no deals match; `briefqa ingest` fills the ledger from the briefs")
        return 0
    for row in event_rows(events):
        print(f"{row['date']:<10}  {row['kind']:<11}  {row['parties']}")
        details = "; ".join(f"{k} {row[k]}" for k in ("asset", "upfront", "total", "proceeds")
                            if row[k])  # fmt: skip
        print(f"{'':<10}  {'':<11}  {details}  [{row['doc_id']}]")
    return 0


def _cmd_serve(args: argparse.Namespace, pipeline: Pipeline) -> int:
    from ingest.runner import ingest_folder
    from ui.server import serve

    if not args.no_ingest:  # the page should answer from the current corpus
        report = ingest_folder(pipeline, pipeline.settings.corpus_dir, progress=True)
        print(f"index: {report.chunks} chunks ({len(report.added) + len(report.updated)} new)")
    serve(pipeline, host=args.host, port=args.port)
    return 0


def _cmd_eval(args: argparse.Namespace, pipeline: Pipeline) -> int:
    from eval.runner import evaluate_gold

    if args.compare:
        return _compare(*args.compare)
    if args.ledger:
        return _ledger_eval(args, pipeline)
    run = evaluate_gold(
        pipeline,
        Path(args.gold),
        Path(args.corpus) if args.corpus else None,
        Path(args.out) if args.out else None,
        limit=args.limit,
        concurrency=args.concurrency,
        on_problem=lambda problem: print(
            f"warning: {args.gold}: {problem} (skipped)", file=sys.stderr
        ),
    )
    overall = run.summary["overall"]
    for key in ("accuracy", "short_and_correct", "plain_accuracy", "hit@5", "citation_precision",
                "grounded_rate", "abstention_recall", "false_abstention_rate", "latency_p50_s",
                "answer_chars_p50"):  # fmt: skip
        print(f"{key:<22} {overall[key]}")
    print(f"report: {run.out / 'report.html'}")
    return 0


def _ledger_eval(args: argparse.Namespace, pipeline: Pipeline) -> int:
    from eval.ledger import evaluate_ledger, print_summary

    gold = Path(args.ledger_gold)
    corpus = Path(args.corpus) if args.corpus else pipeline.settings.corpus_dir
    score = evaluate_ledger(pipeline, corpus, gold)
    summary = score.summary()
    print_summary(summary, score.misses, show=args.show_misses)
    if args.out:
        Path(args.out).mkdir(parents=True, exist_ok=True)
        (Path(args.out) / "ledger.json").write_text(json.dumps(summary, indent=2))
        print(f"report: {Path(args.out) / 'ledger.json'}")
    return 0


def _compare(old_dir: str, new_dir: str) -> int:
    from eval.metrics import compare

    old, new = (json.loads((Path(d) / "summary.json").read_text()) for d in (old_dir, new_dir))
    for key, (a, b, delta) in compare(old["overall"], new["overall"]).items():
        change = f"{delta:+.3f}" if delta is not None else ""
        print(f"{key:<24} {a!s:>8} -> {b!s:>8} {change}")
    rows: dict[str, dict[str, Any]] = {}
    for name, d in (("old", old_dir), ("new", new_dir)):
        for line in (Path(d) / "results.jsonl").read_text().splitlines():
            row = json.loads(line)
            rows.setdefault(row["id"], {})[name] = row
    flipped = [r["new"] for r in rows.values() if "old" in r and "new" in r
               and r["old"]["correct"] and not r["new"]["correct"]]  # fmt: skip
    print(f"\nright -> wrong: {len(flipped)}")
    for row in flipped:
        print(f"  {row['id']}: {row['question']}\n      now: {row['answer'][:160]}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefqa", description="Questions answered from industry briefs, with citations."
    )
    parser.add_argument("--config", help="TOML settings file (default: ./briefqa.toml if present)")
    parser.add_argument("--data-dir", help="state folder (default .briefqa; BRIEFQA_DATA_DIR)")
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser("ingest", help="ingest a folder of briefs (incremental)")
    ingest.add_argument("path", nargs="?", help="folder of briefs (default: corpus/)")
    ingest.add_argument("--json", action="store_true", help="print the summary as JSON")
    ingest.add_argument("--quiet", action="store_true", help="no progress bar")
    ingest.set_defaults(func=_cmd_ingest)

    ask = sub.add_parser("ask", help="answer a question with numbered citations")
    ask.add_argument("question")
    ask.add_argument("--company", help="only briefs naming this company (substring match)")
    ask.add_argument("--since", help="only briefs dated on/after YYYY[-MM[-DD]]")
    ask.add_argument("--until", help="only briefs dated on/before YYYY[-MM[-DD]]")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.set_defaults(func=_cmd_ask)

    deals = sub.add_parser("deals", help="the deal ledger: events extracted from the briefs")
    deals.add_argument("--kind", choices=KINDS, help="only this kind of event")
    deals.add_argument("--company", help="only events with a party naming this (substring)")
    deals.add_argument("--asset", help="only events about this product (code or name, substring)")
    deals.add_argument("--since", help="only events dated on/after YYYY[-MM[-DD]]")
    deals.add_argument("--until", help="only events dated on/before YYYY[-MM[-DD]]")
    deals.add_argument("--json", action="store_true", help="print the events as JSON")
    deals.add_argument("--csv", metavar="FILE", help="also write the table as CSV")
    deals.set_defaults(func=_cmd_deals)

    serve = sub.add_parser("serve", help="the chat page and the HTTP API")
    serve.add_argument("--host", help="bind address (default 127.0.0.1; BRIEFQA_HOST)")
    serve.add_argument("--port", type=int, help="port (default 7860; BRIEFQA_PORT)")
    serve.add_argument("--no-ingest", action="store_true", help="skip ingesting the corpus first")
    serve.set_defaults(func=_cmd_serve)

    ev = sub.add_parser("eval", help="answer gold questions and write a report")
    default_gold = Path(__file__).resolve().parent.parent / "eval" / "gold.jsonl"
    ev.add_argument("--gold", default=str(default_gold), help="gold JSONL (eval/gold.jsonl)")
    ev.add_argument("--corpus", help="folder of briefs to ingest first (default: corpus/)")
    ev.add_argument("--out", help="output folder (default <data dir>/eval/<timestamp>)")
    ev.add_argument("--backend", choices=["embedded", "openai", "extractive"], help="LLM backend")
    ev.add_argument("--concurrency", type=int, default=1, help="questions answered at once")
    ev.add_argument("--limit", type=int, help="only the first N questions")
    ev.add_argument("--ledger", action="store_true", help="score the deal ledger, not answers")
    ev.add_argument(
        "--ledger-gold", default=str(default_gold.with_name("ledger_gold.jsonl")),
        help="gold ledger JSONL for --ledger (eval/ledger_gold.jsonl)",
    )  # fmt: skip
    ev.add_argument("--show-misses", type=int, default=20, help="misses --ledger prints")
    ev.add_argument(
        "--compare", nargs=2, metavar=("OLD_DIR", "NEW_DIR"),
        help="print metric deltas and right-to-wrong flips between two runs",
    )  # fmt: skip
    ev.set_defaults(func=_cmd_eval)

    status = sub.add_parser("status", help="what the index holds")
    status.add_argument("--json", action="store_true", help="print as JSON")
    status.set_defaults(func=_cmd_status)
    return parser
