"""The type table: which entity types answer which questions, counted on the development sets'
gold answers, and how a class the sets never counted backs off: to the counted head nouns
nearest in meaning (MiniLM's cosine of the head words: "price" to "payment" and "fee"), and to
the question model, a logistic regression that reads the type from the embedding of the whole
question without its names ("how much came up front", "Kelun-Biotech CEO?").

The back-off's settings (how many neighbours, the cosine floor under which a neighbour weighs
nothing, the wh-word's pull among them; the question model's regularisation and share) are
picked by leave-one-set-out likelihood: each set's answer types predicted by a table counted
(and a model fitted) on the other sets alone, where most of its classes were never seen, as a
new corpus's are. `eval.fit_reader` runs this as its first stage; run alone, it re-picks the
settings for the table checked in, its counts unchanged, and refits the question model:

    .venv/bin/python -m eval.fit_types [--sets gold,briefs2,squad2] [--out W]

With `--folds DIR` it writes, instead, one weights file per set and setting (the checked-in
models, the table counted without that set: `-with` every back-off, `-neighbours` the
neighbours alone, `-without` neither), so that a set can be answered end to end as a corpus
nobody counted:

    .venv/bin/python -m eval.fit_types --folds /tmp/folds
    BRIEFQA_READER_WEIGHTS=/tmp/folds/briefs2-with.json .venv/bin/python -m eval.devsets \
        --sets briefs2
"""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from eval.fit_cases import (
    SETS,
    Case,
    collect,
    gold_variants,
    read_question,
    readers,
    run_cli,
    span_label,
)
from eval.fitting import fit_softmax
from rag.reading.model import WEIGHTS_PATH, QuestionTypes, TypeTable, load_weights

ALPHA = 3.0  # pseudo-counts of each back-off, until `fit_question_mix` picks them
ALPHA_GRID = (0.3, 1.0, 3.0, 10.0)
NEIGHBOURS_GRID = (0, 5, 10, 20)  # 0: no neighbours, the wh-word straight away
FLOOR_GRID = (0.3, 0.4, 0.5)
PULL_GRID = (1.0, 3.0)
C_GRID = (1.0, 3.0, 10.0, 30.0, 100.0)  # the question model's inverse regularisation
MIX_GRID = (0.0, 0.2, 0.35, 0.5, 0.7)  # its share of a never-counted class's back-off
MIX_COUNTED_GRID = (0.0, 0.2, 0.35, 0.5, 0.7)  # ... and of a counted class's distribution

#: Cosine of two head nouns' embeddings.
Cosine = Callable[[str, str], float]


@dataclass(frozen=True)
class TypeRow:
    """One answerable question: its set, its class ("what|price") and its gold spans' types."""

    set: str
    qclass: str
    labels: tuple[str, ...]
    vector: tuple[float, ...] = ()  # the question's embedding without its names


def type_rows(cases: Sequence[Case], reader_for: Any) -> list[TypeRow]:
    """The entity types of each answerable question's gold spans, in any candidate sentence."""
    rows = []
    for case in cases:
        if not case.item.answerable:
            continue
        reader = reader_for(case)
        q = read_question(reader, case)  # as `Reader.read` reads it
        variants = gold_variants(case.item)
        labels: set[str] = set()
        for s in reader.score_sentences(q, case.pool, case.answerer.corpus_view(),
                                        case.answerer.retriever.lexical.doc_terms):  # fmt: skip
            labels |= {sp.label for sp in s.sentence.spans if span_label(sp.text, variants)}
        if labels:
            vector = tuple(reader.embed(q.bare or q.text)) if reader.embed else ()
            rows.append(TypeRow(case.set, q.qclass, tuple(sorted(labels)), vector))
    return rows


def count_types(rows: Sequence[TypeRow], sizes: dict[str, int]) -> TypeTable:
    """The table counted on the rows; each set weighs alike (`sizes`: its questions), so that
    squad2's thousand questions do not set what a brief's "where" or "what fee" asks for."""
    used = {r.set for r in rows}
    scale = sum(sizes[s] for s in used) / max(1, len(used))
    by_class: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    by_wh: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    prior: dict[str, float] = defaultdict(float)
    for row in rows:
        wh = row.qclass.split("|", 1)[0]
        for label in row.labels:  # each question spreads one count over its answers' types
            weight = scale / sizes[row.set] / len(row.labels)
            by_class[row.qclass][label] += weight
            by_wh[wh][label] += weight
            prior[label] += weight
    norm = lambda c: {k: v / sum(c.values()) for k, v in c.items()}  # noqa: E731
    return TypeTable(
        {k: norm(v) for k, v in by_class.items()}, {k: norm(v) for k, v in by_wh.items()},
        norm(prior), {k: round(sum(v.values())) for k, v in by_class.items()},
        {k: round(sum(v.values())) for k, v in by_wh.items()}, ALPHA,
    )  # fmt: skip


