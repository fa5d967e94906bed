"""The ingest benchmark's figures and how they are shown: a table on stdout, JSON for `--out`."""

from __future__ import annotations

import json
import os
import platform
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RATIO_TARGET = 1.25
REINGEST_TARGET = 0.02
LEDGER_TARGET = 0.20  # the deal ledger's extraction adds at most 20% to the rest of the ingest
RAW_METHOD = "raw encode = min of 2 runs, one just before and one just after the full ingest"
INGEST_METHOD = "ingest = wall clock incl. store open/close; ratio = ingest s / raw s"


@dataclass
class CorpusFigures:
    """The timings of one corpus; rates are chunks per second."""

    corpus: str
    documents: int
    chunks: int
    ingest_s: float
    raw_runs_s: tuple[float, ...]
    reingest_s: float
    ingest_cpu_s: float  # process CPU time (all threads): less hurt by other load than wall
    raw_cpu_runs_s: tuple[float, ...]
    ledger_s: float = 0.0  # of ingest_s, the wait for the deal ledger after the embedding
    ledger_cpu_s: float = 0.0  # of ingest_cpu_s, the ledger thread's (spaCy loaded before)

    @property
    def raw_s(self) -> float:
        """The raw encoder's time: the fastest run (the stricter baseline)."""
        return min(self.raw_runs_s)

    @property
    def ratio(self) -> float:
        """Full ingest time over raw encode time."""
        return self.ingest_s / self.raw_s

    @property
    def cpu_ratio(self) -> float:
        """The same ratio in process CPU time (a cross-check when the machine is busy)."""
        return self.ingest_cpu_s / min(self.raw_cpu_runs_s)

    @property
    def reingest_share(self) -> float:
        """No-change re-ingest time as a share of the full ingest."""
        return self.reingest_s / self.ingest_s

    @property
    def ledger_share(self) -> float:
        """What the ledger adds, in CPU time: the extraction runs beside the embedding, so its
        wall-clock wait hides what it takes from the encoder on a machine with few cores."""
        return self.ledger_cpu_s / max(self.ingest_cpu_s - self.ledger_cpu_s, 1e-9)

    @property
    def passed(self) -> bool:
        """Every target met."""
        return (
            self.ratio <= RATIO_TARGET
            and self.reingest_share < REINGEST_TARGET
            and self.ledger_share <= LEDGER_TARGET
        )

    def as_json(self) -> dict[str, Any]:
        """Figures for `--out`, with the derived rates and verdicts."""
        return {
            "corpus": self.corpus,
            "documents": self.documents,
            "chunks": self.chunks,
            "ingest_s": round(self.ingest_s, 3),
            "ingest_chunks_per_s": round(self.chunks / self.ingest_s, 1),
            "raw_s": round(self.raw_s, 3),
            "raw_runs_s": [round(s, 3) for s in self.raw_runs_s],
            "raw_chunks_per_s": round(self.chunks / self.raw_s, 1),
            "ratio": round(self.ratio, 3),
            "ratio_pass": self.ratio <= RATIO_TARGET,
            "ingest_cpu_s": round(self.ingest_cpu_s, 3),
            "raw_cpu_runs_s": [round(s, 3) for s in self.raw_cpu_runs_s],
            "cpu_ratio": round(self.cpu_ratio, 3),
            "ledger_s": round(self.ledger_s, 3),
            "ledger_cpu_s": round(self.ledger_cpu_s, 3),
            "ledger_share": round(self.ledger_share, 3),
            "ledger_pass": self.ledger_share <= LEDGER_TARGET,
            "reingest_s": round(self.reingest_s, 3),
            "reingest_share": round(self.reingest_share, 4),
            "reingest_pass": self.reingest_share < REINGEST_TARGET,
        }


def machine_info() -> dict[str, Any]:
    """The CPU, core counts and torch threading the figures were measured with."""
    import torch

    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "torch_interop_threads": torch.get_num_interop_threads(),
        "python": platform.python_version(),
        "load_average_1m": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }


def print_report(
    machine: dict[str, Any], config: dict[str, Any], rows: list[CorpusFigures]
) -> None:
    """The human-readable table, with the machine and settings it was measured under."""
    print(
        f"machine: {machine['cpu']}, {machine['cores']} cores ({machine['usable_cores']} usable), "
        f"torch {machine['torch']} with {machine['torch_threads']} threads "
        f"({machine['torch_interop_threads']} interop), python {machine['python']}, "
        f"1-min load average {machine.get('load_average_1m_start')} at the start, "
        f"{machine['load_average_1m']} at the end"
    )
    print("settings: " + ", ".join(f"{k}={v}" for k, v in config.items()))
    print(f"method: {RAW_METHOD}; {INGEST_METHOD}")
    head = (
        f"{'corpus':<13}{'docs':>6}{'chunks':>8}{'ingest s':>10}{'chunks/s':>10}"
        f"{'raw s':>9}{'chunks/s':>10}{'ratio':>7}  {'<=1.25':<6}{'re-ingest s':>13}"
        f"{'% of full':>11}  {'<2%':<4}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        print(
            f"{r.corpus:<13}{r.documents:>6}{r.chunks:>8}{r.ingest_s:>10.2f}"
            f"{r.chunks / r.ingest_s:>10.1f}{r.raw_s:>9.2f}{r.chunks / r.raw_s:>10.1f}"
            f"{r.ratio:>7.2f}  {_verdict(r.ratio <= RATIO_TARGET):<6}{r.reingest_s:>13.3f}"
            f"{100 * r.reingest_share:>10.2f}%  {_verdict(r.reingest_share < REINGEST_TARGET):<4}"
        )
    runs = "; ".join(f"{r.corpus} " + " / ".join(f"{s:.2f}" for s in r.raw_runs_s) for r in rows)
    print(f"raw runs (s, before / after ingest): {runs}")
    cpu = "; ".join(
        f"{r.corpus} ingest {r.ingest_cpu_s:.1f} / raw {min(r.raw_cpu_runs_s):.1f} = "
        f"{r.cpu_ratio:.2f}"
        for r in rows
    )
    print(f"cross-check in process CPU s (all threads; less hurt by other load): {cpu}")
    ledger = "; ".join(
        f"{r.corpus} {r.ledger_cpu_s:.1f} CPU s = +{100 * r.ledger_share:.0f}% "
        f"({_verdict(r.ledger_share <= LEDGER_TARGET)}), "
        f"waited {r.ledger_s:.2f} s after the embedding"
        for r in rows
    )
    print(
        "deal ledger extraction, beside the embedding (target <= +20% of the rest of the "
        f"ingest's CPU): {ledger}"
    )
    if machine.get("spacy_load_cpu_s") is not None:
        print(
            f"not in these figures: spaCy's one-time import and load, {machine['spacy_load_cpu_s']}"
            " CPU s per process (as the embedder's load is not in the ingest's)"
        )


def write_json(
    out: Path, machine: dict[str, Any], config: dict[str, Any], rows: list[CorpusFigures]
) -> None:
    """Write every figure, the method and the targets to `out` as JSON."""
    figures = {
        "machine": machine,
        "settings": config,
        "method": f"{RAW_METHOD}; {INGEST_METHOD}",
        "targets": {
            "ratio_max": RATIO_TARGET,
            "reingest_share_below": REINGEST_TARGET,
            "ledger_share_max": LEDGER_TARGET,
        },
        "corpora": [row.as_json() for row in rows],
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()
