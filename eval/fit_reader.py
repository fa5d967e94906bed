"""Fit the reader's weights on all development sets together and write `rag/reading/weights.json`.

    .venv/bin/python -m eval.fit_reader [--sets gold,briefs2,squad2] [--limit N]
    .venv/bin/python -m eval.fit_reader --only sentence [--weights W] [--out W]

Each set's questions go through the same retrieval as `briefqa ask` (its corpus in its own
collection). Labels come from the gold answers, normalised as the sets grade them: a sentence is
positive when it holds a gold variant, a span when it holds one (or is most of one). Fitted in
turn: the answer-type table (entity types of the gold spans per wh-word and head noun, each set
weighing alike), the sentence model (a listwise ranker: what sets a question's right sentence
above its others; `--only sentence` refits it alone, the other stages kept), the span model over
the best sentences' spans, the thresholds that compose an answer
(`eval/fit_compose.py`: grid search on short-and-correct), and the decision to answer
(`eval/fit_decision.py`: its model, and its two thresholds on accuracy, with at most 5% of any
set's answerable questions declined; its thresholds are then re-picked on the questions read
as corpora nobody counted too, by `python -m eval.fit_types --folds DIR` and
`python -m eval.fit_decision --folds DIR`, on the weights this writes).
Sets are weighted equally, whatever their size, so no one of them decides alone.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

from tqdm import tqdm

from eval.fit_cases import (
    SETS,
    Case,
    collect,
    composed_text,
    gold_variants,
    judge,
    read_question,
    readers,
    run_cli,
    sentence_label,
    set_shares,
    span_label,
    text_right,
)
from eval.fit_compose import fit_composition, fit_lead, fit_parts
from eval.fit_decision import answers, fit_decision
from eval.fit_types import ALPHA, fit_types, question_to_dict
from eval.fitting import fit_logistic, fit_ranker
from rag.reading.asks import read_asks
from rag.reading.candidates import SENTENCE_FEATURES, SPAN_FEATURES
from rag.reading.compose import best_sentence, compose
from rag.reading.model import (
    DECISION_FEATURES,
    WEIGHTS_PATH,
    Logistic,
    TypeTable,
    Weights,
    load_weights,
)
from rag.reading.reader import Reading
from rag.reading.spans import NOUN_PHRASE


def main(argv: list[str] | None = None) -> int:
    """Fit and write the weights; print what each stage reached on each set."""
    parser = argparse.ArgumentParser(prog="python -m eval.fit_reader", description=__doc__)
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--limit", type=int, help="questions per set (quick checks)")
    parser.add_argument("--out", default=str(WEIGHTS_PATH))
    parser.add_argument("--only", choices=("sentence",),
                        help="refit this stage alone, the other stages of --weights kept (then "
                        "re-pick the thresholds: python -m eval.fit_decision --folds)")  # fmt: skip
    parser.add_argument("--weights", default=str(WEIGHTS_PATH), help="the weights --only keeps")
    args = parser.parse_args(argv)
    if args.only:
        return refit_sentences(args.sets, args.limit, Path(args.weights), Path(args.out))

    started = time.time()
    cases = collect(args.sets.split(","), args.limit)
    per_set = Counter(c.set for c in cases)
    share = set_shares(cases)
    neutral = _neutral()
    reader_for = readers(neutral)
    types, types_report = fit_types(cases, reader_for)
    with_types = replace(neutral, types=types)
    groups, scored_of = sentence_groups(cases, reader_for, with_types, share)
    sentence = fit_ranker(groups, SENTENCE_FEATURES)
    fitted = replace(with_types, sentence=sentence)
    rows, labels, sw = [], [], []
    spans_of: dict[int, Any] = {}
    for n, case in enumerate(tqdm(cases, desc="span features", file=sys.stderr)):
        reader = reader_for(case, fitted)
        q, scored = scored_of[n]
        for s in scored:
            s.probability = sentence.probability(s.features)
        scored.sort(key=lambda x: -x.probability)
        found = reader.find_spans(q, scored)
        spans_of[n] = found
        if not case.item.answerable:
            continue
        variants = gold_variants(case.item)
        feats = reader.span_feature_rows(q, scored)
        ys = [span_label(sp.text, variants) for _f, _item, sp in feats]
        if not any(ys):
            continue
        for (f, _item, _sp), y in zip(feats, ys, strict=True):
            rows.append(f)
            labels.append(y)
            sw.append(share[case.set] / len(feats))
    span = fit_logistic(rows, labels, sw, SPAN_FEATURES)
    fitted = replace(fitted, span=span)
    for n, case in enumerate(cases):
        q, scored = scored_of[n]
        reader = reader_for(case, fitted)
        spans_of[n] = reader.find_spans(q, scored)
        # the asks' best sentences under the fitted sentence model, as `Reader.read` has them
        case.asks = read_asks(reader, q, case.pool, case.answerer.corpus_view(),
                              case.answerer.retriever.lexical.doc_terms, scored)  # fmt: skip
    sets = len(per_set)
    fitted = fit_composition(cases, scored_of, spans_of, reader_for, fitted, share, sets)
    fitted = fit_parts(cases, scored_of, spans_of, reader_for, fitted, share, sets)
    fitted = fit_lead(cases, scored_of, spans_of, reader_for, fitted)
    fitted = fit_decision(cases, scored_of, spans_of, reader_for, fitted, share, judge)
    report = _report(cases, scored_of, spans_of, reader_for, fitted)
    provenance = {
        "fitted_by": "python -m eval.fit_reader --sets " + args.sets,
        "questions": dict(per_set), "seconds": round(time.time() - started),
        "date": time.strftime("%Y-%m-%d"), "stages": report, "types": types_report,
    }  # fmt: skip
    Path(args.out).write_text(json.dumps(weights_to_dict(replace(fitted, provenance=provenance)),
                                         indent=1) + "\n", encoding="utf-8")  # fmt: skip
    print(f"wrote {args.out} in {provenance['seconds']} s")
    return 0


Groups = list[tuple[list[list[float]], list[int], float]]  # per question: rows, labels, weight


def sentence_groups(cases: list[Case], reader_for: Any, w: Weights, share: dict[str, float]
                    ) -> tuple[Groups, dict[int, Any]]:  # fmt: skip
    """The sentence ranker's data: each answerable question's scored sentences (features,
    labels, its set's share) where some sentence holds a gold variant; and every question's
    reading (question, scored sentences) under `w`."""
    groups: Groups = []
    scored_of: dict[int, Any] = {}
    for n, case in enumerate(tqdm(cases, desc="sentence features", file=sys.stderr)):
        reader = reader_for(case, w)
        corpus = case.answerer.corpus_view()
        q = read_question(reader, case)
        scored = reader.score_sentences(
            q, case.pool, corpus, case.answerer.retriever.lexical.doc_terms
        )
        scored_of[n] = (q, scored)
        if not case.item.answerable:
            continue
        variants = gold_variants(case.item)
        ys = [sentence_label(s.sentence.text, variants) for s in scored]
        if not any(ys):
            continue  # retrieval missed: nothing to learn about reading here
        groups.append(([s.features for s in scored], ys, share[case.set]))
    return groups, scored_of


def refit_sentences(sets: str, limit: int | None, weights: Path, out: Path) -> int:
    """Refit the sentence ranker alone on the sets, the other stages of `weights` kept (a
    sentence's features do not depend on the models fitted after it), and write the result."""
    w = load_weights(weights)
    cases = collect(sets.split(","), limit)
    share = set_shares(cases)
    groups, _ = sentence_groups(cases, readers(w), w, share)
    sentence = fit_ranker(groups, SENTENCE_FEATURES)
    by = "python -m eval.fit_reader --only sentence --sets " + sets
    provenance = {**w.provenance, "sentence_by": by}
    fitted = replace(w, sentence=sentence, provenance=provenance)
    out.write_text(json.dumps(weights_to_dict(fitted), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}; re-pick the thresholds: python -m eval.fit_decision --folds DIR")
    return 0


def _report(cases: list[Case], scored_of: dict, spans_of: dict, reader_for: Any,
            w: Weights) -> dict[str, dict[str, float]]:  # fmt: skip
    """What each stage reaches on each set, with the fitted weights: a gold variant in some
    candidate sentence (the retrieval ceiling), in the best sentence, in the composed answer;
    then the whole decision: accuracy, short-and-correct, abstention recall, false refusals."""
    tallies: dict[str, Counter[str]] = defaultdict(Counter)
    for n, case in enumerate(cases):
        t = tallies[case.set]
        q, scored = scored_of[n]
        reader = reader_for(case, w)
        findings = compose(reader.weights, q, scored, spans_of[n], case.asks) if scored else []
        text = composed_text(case, Reading(q, tuple(findings), 1.0)) if findings else ""
        answer = answers(reader, q, case, scored, spans_of[n], findings)
        if case.item.answerable:
            variants = gold_variants(case.item)
            t["answerable"] += 1
            t["ceiling"] += any(sentence_label(s.sentence.text, variants) for s in scored)
            top = best_sentence(reader.weights, scored, spans_of[n]).sentence.text if scored else ""
            t["top_sentence"] += bool(scored) and sentence_label(top, variants)
            t["composed"] += text_right(case, text)
            t["correct"] += answer and text_right(case, text)
            t["short_correct"] += answer and text_right(case, text) and len(text) <= 300
            t["refused"] += not answer
        else:
            t["unanswerable"] += 1
            t["correct"] += not answer
            t["short_correct"] += not answer
            t["declined"] += not answer
    out = {}
    for name, t in tallies.items():
        a, u = max(1, t["answerable"]), max(1, t["unanswerable"])
        total = t["answerable"] + t["unanswerable"]
        out[name] = {
            "ceiling": t["ceiling"] / a, "top_sentence": t["top_sentence"] / a,
            "composed": t["composed"] / a, "accuracy": t["correct"] / total,
            "short_and_correct": t["short_correct"] / total,
            "abstention_recall": t["declined"] / u, "false_refusals": t["refused"] / a,
        }  # fmt: skip
        out[name] = {k: round(v, 3) for k, v in out[name].items()}
        print(name, out[name])
    return out


def _neutral() -> Weights:
    """Flat weights to start from: a fit never depends on the weights it replaces."""
    flat = lambda names: Logistic(names, tuple(1.0 for _ in names), 0.0)  # noqa: E731
    types = TypeTable({}, {}, {NOUN_PHRASE: 1.0}, {}, {}, ALPHA)
    return Weights(types, flat(SENTENCE_FEATURES), flat(SPAN_FEATURES), flat(DECISION_FEATURES),
                   0.0, 0.1, 0.9, 0.5, {})  # fmt: skip


def weights_to_dict(w: Weights) -> dict[str, Any]:
    """The JSON form of the weights (read back by `rag.reading.model.weights_from_dict`)."""
    lg = lambda m: {"features": list(m.features), "coef": list(m.coef), "intercept": m.intercept}  # noqa: E731
    t = w.types
    return {
        "provenance": w.provenance,
        "thresholds": {"answer": w.answer_threshold, "span": w.span_threshold,
                       "extra": w.extra_threshold, "extra_plural": w.extra_threshold_plural,
                       "rerank": w.rerank, "more": w.more_threshold,
                       "answer_chars": w.answer_chars, "lead": w.lead_threshold,
                       "quantity": w.quantity_threshold},
        "sentence": lg(w.sentence), "span": lg(w.span), "decision": lg(w.decision),
        **({"more": lg(w.more)} if w.more is not None else {}),
        "types": {"alpha": t.alpha, "neighbours": t.neighbours, "floor": t.floor, "pull": t.pull,
                  "mix": t.mix, "mix_counted": t.mix_counted,
                  **({"question": question_to_dict(t.question)} if t.question else {}),
                  "prior": _round(t.prior), "wh_counts": t.wh_counts,
                  "class_counts": t.class_counts,
                  "by_wh": {k: _round(v) for k, v in t.by_wh.items()},
                  "by_class": {k: _round(v) for k, v in t.by_class.items()}},
    }  # fmt: skip


def _round(d: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in sorted(d.items())}


if __name__ == "__main__":
    raise SystemExit(run_cli(main))
