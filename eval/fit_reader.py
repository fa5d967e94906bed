"""Fit the reader's weights on all development sets together and write `rag/reading/weights.json`.

    .venv/bin/python -m eval.fit_reader [--sets gold,briefs2,squad2] [--limit N]

Each set's questions go through the same retrieval as `briefqa ask` (its corpus in its own
collection). Labels come from the gold answers, normalised as the sets grade them: a sentence is
positive when it holds a gold variant, a span when it holds one (or is most of one). Fitted in
turn: the answer-type table (entity types of the gold spans per wh-word and head noun, each set
weighing alike), the sentence model (a ranker: what sets a question's right sentence above its
others), the span model over the best sentences' spans, the thresholds that compose an answer
(grid search on short-and-correct), and the decision to answer (`eval/fit_decision.py`: its
model, and its two thresholds on accuracy, with at most 5% of any set's answerable questions
declined).
Sets are weighted equally, whatever their size, so no one of them decides alone.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tqdm import tqdm

from eval.fit_decision import answers, fit_decision
from eval.fitting import fit_logistic, fit_ranker
from eval.gold import GoldItem
from eval.metrics import plain_normal as normalise_plain
from rag.prompts import Turn
from rag.reading.asks import read_asks
from rag.reading.candidates import SENTENCE_FEATURES, SPAN_FEATURES
from rag.reading.model import (
    DECISION_FEATURES,
    WEIGHTS_PATH,
    Logistic,
    TypeTable,
    Weights,
)
from rag.reading.reader import Reading, leads
from rag.reading.spans import NOUN_PHRASE

_ALPHA = 3.0  # pseudo-counts of the type table's back-off
# the least share of cited briefs that hold the answer, per set: the floors the tests hold
# (tests/eval/test_floors.py for the gold set, tests/eval/test_devsets.py for briefs2); further
# parts are fitted within them
MIN_CITATION_PRECISION = {"gold": 0.90, "briefs2": 0.82}
# a span leads a quoted answer only where, on every set, it is the answer this often when the
# quote below it is right: a wrong figure shown first is the worst failure the product has
MIN_LEAD_PRECISION = 0.9
SETS = ("gold", "briefs2", "squad2")

_EMBEDDERS: dict[str, Any] = {}


def _embedder(settings: Any) -> Any:
    from rag.embedding import build_embedder

    if settings.embed_model not in _EMBEDDERS:
        _EMBEDDERS[settings.embed_model] = build_embedder(settings)
    return _EMBEDDERS[settings.embed_model]


def open_set(name: str) -> tuple[Any, list[GoldItem]] | None:
    """A set's pipeline (its corpus ingested into its own collection) and its questions."""
    from eval.devsets import DEVSETS
    from eval.gold import load_gold
    from ingest.runner import ingest_folder
    from rag.pipeline import build_pipeline
    from rag.settings import load_settings

    dev = DEVSETS[name]
    if dev.missing():
        return None
    base = load_settings(llm_backend="extractive")
    # each set in a store of its own: one process holds them all, and `briefqa serve` may be
    # holding the main one
    settings = base.model_copy(update={"data_dir": base.data_dir / "fit" / name})
    pipeline = build_pipeline(settings, embed_model=_embedder(settings))
    ingest_folder(pipeline, dev.corpus, progress=False)
    items, _problems = load_gold(dev.gold)
    return pipeline, items


@dataclass
class Case:
    """One question prepared for fitting."""

    set: str
    item: GoldItem
    asked: str
    context: str
    pool: list[Any]
    answerer: Any
    asks: list[Any] = field(default_factory=list)  # `asks.read_asks`, once sentences are fitted


def gold_variants(item: GoldItem) -> list[str]:
    """Every gold variant of the item, normalised as the sets grade answers."""
    return [normalise_plain(v) for group in item.answers for v in group]


