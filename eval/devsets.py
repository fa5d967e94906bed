"""The project's gold set and the development sets in `../shared/devsets`, each evaluated the way
`briefqa eval --corpus DIR --gold FILE` evaluates it, summed up in one table.

    .venv/bin/python -m eval.devsets [--backend extractive] [--sets gold,briefs2,squad2]
                                     [--limit N] [--out DIR]

Each set's reports go to `<out>/<set>/` (default `<data dir>/eval/devsets-<timestamp>/`). A set
whose folder is absent (a checkout without `../shared`) is skipped and named as skipped.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from eval.runner import EvalRun, evaluate_gold
from rag.errors import BriefqaError
from rag.pipeline import Pipeline, build_pipeline
from rag.settings import load_settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@dataclass(frozen=True)
class DevSet:
    """A corpus folder and the gold file asked of it."""

    name: str
    corpus: Path
    gold: Path

    def missing(self) -> str | None:
        """Why the set cannot run here (its folder or file is absent), or None when it can."""
        for path in (self.corpus, self.gold):
            if not path.exists():
                return f"{path} is absent"
        return None


DEVSETS = {
    "gold": DevSet("gold", REPO / "corpus", REPO / "eval" / "gold.jsonl"),
    "briefs2": DevSet(
        "briefs2",
        SHARED / "devsets" / "briefs2" / "docs",
        SHARED / "devsets" / "briefs2" / "questions.jsonl",
    ),
    "squad2": DevSet(
        "squad2",
        SHARED / "devsets" / "squad2-sample" / "docs",
        SHARED / "devsets" / "squad2-sample" / "questions.jsonl",
    ),
}

#: (column heading, summary key, format) of the printed table.
COLUMNS = (
    ("questions", "questions", "d"),
    ("accuracy", "accuracy", ".3f"),
    ("plain accuracy", "plain_accuracy", ".3f"),
    ("short+correct (plain)", "short_and_correct_plain", ".3f"),
    ("abstention recall", "abstention_recall", ".3f"),
    ("false abstention", "false_abstention_rate", ".3f"),
    ("median chars", "answer_chars_p50", ".0f"),
)


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_devsets(
    pipeline: Pipeline,
    names: Sequence[str],
    out_root: Path,
    *,
    limit: int | None = None,
    progress: bool = True,
    log: Callable[[str], None] = _stderr,
    casing: str | None = None,
) -> tuple[dict[str, EvalRun], dict[str, str]]:
    """Evaluate each named set into `out_root/<name>/`; returns the runs and, per set skipped,
    why. Progress and skipped gold lines go to `log`. `casing` (a key of `CASINGS`) asks each
    question written so (`recase_gold`): how a user's headline, capitals or request fare."""
    runs: dict[str, EvalRun] = {}
    skipped: dict[str, str] = {}
    for number, name in enumerate(names, start=1):
        devset = DEVSETS[name]
        reason = devset.missing()
        if reason:
            skipped[name] = reason
            log(f"[{number}/{len(names)}] {name}: skipped ({reason})")
            continue
        log(f"[{number}/{len(names)}] {name}: ingesting {devset.corpus}, asking {devset.gold}")

        def warn(problem: str, name: str = name) -> None:
            log(f"warning: {name}: {problem} (skipped)")

        gold = devset.gold
        if casing:
            gold = recase_gold(gold, out_root / name / f"gold-{casing}.jsonl", casing)
        runs[name] = evaluate_gold(
            pipeline,
            gold,
            devset.corpus,
            out_root / name,
            limit=limit,
            progress=progress,
            on_problem=warn,
        )
    return runs, skipped


CASINGS: dict[str, Callable[[str], str]] = {
    "title": lambda text: " ".join(w[:1].upper() + w[1:] for w in text.split(" ")),
    "upper": str.upper,
    # as a user types into a search box: names and codes in lower case too ("kelun", "ct053")
    "lower": str.lower,
    # not a casing but a user's phrasing all the same: the question put as a request
    "request": lambda q: "Can you tell me " + q[:1].lower() + q[1:],
    "chat": lambda q: f"Hi, {q} Thanks!",  # a greeting before it, thanks after
}


