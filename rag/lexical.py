"""The lexical side of retrieval: BM25 (bm25s) over the same chunks as the Chroma store.

Kept in memory and in step with the store: each ingest stamps the collection with a new
`generation`; a question only compares that stamp (one small read) and, when it moved, fetches the
chunks of the documents whose hash changed, drops removed ones and re-indexes from memory.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from typing import Any

import numpy as np

from rag.numbers import Quantity, find_quantities, in_words
from rag.reading.casing import recased
from rag.reading.spelling import Lexicon, generic_name, normalise
from rag.sentences import STOPWORDS
from rag.store import ChromaStore, ChunkRecord

_WORD = re.compile(r"[a-z]+|\d+(?:[.,]\d+)*")
# a name: a capitalised word, one with a capital inside ("iPod", "eBay"), or a code mixing
# letters and digits ("CT053", "3SBio") or hyphening them, however cased ("spx-2710" typed in
# lower case names its drug all the same), never begun inside a number (the "5m" of "62.5m");
# a bare number ("2008", the "00" of "00's") names nothing
_NAME = re.compile(
    r"\b(?<!\d[.,])(?:[A-Z][\w'-]*|[a-z]+[A-Z][\w'-]*|\w*(?:[A-Za-z]\d|\d[A-Za-z])[\w-]*|[a-z]+-\d[\w-]*)"
)
_LOWER_WORD = re.compile(r"\b[a-z]+\b")
_STAGE = r"(series|phase|round)"
_DESIGNATOR = r"(iv|i{1,3}[ab]?|[a-h]|[1-4][ab]?)"
_COMPOUND = re.compile(rf"\b{_STAGE}\s+{_DESIGNATOR}\b")
_JOINED = re.compile(rf"{_STAGE}{_DESIGNATOR}")
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}
_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b")
_UP_FRONT = re.compile(r"\bup[\s-]front\b")
# a drug or trial code, lower case ("crest-301", "hbm7022"): its letters and its digits
CODE = re.compile(r"\b([a-z]{1,6})-?(\d{2,6})\b")


def lexical_tokens(text: str) -> list[str]:
    """Stemmed words minus stopwords, plus drug codes joined ("ZX-117" also gives "zx117");
    accents dropped, so that a question typed without them matches."""
    import Stemmer

    # "paid up front" is "upfront"; "Hexiang's" is "Hexiang" (a stray "s" matches nothing real)
    lower = _POSSESSIVE.sub("", _UP_FRONT.sub("upfront", text.lower()))
    if not lower.isascii():  # "Beyoncé" and "Deja Vu" are the corpus's "Beyoncé", "Déjà Vu"
        # a dash or quote outside ASCII parts words as a space does ("the NovaPen—although",
        # "1402–1424"); dropped with the accents, it would join them into one
        lower = "".join(
            c if c.isascii() or c.isalnum() else " "
            for c in unicodedata.normalize("NFC", lower)  # an accent joined to its letter
        )
        lower = unicodedata.normalize("NFKD", lower).encode("ascii", "ignore").decode()
    words = [w for w in _WORD.findall(lower) if w not in STOPWORDS]
    stems: list[str] = _stemmer(Stemmer).stemWords(words)
    compounds = [a + b for a, b in _COMPOUND.findall(lower)]  # "Series B" is not "Series A"
    return stems + [a + b for a, b in CODE.findall(lower)] + compounds


def designations(terms: Iterable[str]) -> dict[str, set[str]]:
    """The stages the index terms designate, by kind ("seriesb" -> {"series": {"b"}}), Roman
    numerals as digits ("phaseiib" and "phase2b" are one stage)."""
    out: dict[str, set[str]] = {}
    for term in terms:
        match = _JOINED.fullmatch(term)
        if match:
            kind, mark = match.groups()
            roman = mark.rstrip("ab")
            if roman in _ROMAN:
                mark = _ROMAN[roman] + mark[len(roman) :]
            out.setdefault(kind, set()).add(mark)
    return out


_STEMMERS: dict[int, Any] = {}


def _stemmer(module: Any) -> Any:
    # PyStemmer objects are not thread-safe: one per thread.
    key = threading.get_ident()
    if key not in _STEMMERS:
        _STEMMERS[key] = module.Stemmer("english")
    return _STEMMERS[key]


class LexicalIndex:
    """BM25 over every chunk in the store, synced incrementally by document hash."""

    def __init__(self, exact_limit: int = 0) -> None:
        # up to this many chunks the index also holds their embeddings, for an exact dense
        # search (`nearest`): Chroma's HNSW graph under its sync threshold is rebuilt at each
        # start and may miss a near item, so the same question could find other passages
        self._exact_limit = exact_limit
        self._with_vectors = False
        self._vectors: Any = None
        self._chunks: dict[str, ChunkRecord] = {}
        self._tokens: dict[str, list[str]] = {}
        self._doc_hash: dict[str, str] = {}
        self._generation: str | None = None
        self._ids: list[str] = []
        self._records: list[ChunkRecord] = []
        self._bm25: Any = None
        self._doc_terms: dict[str, set[str]] = {}
        self._doc_chunks: dict[str, list[str]] = {}
        self._doc_frozen: dict[str, frozenset[str]] = {}
        self._df: dict[str, int] = {}
        self._company_names: frozenset[frozenset[str]] = frozenset()
        self._lexicon: Lexicon | None = None
        self._lock = threading.Lock()

    @property
    def records(self) -> list[ChunkRecord]:
        """Every chunk, in index order (built once per re-index: a question reads it)."""
        return self._records

    def sync(self, store: ChromaStore, force: bool = False) -> None:
        """Bring the index in step with the store if an ingest happened since the last sync."""
        generation = store.generation()
        if not force and generation == self._generation and self._bm25 is not None:
            return
        with self._lock:
            heads = store.documents()
            vectors = 0 < sum(s.chunk_count for s in heads.values()) <= self._exact_limit
            if vectors != self._with_vectors:  # crossed the limit: every chunk read again
                self._drop(set(self._doc_hash))
                self._doc_hash, self._with_vectors = {}, vectors
            changed = [d for d, s in heads.items() if self._doc_hash.get(d) != s.doc_hash]
            removed = set(self._doc_hash) - set(heads)
            if changed or removed or self._bm25 is None:
                self._drop(removed | set(changed))
                for record in store.chunks_of(changed, vectors=vectors):
                    self._chunks[record.chunk_id] = record
                    # a chunk cut inside a table is found by its columns' words too
                    header = str(record.meta.get("table_header", ""))
                    self._tokens[record.chunk_id] = lexical_tokens(f"{header}\n{record.text}")
                self._doc_hash = {d: s.doc_hash for d, s in heads.items()}
                self._reindex()
            self._generation = generation

    def search(
        self, query: str, k: int, allowed: Iterable[int] | None = None
    ) -> list[tuple[int, float]]:
        """Top-k (index position, BM25 score) for the query, optionally within allowed positions."""
        if self._bm25 is None or not self._ids:
            return []
        tokens = [t for t in lexical_tokens(query) if t in self._vocab]
        if not tokens:
            return []
        mask = None
        if allowed is not None:
            mask = np.zeros(len(self._ids), dtype=np.float32)
            mask[list(allowed)] = 1.0
        k = min(k, len(self._ids))
        docs, scores = self._bm25.retrieve(
            [tokens], k=k, show_progress=False, weight_mask=mask, n_threads=1
        )
        return [(int(d), float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]

    @property
    def exact(self) -> bool:
        """Whether the index holds every chunk's embedding (`nearest` may be asked)."""
        return self._vectors is not None

    def nearest(
        self, query: Sequence[float], k: int, allowed: Iterable[int] | None = None
    ) -> list[tuple[int, float]]:
        """Top-k (index position, cosine similarity) of every chunk to the query embedding,
        optionally within allowed positions: exact, so the same on every run (ties by position)."""
        if self._vectors is None or not len(self._vectors):
            return []
        q = np.asarray(query, dtype=np.float32)
        scores = self._vectors @ (q / (float(np.linalg.norm(q)) or 1.0))
        if allowed is not None:
            keep = np.full(len(scores), -np.inf, dtype=np.float32)
            positions = list(allowed)
            keep[positions] = scores[positions]
            scores = keep
        order = np.argsort(-scores, kind="stable")[:k]
        return [(int(i), float(scores[i])) for i in order if np.isfinite(scores[i])]

    def anchors(self, text: str, limit: int | None = None) -> set[str]:
        """The text's names of specific things: capitalised words and codes (companies, drugs,
        trials) that the index knows, yet only a few documents hold. They decide what a question
        is about; common words ("upfront") never do, however rare."""
        # a generic name is written in lower case ("sacituzumab govitecan")
        generics = [w for w in _LOWER_WORD.findall(text) if generic_name(w)]
        names = " ".join([*_NAME.findall(text), *generics])
        limit = limit or self.rare_limit()
        return {t for t in lexical_tokens(names) if 0 < self._df.get(t, 0) <= limit}

    def figures(self, text: str) -> list[Quantity]:
        """The text's sums and percentages ("USD 62.5 million", "71.4%") whose number only a
        few documents hold (`rare_limit`): a figure pins its deal as a name does."""
        limit = self.rare_limit()
        return [
            q for q in find_quantities(text)
            if q.unit and any(0 < self._df.get(t, 0) <= limit
                              for t in lexical_tokens(q.text) if t[:1].isdigit())
        ]  # fmt: skip

    def doc_freq(self, term: str) -> int:
        """How many documents hold the (stemmed) term."""
        return self._df.get(term, 0)

    def rare_limit(self) -> int:
        """Document frequency up to which a name is rare: a company or drug that only its own
        few briefs mention."""
        return max(2, len(self._doc_terms) // 20)

    def specific_limit(self) -> int:
        """Document frequency up to which a name is specific: it marks a subject, not a kind."""
        return max(5, len(self._doc_terms) // 20)

    @property
    def vocabulary(self) -> list[str]:
        """Every (stemmed) term some document holds."""
        return list(self._df)

    @property
    def documents(self) -> int:
        """How many documents the index holds."""
        return len(self._doc_terms)

    @property
    def company_names(self) -> frozenset[frozenset[str]]:
        """Each declared company's distinctive (stemmed) words, one set per company."""
        return self._company_names

    def lexicon(self) -> Lexicon:
        """The corpus's words and their casing (built on the first question after a re-index:
        an ingest does not pay for it)."""
        lexicon = self._lexicon
        if lexicon is None:
            import Stemmer

            titles = {str(r.meta.get("title", "")) for r in self._records}
            texts = [*(r.text for r in self._records), *titles]
            lexicon = Lexicon.from_texts(texts, _stemmer(Stemmer).stemWords)
            self._lexicon = lexicon
        return lexicon

    def normalise(self, question: str) -> str:
        """The question in the corpus's casing where it is written as a headline
        (`rag.reading.casing`) and in its spelling (`rag.reading.spelling`)."""
        lexicon = self.lexicon()

        def known(word: str) -> bool:  # a corpus word shares its stem ("approve", "approved")
            return set(lexical_tokens(word)) <= lexicon.stems

        # "Sept 2021" and "US$62.5m" as the briefs write them: "Sept" is no unknown name, and
        # the "5m" of "62.5m" no code
        return normalise(recased(in_words(question), lexicon, known), lexicon, known)

    def doc_terms(self, doc_id: str) -> frozenset[str]:
        """Every term one document holds (chunks and title)."""
        return self._doc_frozen.get(doc_id, frozenset())

    def doc_texts(self, doc_id: str) -> list[str]:
        """The texts of one document's chunks, in index order."""
        return [self._chunks[c].text for c in self._doc_chunks.get(doc_id, [])]

    def anchor_count(self, doc_id: str, anchors: AbstractSet[str]) -> int:
        """How many of the anchors the document holds."""
        return len(self._doc_terms.get(doc_id, set()) & anchors)

    def _drop(self, doc_ids: set[str]) -> None:
        if not doc_ids:
            return
        for chunk_id in [c for c, r in self._chunks.items() if r.doc_id in doc_ids]:
            del self._chunks[chunk_id]
            del self._tokens[chunk_id]

    def _reindex(self) -> None:
        import bm25s

        self._ids = sorted(self._chunks)
        self._records = [self._chunks[i] for i in self._ids]
        vectors = [r.vector for r in self._records]
        self._vectors = None
        if self._with_vectors and vectors and all(v is not None for v in vectors):
            self._vectors = np.stack(vectors)
        corpus = [self._tokens[i] for i in self._ids]
        doc_terms: dict[str, set[str]] = {}
        self._doc_chunks = {}
        for chunk_id in self._ids:
            record = self._chunks[chunk_id]
            self._doc_chunks.setdefault(record.doc_id, []).append(chunk_id)
            terms = doc_terms.setdefault(record.doc_id, set())
            terms.update(self._tokens[chunk_id])
            terms.update(lexical_tokens(str(record.meta.get("title", ""))))
        df: dict[str, int] = {}
        for terms in doc_terms.values():
            for term in terms:
                df[term] = df.get(term, 0) + 1
        self._doc_terms, self._df = doc_terms, df
        self._doc_frozen = {d: frozenset(t) for d, t in doc_terms.items()}
        # the distinctive words of the companies the briefs declare ("roch", "legend"; not
        # "pharma" or "bio", which many briefs hold)
        names = {
            frozenset(lexical_tokens(name)) for r in self._records
            for name in str(r.meta.get("companies", "")).split(";")
        }  # fmt: skip
        limit = self.specific_limit()
        self._company_names = frozenset(
            g for g in (frozenset(t for t in n if 0 < df.get(t, 0) <= limit) for n in names) if g
        )
        self._vocab = {t for tokens in corpus for t in tokens}
        self._lexicon = None
        bm25 = bm25s.BM25()
        if corpus:
            bm25.index(corpus, show_progress=False)
        self._bm25 = bm25