def sentence_label(text: str, variants: list[str]) -> int:
    """1 when the sentence holds a gold variant."""
    t = normalise_plain(text)
    return int(any(v and v in t for v in variants))


def span_label(text: str, variants: list[str]) -> int:
    """1 when the span holds a gold variant or is most of one."""
    t = normalise_plain(text)
    return int(any(v and (v in t or (t in v and len(t) >= 0.5 * len(v))) for v in variants))


def collect(sets: list[str], limit: int | None) -> list[Case]:
    """Prepare every question of the sets (retrieval and candidate passages)."""
    cases = []
    for name in sets:
        opened = open_set(name)
        if opened is None:
            print(f"skipped {name}: its folder is absent", file=sys.stderr)
            continue
        pipeline, items = opened
        answerer = pipeline.answerer
        for item in tqdm(
            items[:limit] if limit else items, desc=f"retrieving {name}", file=sys.stderr
        ):
            history = [Turn(r, c) for r, c in item.history]
            asked, context, pool, _ = answerer.prepare(item.question, history)
            cases.append(Case(name, item, asked, context, pool, answerer))
    return cases


def fit_types(cases: list[Case], reader_for: Any, share: dict[str, float]) -> TypeTable:
    """Entity types of the gold spans, per question class and per wh-word; each set weighs
    alike, as in every other fit (squad2's thousand questions would otherwise set what a
    brief's "where" or "what fee" asks for)."""
    scale = len(cases) / len(share)
    by_class: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    by_wh: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    prior: dict[str, float] = defaultdict(float)
    for case in cases:
        if not case.item.answerable:
            continue
        reader = reader_for(case)
        q = reader.analyse(case.asked, case.answerer.corpus_view(), case.context)
        variants = gold_variants(case.item)
        labels = set()
        for s in reader.score_sentences(q, case.pool, case.answerer.corpus_view(),
                                        case.answerer.retriever.lexical.doc_terms):  # fmt: skip
            labels |= {sp.label for sp in s.sentence.spans if span_label(sp.text, variants)}
        for label in labels:  # each question spreads one count over its answers' types
            weight = share[case.set] * scale / len(labels)
            by_class[q.qclass][label] += weight
            by_wh[q.wh][label] += weight
            prior[label] += weight
    norm = lambda c: {k: v / sum(c.values()) for k, v in c.items()}  # noqa: E731
    return TypeTable(
        {k: norm(v) for k, v in by_class.items()}, {k: norm(v) for k, v in by_wh.items()},
        norm(prior), {k: round(sum(v.values())) for k, v in by_class.items()},
        {k: round(sum(v.values())) for k, v in by_wh.items()}, _ALPHA,
    )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Fit and write the weights; print what each stage reached on each set."""
    parser = argparse.ArgumentParser(prog="python -m eval.fit_reader", description=__doc__)
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--limit", type=int, help="questions per set (quick checks)")
    parser.add_argument("--out", default=str(WEIGHTS_PATH))
    args = parser.parse_args(argv)
    from rag.reading.reader import Reader

    started = time.time()
    cases = collect(args.sets.split(","), args.limit)
    per_set = Counter(c.set for c in cases)
    share = {c.set: 1.0 / per_set[c.set] for c in cases}
    neutral = _neutral()
    readers: dict[tuple[int, int], Reader] = {}

    def reader_for(case: Case, weights: Weights = neutral) -> Reader:
        key = id(case.answerer), id(weights)
        if key not in readers:
            readers[key] = Reader(case.answerer.reader.similarity, weights)
        return readers[key]

    types = fit_types(cases, reader_for, share)
    with_types = replace(neutral, types=types)
    groups: list[tuple[list[list[float]], list[int], float]] = []
    scored_of: dict[int, Any] = {}
    for n, case in enumerate(tqdm(cases, desc="sentence features", file=sys.stderr)):
        reader = reader_for(case, with_types)
        corpus = case.answerer.corpus_view()
        q = reader.analyse(case.asked, corpus, case.context)
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
                              case.answerer.retriever.lexical.doc_terms)  # fmt: skip
    sets = len(per_set)
    fitted = _fit_composition(cases, scored_of, spans_of, reader_for, fitted, share, sets)
    fitted = _fit_parts(cases, scored_of, spans_of, reader_for, fitted, share, sets)
    fitted = _fit_lead(cases, scored_of, spans_of, reader_for, fitted)
    fitted = fit_decision(cases, scored_of, spans_of, reader_for, fitted, share, judge)
    report = _report(cases, scored_of, spans_of, reader_for, fitted)
    provenance = {
        "fitted_by": "python -m eval.fit_reader --sets " + args.sets,
        "questions": dict(per_set), "seconds": round(time.time() - started),
        "date": time.strftime("%Y-%m-%d"), "stages": report,
    }  # fmt: skip
    Path(args.out).write_text(json.dumps(weights_to_dict(replace(fitted, provenance=provenance)),
                                         indent=1) + "\n", encoding="utf-8")  # fmt: skip
    print(f"wrote {args.out} in {provenance['seconds']} s")
    return 0


def score_cases(cases: list[Case], w: Weights) -> tuple[Any, dict[int, Any], dict[int, Any]]:
    """Each case read with these weights, as `Reader.read` reads it: a reader per corpus, and
    per case its question and scored sentences (best first), its spans and its asks."""
    from rag.reading.reader import Reader

    readers: dict[int, Reader] = {}

    def reader_for(case: Case, _weights: Weights = w) -> Reader:
        if id(case.answerer) not in readers:
            readers[id(case.answerer)] = Reader(case.answerer.reader.similarity, w)
        return readers[id(case.answerer)]

    scored_of: dict[int, Any] = {}
    spans_of: dict[int, Any] = {}
    for n, case in enumerate(tqdm(cases, desc="reading", file=sys.stderr)):
        reader, corpus = reader_for(case), case.answerer.corpus_view()
        doc_terms = case.answerer.retriever.lexical.doc_terms
        q = reader.analyse(case.asked, corpus, case.context)
        scored = reader.score_sentences(q, case.pool, corpus, doc_terms)
        scored_of[n] = (q, scored)
        spans_of[n] = reader.find_spans(q, scored)
        case.asks = read_asks(reader, q, case.pool, corpus, doc_terms)
    return reader_for, scored_of, spans_of


def _answers(case: Case, reading: Reading) -> str:
    from rag.composing import compose

    if reading.declined or not reading.findings:
        return ""
    _shown, answer = compose(case.item.question, reading, case.pool, (), "fit", 3)
    return answer.text


def judge(case: Case, reading: Reading) -> bool:
    """Whether this reading answers the case's question right (an answerable one only)."""
    return case.item.answerable and _correct(case, _answers(case, reading))


