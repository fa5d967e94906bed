"""The composition of an answer, fitted: the thresholds that choose span or sentence, the
model and threshold of further quoted parts with the answer's length, and when a span leads a
quoted answer. Each by grid search on the development sets' composed answers, sets weighted
equally (`eval.fit_reader` runs them in turn)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import Any

from eval.fit_cases import Case, composed_text, gold_variants, span_label, text_right
from eval.fitting import fit_logistic
from eval.metrics import plain_normal as normalise_plain
from rag.reading.compose import SENTENCES_READ, TYPE, best_sentence, compose, leads
from rag.reading.model import Weights
from rag.reading.reader import Reading

# the least share of cited briefs that hold the answer, per set: the floors the tests hold
# (tests/eval/test_floors.py for the gold set, tests/eval/test_devsets.py for briefs2); further
# parts are fitted within them
MIN_CITATION_PRECISION = {"gold": 0.90, "briefs2": 0.82}
# a span leads a quoted answer only where, on every set, it is the answer this often when the
# quote below it is right: a wrong figure shown first is the worst failure the product has
MIN_LEAD_PRECISION = 0.9


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
        findings = compose(reader_for(case, w).weights, q, scored, spans_of[n], case.asks)
        if cited is not None and case.item.doc_ids:
            docs = {case.pool[f.passage].doc_id for f in findings}
            cited[case.set].extend(d in case.item.doc_ids for d in docs)
        text = composed_text(case, Reading(q, tuple(findings), 1.0))
        if text_right(case, text):
            score += share[case.set] * value(text)
    return score


def fit_composition(cases: list[Case], scored_of: dict, spans_of: dict, reader_for: Any,
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


def fit_parts(cases: list[Case], scored_of: dict, spans_of: dict, reader_for: Any,
               w: Weights, share: dict[str, float], sets: int) -> Weights:  # fmt: skip
    """The model of a further quoted sentence (does it hold an answer group the best sentence
    lacks?), then its threshold and the answer's length by grid search on accuracy plus
    short-and-correct of the composed answers."""
    from rag.reading.candidates import local_weights
    from rag.reading.parts import PART_FEATURES, best_spans, part_candidates, part_features

    rows, labels, sw = [], [], []
    for n, case in enumerate(cases):
        q, scored = scored_of[n]
        if not case.item.answerable or not scored:
            continue
        spans = spans_of[n]
        best = best_sentence(reader_for(case, w).weights, scored, spans)
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


def fit_lead(cases: list[Case], scored_of: dict, spans_of: dict, reader_for: Any,
              w: Weights) -> Weights:  # fmt: skip
    """The lowest span probability at which a one-part quoted answer's best span (an entity,
    `compose.leads`) leads it while, on every set, the lead is the answer `MIN_LEAD_PRECISION` of
    the times its quote is right."""
    from rag.reading.parts import best_spans

    seen: list[tuple[str, float, int]] = []  # (set, the span's probability, it is the answer)
    for n, case in enumerate(cases):
        q, scored = scored_of[n]
        if not case.item.answerable or not scored:
            continue
        reader = reader_for(case, w)
        findings = compose(reader.weights, q, scored, spans_of[n], case.asks)
        top = best_sentence(reader.weights, scored, spans_of[n])
        p, span = best_spans(spans_of[n]).get(id(top), (0.0, None))
        if len(findings) != 1 or span is None or not leads(span):
            continue
        if text_right(case, composed_text(case, Reading(q, tuple(findings), 1.0))):
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
