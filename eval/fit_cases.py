"""The development sets' questions prepared for fitting the reader: each set's corpus ingested
into a store of its own, each question retrieved as `briefqa ask` retrieves it, its labels
from the gold answers normalised as the sets grade them, and its reading under given weights."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tqdm import tqdm

from eval.gold import GoldItem
from eval.metrics import plain_normal as normalise_plain
from rag.errors import BriefqaError
from rag.prompts import Turn
from rag.reading.asks import read_asks
from rag.reading.model import Weights
from rag.reading.occasions import prepared
from rag.reading.reader import Reading

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


def set_shares(cases: list[Case]) -> dict[str, float]:
    """Each set's weight per question, so that every set weighs alike whatever its size."""
    per_set = Counter(c.set for c in cases)
    return {name: 1.0 / count for name, count in per_set.items()}


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


def readers(default: Weights) -> Callable[..., Any]:
    """`reader_for(case, weights=default)`: one reader per corpus and weights, kept for reuse
    (a reader caches each passage's parse)."""
    from rag.reading.reader import Reader

    made: dict[tuple[int, int], Reader] = {}

    def reader_for(case: Case, weights: Weights = default) -> Reader:
        key = id(case.answerer), id(weights)
        if key not in made:
            reader = case.answerer.reader
            made[key] = Reader(reader.similarity, weights, reader.embed, reader.embedder)
        return made[key]

    return reader_for


def read_question(reader: Any, case: Case) -> Any:
    """The case's question as `Reader.read` reads it: analysed, then prepared against its
    passages (acronyms written out, a comparison split by occasion)."""
    corpus = case.answerer.corpus_view()
    q = reader.analyse(case.asked, corpus, case.context)
    doc_terms = case.answerer.retriever.lexical.doc_terms
    return prepared(q, case.pool, corpus, doc_terms, case.context)


def score_cases(cases: list[Case], w: Weights) -> tuple[Any, dict[int, Any], dict[int, Any]]:
    """Each case read with these weights, as `Reader.read` reads it: a reader per corpus, and
    per case its question and scored sentences (best first), its spans and its asks."""
    reader_for = readers(w)
    scored_of: dict[int, Any] = {}
    spans_of: dict[int, Any] = {}
    for n, case in enumerate(tqdm(cases, desc="reading", file=sys.stderr)):
        reader, corpus = reader_for(case), case.answerer.corpus_view()
        doc_terms = case.answerer.retriever.lexical.doc_terms
        q = read_question(reader, case)
        scored = reader.score_sentences(q, case.pool, corpus, doc_terms)
        scored_of[n] = (q, scored)
        spans_of[n] = reader.find_spans(q, scored)
        case.asks = read_asks(reader, q, case.pool, corpus, doc_terms, scored)
    return reader_for, scored_of, spans_of


def composed_text(case: Case, reading: Reading) -> str:
    """The answer text composed from this reading, as `briefqa ask` shows it ("" if declined)."""
    from rag.composing import compose

    if reading.declined or not reading.findings:
        return ""
    _shown, answer = compose(case.item.question, reading, case.pool, (), "fit", 3)
    return answer.text


def judge(case: Case, reading: Reading) -> bool:
    """Whether this reading answers the case's question right (an answerable one only)."""
    return case.item.answerable and text_right(case, composed_text(case, reading))


def text_right(case: Case, text: str) -> bool:
    """Whether the text answers the case by the sets' plain rule (an empty one abstains)."""
    from eval.metrics import is_correct_plain

    return is_correct_plain(text, not text, case.item.answers, case.item.any_group)


def run_cli(main: Callable[[], int]) -> int:
    """Run a fitting command: an error it can explain is printed as `error: ...` and exits 1."""
    try:
        return main()
    except BriefqaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