def _correct(case: Case, text: str) -> bool:
    from eval.metrics import is_correct_plain

    return is_correct_plain(text, not text, case.item.answers, case.item.any_group)


def _composed_score(cases: list[Case], scored_of: dict, spans_of: dict, reader_for: Any,
                    w: Weights, share: dict[str, float], value: Any,
                    cited: dict[str, list[bool]] | None = None) -> float:  # fmt: skip
    """The answerable questions' composed answers under `w`, each right one counted as
    `value(text)`, sets weighted equally (what the composition grids maximise). `cited`, when
    given, collects per set whether each cited brief is one the item says holds the answer."""
    score = 0.0
    for n, case in enumerate(cases):
        q, scored = scored_of[n]
        if not case.item.answerable or not scored:
            continue
        findings = reader_for(case, w)._compose(q, scored, spans_of[n], case.asks)
        if cited is not None and case.item.doc_ids:
            docs = {case.pool[f.passage].doc_id for f in findings}
            cited[case.set].extend(d in case.item.doc_ids for d in docs)
        text = _answers(case, Reading(q, tuple(findings), 1.0))
        if _correct(case, text):
            score += share[case.set] * value(text)
    return score


def _fit_composition(cases: list[Case], scored_of: dict, spans_of: dict, reader_for: Any,
                     w: Weights, share: dict[str, float], sets: int) -> Weights:  # fmt: skip
    """Span and extra-span thresholds: the grid point with the best short-and-correct."""
    best, best_score = w, -1.0
    grid = [
        (rerank, t_span, extra, plural)
        for rerank in (0.0, 0.25, 0.5)
        for t_span in (0.1, 0.3, 0.5, 0.7, 0.9, 1.01)  # 1.01: always the sentence
        for extra in (0.5, 0.7, 0.9, 1.01)
        for plural in (0.3, 0.5, 0.7)
    ]
    for rerank, t_span, extra, plural in grid:
        cand = replace(w, span_threshold=t_span, extra_threshold=extra, rerank=rerank,
                       extra_threshold_plural=plural, answer_threshold=0.0)  # fmt: skip
        score = _composed_score(cases, scored_of, spans_of, reader_for, cand, share,
                                lambda text: float(len(text) <= 300))  # fmt: skip
        if score > best_score:
            best, best_score = cand, score
    print(f"composition: rerank {best.rerank}, span {best.span_threshold}, extra "
          f"{best.extra_threshold}, plural "
          f"{best.extra_threshold_plural}: short-and-correct (answerable, set mean) "
          f"{best_score / sets:.3f}")  # fmt: skip
    return best


