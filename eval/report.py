"""Evaluation outputs: results.jsonl, summary.json, report.md and a self-contained report.html."""

from __future__ import annotations

import dataclasses
import html
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eval.metrics import Result

# Short-and-correct sits beside accuracy: a right answer buried in a long quote reads as wrong.
HEADLINE = (
    "accuracy", "short_and_correct", "plain_accuracy", "short_and_correct_plain", "hit@1",
    "hit@5", "mrr", "citation_precision", "citation_recall", "grounded_rate", "repaired_rate",
    "abstention_precision", "abstention_recall", "false_abstention_rate", "latency_p50_s",
    "latency_p95_s", "answer_chars_p50", "answer_chars_p90",
)  # fmt: skip


def write_reports(out: Path, results: Sequence[Result], summary: dict[str, Any]) -> None:
    """Write the four files into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    with (out / "results.jsonl").open("w", encoding="utf-8") as fh:
        for r in results:
            row = dataclasses.asdict(r)
            row["cited_doc_ids"], row["retrieved_doc_ids"] = (
                list(r.cited_doc_ids),
                list(r.retrieved_doc_ids),
            )
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    (out / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    (out / "report.md").write_text(render_markdown(results, summary), encoding="utf-8")
    (out / "report.html").write_text(render_html(results, summary), encoding="utf-8")


def _fmt(value: Any) -> str:
    return "n/a" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def _expected(r: Result) -> str:
    joiner = " OR " if r.any_group else " AND "
    return joiner.join("(" + " | ".join(g) + ")" for g in r.expected) or "abstain"


def render_markdown(results: Sequence[Result], summary: dict[str, Any]) -> str:
    """A report a person can read in a terminal or on a code host."""
    overall = summary["overall"]
    lines = ["# briefqa evaluation", "", f"Settings: `{json.dumps(summary['settings'])}`", ""]
    lines += ["| metric | value |", "|---|---|"]
    lines += [f"| {k} | {_fmt(overall.get(k))} |" for k in HEADLINE]
    lines += ["", "## By type", "",
              "| type | n | accuracy | short and correct | plain | hit@5 | abstention recall |",
              "|---|---|---|---|---|---|---|"]  # fmt: skip
    for name, m in summary["by_type"].items():
        lines.append(f"| {name} | {m['questions']} | {_fmt(m['accuracy'])} | "
                     f"{_fmt(m['short_and_correct'])} | {_fmt(m['plain_accuracy'])} | "
                     f"{_fmt(m['hit@5'])} | {_fmt(m['abstention_recall'])} |")  # fmt: skip
    failures = [r for r in results if not r.correct]
    lines += ["", f"## Failures ({len(failures)})", ""]
    for r in failures:
        expected = _expected(r)
        lines += [f"### {r.id} ({r.type}): {r.question}", "", f"- expected: {expected}",
                  f"- given ({len(r.answer)} chars): {r.answer}",
                  f"- gold docs: {', '.join(r.gold_doc_ids) or '-'}",
                  f"- retrieved: {', '.join(r.retrieved_doc_ids[:5])}"]  # fmt: skip
        lines += [f"- [{c['n']}] {c['doc_id']}: “{c['quote']}”" for c in r.citations]
        lines.append("")
    return "\n".join(lines) + "\n"


def _bars(items: Sequence[tuple[str, float]], width: int = 420, unit: str = "") -> str:
    """A horizontal bar chart as inline SVG (values 0..max)."""
    top = max([v for _, v in items] + [1e-9])
    rows = []
    for i, (label, value) in enumerate(items):
        w = int((width - 170) * value / top)
        y = i * 22
        rows.append(
            f'<text x="0" y="{y + 14}" font-size="12">{html.escape(label)}</text>'
            f'<rect x="140" y="{y + 3}" width="{w}" height="15" fill="#3b6ea8"/>'
            f'<text x="{145 + w}" y="{y + 14}" font-size="11">{value:.2f}{unit}</text>'
        )
    return f'<svg width="{width}" height="{22 * len(items) + 6}">{"".join(rows)}</svg>'


def _histogram(values: Sequence[float], bins: int = 10) -> str:
    if not values:
        return ""
    low, high = min(values), max(values)
    step = (high - low) / bins or 1.0
    counts = [0] * bins
    for v in values:
        counts[min(int((v - low) / step), bins - 1)] += 1
    labels = [f"{low + i * step:.2f}-{low + (i + 1) * step:.2f}s" for i in range(bins)]
    return _bars(list(zip(labels, [float(c) for c in counts], strict=True)))


def render_html(results: Sequence[Result], summary: dict[str, Any]) -> str:
    """One self-contained page: headline table, accuracy by type, latency histogram, failures."""
    e = html.escape
    overall = summary["overall"]
    table = "".join(f"<tr><td>{e(k)}</td><td>{e(_fmt(overall.get(k)))}</td></tr>" for k in HEADLINE)
    by_type = [(t, m["accuracy"] or 0.0) for t, m in summary["by_type"].items()]
    failures = []
    for r in results:
        if r.correct:
            continue
        expected = _expected(r)
        cites = "".join(
            f"<li>[{c['n']}] <code>{e(c['doc_id'])}</code> {e(c['title'])}<br><mark>"
            f"{e(c['quote'])}</mark><details><summary>passage</summary>{e(c['text'])}</details></li>"
            for c in r.citations
        )
        failures.append(
            f"<section><h3>{e(r.id)} ({e(r.type)}): {e(r.question)}</h3>"
            f"<p><b>expected:</b> {e(expected)}<br><b>given:</b> {e(r.answer)}<br>"
            f"<b>gold docs:</b> {e(', '.join(r.gold_doc_ids) or '-')}</p><ol>{cites}</ol></section>"
        )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>briefqa evaluation</title>"
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}td{padding:2px 12px}"
        "section{border-top:1px solid #ccc}mark{background:#fff3a8}</style></head><body>"
        f"<h1>briefqa evaluation</h1><p><code>{e(json.dumps(summary['settings']))}</code></p>"
        f"<table>{table}</table><h2>Accuracy by type</h2>{_bars(by_type)}"
        f"<h2>Latency</h2>{_histogram([r.latency_s for r in results])}"
        f"<h2>Failures ({len(failures)})</h2>{''.join(failures)}</body></html>"
    )
