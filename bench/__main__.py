"""`python -m bench [ingest|query] ...`: run a benchmark (ingest by default; `all` runs both).

Exit status: 0 when every target is met, 1 when one is missed, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

SUBCOMMANDS = ("ingest", "query", "all")
DEFAULT_SUBCOMMAND = "ingest"


def build_parser() -> argparse.ArgumentParser:
    """The command line: one subparser per benchmark."""
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="briefqa benchmarks (default: ingest)."
    )
    sub = parser.add_subparsers(dest="command", metavar="{" + ",".join(SUBCOMMANDS) + "}")
    ingest = sub.add_parser(
        "ingest",
        help="full ingest vs the raw encoder, and a no-change re-ingest",
        description="Time a full ingest against SentenceTransformer.encode on the same texts, "
        "and a no-change re-ingest, on the project corpus and a scaled copy of it.",
    )
    ingest.add_argument(
        "--scale-chunks",
        type=int,
        default=5000,
        metavar="N",
        help="chunks in the scaled corpus (default 5000; 0 skips it)",
    )
    ingest.add_argument("--out", type=Path, metavar="FILE", help="also write the figures as JSON")
    query = sub.add_parser(
        "query",
        help="retrieval and answer latency, ours vs a plain LlamaIndex recipe",
        description="Retrieval p50/p95 at the corpus, ~10k and ~100k chunks, and embedded answer "
        "p50/p95, each beside VectorStoreIndex over ChromaVectorStore with the same models.",
    )
    query.add_argument(
        "--scales", type=int, nargs="*", default=[10_000, 100_000], metavar="N",
        help="chunk counts to scale the store to (default 10000 100000)",
    )  # fmt: skip
    query.add_argument("--no-answers", action="store_true", help="skip the answer latency part")
    sub.add_parser("all", help="ingest, then query, with their defaults")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments (no subcommand means `ingest`) and run the chosen benchmark."""
    args_in = list(sys.argv[1:] if argv is None else argv)
    if not args_in or args_in[0] not in (*SUBCOMMANDS, "-h", "--help"):
        args_in.insert(0, DEFAULT_SUBCOMMAND)
    args = build_parser().parse_args(args_in)
    # Before anything imports tqdm or transformers: benchmark output is the table, not bars.
    os.environ.setdefault("TQDM_DISABLE", "1")
    if args.command == "ingest":
        from bench.ingest_bench import run_ingest_bench

        if args.scale_chunks < 0:
            build_parser().error("--scale-chunks must be 0 or more")
        return run_ingest_bench(scale_chunks=args.scale_chunks, out=args.out)
    if args.command == "query":
        from bench.query_bench import run_query_bench

        return run_query_bench(scales=args.scales, answers=not args.no_answers)
    if args.command == "all":
        from bench.ingest_bench import run_ingest_bench
        from bench.query_bench import run_query_bench

        return max(run_ingest_bench(), run_query_bench())
    raise AssertionError(f"unhandled subcommand {args.command!r}")  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())
