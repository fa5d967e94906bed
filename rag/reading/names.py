"""The question's names no brief uses: a name the index never saw, and a name of several words
that the passages (and the rest of their briefs) never write together. Either declines the
question before any score is weighed: the figure would be another's ("John Kermode" where the
briefs know Mark Kermode, "Nova Pump" where they know Nova Pen and Flex Pump).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from rag.lexical import lexical_tokens
from rag.reading.nlp import parse
from rag.reading.question import CorpusView, Question
from rag.reading.spelling import spelled_out
from rag.types import Passage

# the lower-case words inside names ("Bank of the West"); "on", "for" and the like end one
_IN_NAMES = frozenset(("of", "the"))
# outside an entity "the" more often starts a second name ("awarded Lee the Presidential Medal")
_JOINS_ANYWHERE = frozenset(("of",))
# a nationality or group ("New Yorkers") is written in forms a stem does not join
_NAME_LABELS = frozenset(("PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "WORK_OF_ART",
                          "EVENT", "LAW", "LANGUAGE"))  # fmt: skip


def unknown_names(
    q: Question, passages: Sequence[Passage], corpus: CorpusView | None = None
) -> list[str]:
    """The question's names no brief uses, less acronyms the passages write out ("mTNBC"), and
    its names of several words that neither the passages nor the rest of their briefs write
    together (`unjoined_names`)."""
    texts = [p.text for p in passages]
    unknown = [u for u in q.unknown if not spelled_out(u, texts)]
    words = NameWords(corpus)
    unjoined = unjoined_names(q.text, texts, words)
    if unjoined and corpus is not None:
        # the passages' briefs whole: a name their other chunks write is no unknown thing
        docs = dict.fromkeys(p.doc_id for p in passages)
        whole = [t for d in docs for t in corpus.texts_of(d)]
        unjoined = unjoined_names(q.text, texts + whole, words)
    # a name may be both ("Zai Lab"): named once
    return list(dict.fromkeys(unknown + unjoined))


class NameWords:
    """How the briefs use a name's words: a company they declare, or a word they never hold."""

    def __init__(self, corpus: CorpusView | None = None) -> None:
        self.corpus = corpus

    def company(self, term: str) -> bool:
        """A declared company's word: a question joins companies freely ("the Kestrel Orion
        deal")."""
        return self.corpus is not None and term in self.corpus.companies

    def join(self, terms: Sequence[str]) -> bool:
        """Whether the words join companies ("Kestrel Orion"): each a company's word, not all
        of them one company's ("Royale Casino" for the briefs' Casino Royale is no join)."""
        if not all(map(self.company, terms)):
            return False
        names = self.corpus.company_names if self.corpus is not None else frozenset()
        return not any(set(terms) <= name for name in names)

    def loose(self, term: str) -> bool:
        """A word no brief holds: a misspelling, which question analysis reads (a name's
        misspelt word is no word of another name)."""
        return self.corpus is not None and self.corpus.doc_freq(term) == 0


def unjoined_names(
    question: str, texts: Sequence[str], words: NameWords | None = None
) -> list[str]:
    """The question's proper names of two or more words, each word capitalised and known, that
    stand together in none of the texts: "Nova Pump" where the passages know Orion's Nova Pen
    and its Flex Pump, a product the briefs never name. A name is a run of capitalised words
    (a lower-case word, a code or an acronym ends it: spaCy's entity may run on, "Nova Pen on
    a Flex Pump"), less misspelt words at its ends (`NameWords.loose`); names joining the
    briefs' companies are left out (`NameWords.join`), and so is a question in title case."""
    words = words if words is not None else NameWords()
    doc = parse(question)
    small = [t for t in doc[1:] if t.is_alpha and t.is_stop]
    if sum(t.text[:1].isupper() for t in small) * 2 > len(small):
        return []  # title case ("When Did ..."): its capitals say nothing of what is a name
    out = []
    padded: list[str] | None = None
    # the first word is capitalised anyway: it opens a name only where the texts never write it
    # in lower case ("John Kermode ...", not "Upfront Ostrander is paying ...")
    first = doc[0] if len(doc) else None
    opens = (
        first is not None
        and first.pos_ == "PROPN"
        and not any(re.search(rf"\b{re.escape(first.lower_)}\b", t) for t in texts)
    )
    runs = [r for e in doc.ents if e.label_ in _NAME_LABELS for r in _capital_runs(e, opens)]
    # spaCy's entities miss names made of common words ("Ocarina Princess"): the question's
    # runs of capitalised words count as well
    spans = {(r[0].i, r[-1].i) for r in runs}
    runs += [r for r in _capital_runs(doc[:], joins=_JOINS_ANYWHERE)
             if not any(a <= r[0].i and r[-1].i <= b for a, b in spans)]  # fmt: skip
    for run in runs:
        stems = [t for tok in run for t in lexical_tokens(tok.text)]
        while stems and words.loose(stems[0]):
            stems.pop(0)
        while stems and words.loose(stems[-1]):
            stems.pop()
        if len(stems) < 2 or words.join(stems):
            continue
        if padded is None:
            padded = [f" {' '.join(lexical_tokens(t))} " for t in texts]
        # a name's words may be written on ("Western Europe" in "Western European")
        written = re.compile(" " + " ".join(re.escape(w) + r"\w*" for w in stems) + " ")
        if not any(written.search(t) for t in padded):
            out.append(doc[run[0].i : run[-1].i + 1].text)
    return out


def _capital_runs(ent: Any, opens: bool = False, joins: frozenset[str] = _IN_NAMES
                  ) -> list[list[Any]]:  # fmt: skip
    """The runs of capitalised words in an entity: a lower-case word ends one but the `joins` of
    a name (the "of" and "the" of "Bank of the West"), a capitalised stop word opening one
    ("The") is left out and one inside it is its word ("East Side Access"), the question's
    first word, capitalised anyway, is no name's unless it `opens`
    a person's (a proper noun the texts never write in lower case: "John Kermode gave it ...",
    not "Upfront Ostrander is paying ..."), and a word right
    before a code or figure names that ("Series" of "Series C", "Phase" of "Phase 3")."""
    runs: list[list[Any]] = [[]]
    doc = ent.doc
    for t in [*ent, *doc[ent.end : ent.end + 1]]:
        if (
            t.i > 0
            and t.is_stop
            and ((t.text[:1].isupper() and not runs[-1]) or (t.lower_ in joins and t.is_lower))
        ):
            continue
        if (
            t.i < ent.end
            and (t.i > 0 or (opens and ent.label_ == "PERSON" and t.pos_ == "PROPN"))
            and t.is_alpha
            and t.text[:1].isupper()
            and not t.text.isupper()
        ):
            runs[-1].append(t)
            continue
        # (a letter typed in lower case is one too: "series c")
        letter = len(t.text) == 1 and t.is_alpha and not t.is_stop
        if runs[-1] and runs[-1][-1].i == t.i - 1 and (_code_like(t.text) or letter):
            runs[-1].pop()
        runs.append([])
    return [r for r in runs if r]


def _code_like(word: str) -> bool:
    """A code, letter or figure: "C", "3", "III", "HBM7022"."""
    return any(c.isdigit() for c in word) or (word.isalpha() and word.isupper())