def _groups_held(case: Case, text: str) -> set[int]:
    t = normalise_plain(text)
    return {
        g for g, group in enumerate(case.item.answers)
        if any(v and v in t for v in map(normalise_plain, group))
    }  # fmt: skip


def _fit_parts(cases: list[Case], scored_of: dict, spans_of: dict, reader_for: Any,
               w: Weights, share: dict[str, float], sets: int) -> Weights:  # fmt: skip
    """The model of a further quoted sentence (does it hold an answer group the best sentence
    lacks?), then its threshold and the answer's length by grid search on accuracy plus
    short-and-correct of the composed answers."""
    from rag.reading.candidates import local_weights
    from rag.reading.parts import PART_FEATURES, best_spans, part_candidates, part_features
    from rag.reading.reader import SENTENCES_READ, TYPE

    rows, labels, sw = [], [], []
    for n, case in enumerate(cases):
        q, scored = scored_of[n]
        if not case.item.answerable or not scored:
            continue
        spans = spans_of[n]
        best = reader_for(case, w).best_sentence(scored, spans)
        top = {k: p for k, (p, _span) in best_spans(spans).items()}
        local = local_weights(q, [s.sentence for s in scored[:SENTENCES_READ]])
        held = _groups_held(case, best.sentence.text)
        enough = bool(held) if case.item.any_group else len(held) == len(case.item.answers)
        group: list[tuple[list[float], int]] = []
        # the candidates `choose_parts` weighs
        asks = [a.best for a in case.asks]
        for rank, s, ask in part_candidates(best, scored, SENTENCES_READ, asks):
            adds = bool(_groups_held(case, s.sentence.text) - held) and not enough
            group.append((part_features(q, [best], s, local, top.get(id(s), 0.0), rank, TYPE,
                                        ask), int(adds)))  # fmt: skip
        for f, y in group:
            rows.append(f)
            labels.append(y)
            sw.append(share[case.set] / len(group))
    if not any(labels):
        return w
    more = fit_logistic(rows, labels, sw, PART_FEATURES)
    best_w, best_score, best_precise = w, -1.0, False
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01):
        for chars in (284, 426, 568):
            cand = replace(w, more=more, more_threshold=threshold, answer_chars=chars)
            cited: dict[str, list[bool]] = defaultdict(list)
            score = _composed_score(cases, scored_of, spans_of, reader_for, cand, share,
                                    lambda text: 1.0 + (len(text) <= 300), cited)  # fmt: skip
            # a further part from another brief must not make the citations point elsewhere
            precision = {name: sum(v) / len(v) for name, v in cited.items() if v}
            precise = all(precision.get(k, 1.0) >= v for k, v in MIN_CITATION_PRECISION.items())
            if (precise, score) > (best_precise, best_score):
                best_w, best_score, best_precise = cand, score, precise
    print(
        f"parts: threshold {best_w.more_threshold}, {best_w.answer_chars} characters: "
        f"accuracy + short-and-correct (answerable, set mean) {best_score / sets:.3f}, "
        f"citation precision within {MIN_CITATION_PRECISION}: {best_precise}"
    )
    return best_w