def held_out_likelihood(table: TypeTable, rows: Sequence[TypeRow], cosine: Cosine) -> float:
    """Mean log-probability the table gives the rows' gold types."""
    headed = table.headed()
    total = 0.0
    for row in rows:
        head = row.qclass.split("|", 1)[1]
        near = [(c, cosine(head, h)) for c, h in headed] if head and table.neighbours else []
        model = table.worded(row.qclass)
        asked = model.distribution(row.vector) if model is not None and row.vector else None
        dist = table.distribution(row.qclass, near, asked)
        total += math.log(max(1e-6, sum(dist.get(label, 0.0) for label in row.labels)))
    return total / max(1, len(rows))


def fit_neighbours(
    rows: Sequence[TypeRow], sizes: dict[str, int], cosine: Cosine
) -> tuple[TypeTable, dict[str, Any]]:
    """The neighbour settings with the best mean leave-one-set-out likelihood (each held-out set
    weighing alike), applied to the table counted on every row; and what each set reached."""
    sets = sorted({r.set for r in rows})
    folds = [(count_types([r for r in rows if r.set != s], sizes), [r for r in rows if r.set == s])
             for s in sets]  # fmt: skip
    grid = [(0, 0.0, 1.0)] + [
        (k, f, p) for k in NEIGHBOURS_GRID if k for f in FLOOR_GRID for p in PULL_GRID
    ]

    def likelihoods(k: int, f: float, p: float) -> list[float]:
        return [held_out_likelihood(replace(t, neighbours=k, floor=f, pull=p), held, cosine)
                for t, held in folds]  # fmt: skip

    scores = {g: likelihoods(*g) for g in grid} if len(sets) > 1 else {grid[0]: [0.0]}
    best = max(scores, key=lambda g: sum(scores[g]))
    report = {
        "held_out_log_likelihood": dict(zip(sets, map(_r, scores[best]), strict=True)),
        "without_neighbours": dict(zip(sets, map(_r, scores[grid[0]]), strict=True)),
    }
    table = replace(count_types(rows, sizes), neighbours=best[0], floor=best[1], pull=best[2])
    return table, report


def fit_question(rows: Sequence[TypeRow], sizes: dict[str, int], c: float,
                 embedder: str = "") -> QuestionTypes | None:  # fmt: skip
    """The question model on the rows' embeddings (by the model named `embedder`;
    `fitting.fit_softmax`, L2 of strength `1/c`); each set weighs alike and a question's answer
    types share its one count. None when the rows have no embeddings or a single type."""
    x, y, w = [], [], []
    for r in rows:
        for label in r.labels if r.vector else ():
            x.append(list(r.vector))
            y.append(label)
            w.append(1.0 / sizes[r.set] / len(r.labels))
    return fit_softmax(x, y, w, c, embedder) if len(set(y)) > 1 else None


def fit_question_mix(
    rows: Sequence[TypeRow], sizes: dict[str, int], table: TypeTable, cosine: Cosine,
    embedder: str = "",
) -> tuple[TypeTable, dict[str, Any]]:  # fmt: skip
    """The question model's strength and shares (of a never-counted class's back-off, of a
    counted class's distribution), and the pseudo-counts by which a class's own counts give way
    to its back-off (`alpha`), with the best mean leave-one-set-out likelihood, on top of
    `table`'s neighbour settings; the model refitted on every row. The pseudo-counts are picked
    here, with the shares, because the question model mixed into a class smooths its few
    counts too: how much back-off a class needs depends on that share."""
    sets = sorted({r.set for r in rows})
    if len(sets) < 2 or not any(r.vector for r in rows):
        return table, {}
    folds = []
    for s in sets:
        train, held = [r for r in rows if r.set != s], [r for r in rows if r.set == s]
        counted = replace(count_types(train, sizes), neighbours=table.neighbours,
                          floor=table.floor, pull=table.pull)  # fmt: skip
        folds.append((counted, {c: fit_question(train, sizes, c, embedder) for c in C_GRID}, held))
    scores = {
        (c, mix, share, alpha): [
            held_out_likelihood(
                replace(t, question=models[c], mix=mix, mix_counted=share, alpha=alpha), held,
                cosine,
            )
            for t, models, held in folds
        ]
        for c in C_GRID for mix in MIX_GRID for share in MIX_COUNTED_GRID for alpha in ALPHA_GRID
    }  # fmt: skip
    c, mix, share, alpha = max(scores, key=lambda g: sum(scores[g]))
    report = {
        "question_model": {"C": c, "mix": mix, "mix_counted": share, "alpha": alpha},
        "held_out_log_likelihood": dict(
            zip(sets, map(_r, scores[c, mix, share, alpha]), strict=True)
        ),
        "without_question_model": dict(
            zip(sets, map(_r, scores[C_GRID[0], 0.0, 0.0, alpha]), strict=True)
        ),
        "never_counted_only": dict(zip(sets, map(_r, scores[c, mix, 0.0, alpha]), strict=True)),
    }
    question = fit_question(rows, sizes, c, embedder)
    return replace(table, question=question, mix=mix, mix_counted=share, alpha=alpha), report