def recase_gold(source: Path, target: Path, casing: str) -> Path:
    """A copy of a gold file with its questions (and the user's earlier turns) written in
    `casing` (a key of `CASINGS`); lines it cannot read are copied as they are, for the runner
    to report."""
    change = CASINGS[casing]
    lines = []
    for line in source.read_text(encoding="utf-8").splitlines():
        try:
            item = json.loads(line)
            item["question"] = change(item["question"])
            for turn in item.get("history") or ():
                if turn.get("role") == "user":
                    turn["content"] = change(turn["content"])
            line = json.dumps(item, ensure_ascii=False)
        except (ValueError, KeyError, TypeError, AttributeError):
            pass
        lines.append(line)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def format_table(runs: dict[str, EvalRun]) -> str:
    """One row per set: questions, accuracy, plain accuracy, short-and-correct (plain), abstention
    recall, false abstention rate and median answer length."""
    header = ["set", *(title for title, _, _ in COLUMNS)]
    rows = [header]
    for name, run in runs.items():
        overall = run.summary["overall"]
        rows.append([name, *_cells(overall, COLUMNS)])
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w)
                       in enumerate(zip(row, widths, strict=True))) for row in rows]  # fmt: skip
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cells(overall: dict[str, Any], columns: Sequence[tuple[str, str, str]]) -> list[str]:
    values = [(overall.get(key), spec) for _, key, spec in columns]
    return ["n/a" if value is None else format(value, spec) for value, spec in values]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the sets, print the table; returns the exit status."""
    from rag.models import enable_offline

    args = _parser().parse_args(argv)
    names = [n.strip() for n in args.sets.split(",") if n.strip()]
    unknown = [n for n in names if n not in DEVSETS]
    if unknown or not names:
        _stderr(f"error: unknown set(s) {', '.join(unknown) or '(none)'}; "
                f"choose from {', '.join(DEVSETS)}")  # fmt: skip
        return 2
    enable_offline()  # before any library that could reach for a model hub is imported
    try:
        settings = load_settings(llm_backend=args.backend)
        out_root = (
            Path(args.out)
            if args.out
            else settings.data_dir / "eval" / f"devsets-{time.strftime('%Y%m%d-%H%M%S')}"
        )
        with build_pipeline(settings) as pipeline:
            runs, skipped = run_devsets(
                pipeline, names, out_root, limit=args.limit, casing=args.casing
            )
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        _stderr(f"error: invalid settings ({problems}); see README, Configuration")
        return 1
    except BriefqaError as exc:
        _stderr(f"error: {exc}")
        return 1
    if runs:
        print(format_table(runs))
    for name, reason in skipped.items():
        print(f"skipped {name}: {reason}")
    if not runs:
        return 1
    print(f"reports: {out_root}/<set>/report.html")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m eval.devsets",
        description="Evaluate the gold set and the development sets; print one table.",
    )
    parser.add_argument(
        "--backend", choices=["embedded", "openai", "extractive"], help="LLM backend"
    )
    parser.add_argument(
        "--sets", default=",".join(DEVSETS), help=f"comma-separated, of {', '.join(DEVSETS)}"
    )
    parser.add_argument("--limit", type=int, help="only the first N questions of each set")
    parser.add_argument(
        "--casing", choices=sorted(CASINGS),
        help="ask every question written so (title: every word capitalised; upper: capitals; "
        "lower: no capitals; request: after 'Can you tell me'; chat: between 'Hi,' and "
        "'Thanks!')",
    )  # fmt: skip
    parser.add_argument(
        "--out", help="output folder (default <data dir>/eval/devsets-<timestamp>); one per set"
    )
    return parser


if __name__ == "__main__":
    sys.exit(main())