def _fit_lead(cases: list[Case], scored_of: dict, spans_of: dict, reader_for: Any,
              w: Weights) -> Weights:  # fmt: skip
    """The lowest span probability at which a one-part quoted answer's best span (an entity,
    `reader.leads`) leads it while, on every set, the lead is the answer `MIN_LEAD_PRECISION` of
    the times its quote is right."""
    from rag.reading.parts import best_spans

    seen: list[tuple[str, float, int]] = []  # (set, the span's probability, it is the answer)
    for n, case in enumerate(cases):
        q, scored = scored_of[n]
        if not case.item.answerable or not scored:
            continue
        reader = reader_for(case, w)
        findings = reader._compose(q, scored, spans_of[n], case.asks)
        p, span = best_spans(spans_of[n]).get(id(reader.best_sentence(scored, spans_of[n])),
                                              (0.0, None))  # fmt: skip
        if len(findings) != 1 or span is None or not leads(span):
            continue
        if _correct(case, _answers(case, Reading(q, tuple(findings), 1.0))):
            seen.append((case.set, p, span_label(span.text, gold_variants(case.item))))
    best = 1.01
    for t in (0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.6, 0.5):
        led = defaultdict(list)
        for name, p, right in seen:
            if p >= t:
                led[name].append(right)
        precision = {k: round(sum(v) / len(v), 3) for k, v in led.items() if v}
        print(f"lead at {t}: precision {precision}")
        if not all(sum(v) >= MIN_LEAD_PRECISION * len(v) for v in led.values()):
            break  # from the surest spans down: the first threshold that fails ends it
        best = t
    shown = sum(p >= best for _s, p, _r in seen)
    print(f"lead: threshold {best}: {shown} of {len(seen)} right one-part quotes led by a span")
    return replace(w, lead_threshold=best)


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
        findings = reader._compose(q, scored, spans_of[n], case.asks) if scored else []
        text = _answers(case, Reading(q, tuple(findings), 1.0)) if findings else ""
        answer = answers(reader, q, case, scored, spans_of[n], findings)
        if case.item.answerable:
            variants = gold_variants(case.item)
            t["answerable"] += 1
            t["ceiling"] += any(sentence_label(s.sentence.text, variants) for s in scored)
            top = reader.best_sentence(scored, spans_of[n]).sentence.text if scored else ""
            t["top_sentence"] += bool(scored) and sentence_label(top, variants)
            t["composed"] += _correct(case, text)
            t["correct"] += answer and _correct(case, text)
            t["short_correct"] += answer and _correct(case, text) and len(text) <= 300
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
    types = TypeTable({}, {}, {NOUN_PHRASE: 1.0}, {}, {}, _ALPHA)
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
        "types": {"alpha": t.alpha, "prior": _round(t.prior), "wh_counts": t.wh_counts,
                  "class_counts": t.class_counts,
                  "by_wh": {k: _round(v) for k, v in t.by_wh.items()},
                  "by_class": {k: _round(v) for k, v in t.by_class.items()}},
    }  # fmt: skip


def _round(d: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in sorted(d.items())}


if __name__ == "__main__":
    raise SystemExit(main())