def head_cosine(similarity: Callable[[str, Sequence[str]], Sequence[float]],
                rows: Sequence[TypeRow]) -> Cosine:  # fmt: skip
    """The cosine of any two of the rows' head nouns, each head embedded once."""
    heads = sorted({h for r in rows if (h := r.qclass.split("|", 1)[1])})
    matrix = {h: dict(zip(heads, map(float, similarity(h, heads)), strict=True)) for h in heads}
    return lambda a, b: matrix.get(a, {}).get(b, 0.0)


def fit_types(cases: Sequence[Case], reader_for: Any) -> tuple[TypeTable, dict[str, Any]]:
    """The type table counted on the cases, with its neighbour settings fitted."""
    return _fit(cases, type_rows(cases, reader_for))


def _fit(cases: Sequence[Case], rows: Sequence[TypeRow]) -> tuple[TypeTable, dict[str, Any]]:
    sizes = Counter(c.set for c in cases)
    cosine = head_cosine(cases[0].answerer.reader.similarity, rows)
    table, report = fit_neighbours(rows, sizes, cosine)
    embedder = cases[0].answerer.settings.embed_model
    table, worded = fit_question_mix(rows, sizes, table, cosine, embedder)
    return table, {**report, **worded}


def write_folds(rows: Sequence[TypeRow], sizes: dict[str, int], fitted: TypeTable,
                folder: Path, c: float = 1.0) -> int:  # fmt: skip
    """`<set>-with.json`, `<set>-neighbours.json` and `<set>-without.json` per set: the
    checked-in weights with the type table counted (and the question model fitted) on the
    other sets, with every fitted back-off, with the neighbours alone, and with neither."""
    from eval.fit_reader import weights_to_dict

    folder.mkdir(parents=True, exist_ok=True)
    for name in sorted(sizes):
        train = [r for r in rows if r.set != name]
        table = count_types(train, sizes)
        question = fitted.question and fit_question(train, sizes, c, fitted.question.embedder)
        for suffix, k, mix, counted in (
            ("with", fitted.neighbours, fitted.mix, fitted.mix_counted),
            ("neighbours", fitted.neighbours, 0.0, 0.0),
            ("without", 0, 0.0, 0.0),
        ):
            types = replace(
                table,
                neighbours=k,
                alpha=fitted.alpha,
                floor=fitted.floor,
                pull=fitted.pull,
                question=question if mix or counted else None,
                mix=mix,
                mix_counted=counted,
            )
            w = replace(load_weights(), types=types)
            path = folder / f"{name}-{suffix}.json"
            path.write_text(json.dumps(weights_to_dict(w), indent=1) + "\n", encoding="utf-8")
            print(f"wrote {path}")
    return 0


def question_to_dict(q: QuestionTypes) -> dict[str, Any]:
    """The JSON form of the question model (five decimals: a few thousand numbers)."""
    return {"labels": list(q.labels), "embedder": q.embedder,
            "intercept": [round(c, 5) for c in q.intercept],
            "coef": [[round(c, 5) for c in row] for row in q.coef]}  # fmt: skip


def _r(x: float) -> float:
    return round(x, 4)


def main(argv: list[str] | None = None) -> int:
    """Re-pick the back-off settings for the checked-in type table, refit the question model,
    and write them."""
    parser = argparse.ArgumentParser(prog="python -m eval.fit_types", description=__doc__)
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--limit", type=int, help="questions per set (quick checks)")
    parser.add_argument("--out", default=str(WEIGHTS_PATH))
    parser.add_argument("--folds", type=Path, help="write leave-one-set-out weights here")
    args = parser.parse_args(argv)
    cases = collect(args.sets.split(","), args.limit)
    rows = type_rows(cases, readers(load_weights()))
    fitted, report = _fit(cases, rows)
    if args.folds:
        c = report.get("question_model", {}).get("C", 1.0)
        return write_folds(rows, Counter(x.set for x in cases), fitted, args.folds, c)
    print(json.dumps({"neighbours": fitted.neighbours, "floor": fitted.floor,
                      "pull": fitted.pull, **report}, indent=1))  # fmt: skip
    raw = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    raw["types"].update(
        neighbours=fitted.neighbours,
        floor=fitted.floor,
        pull=fitted.pull,
        alpha=fitted.alpha,
        mix=fitted.mix,
        mix_counted=fitted.mix_counted,
    )
    raw["types"].pop("question", None)
    if fitted.question is not None:
        raw["types"]["question"] = question_to_dict(fitted.question)
    raw["provenance"]["types_by"] = "python -m eval.fit_types --sets " + args.sets
    raw["provenance"]["types"] = report
    Path(args.out).write_text(json.dumps(raw, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(run_cli(main))
