"""The decision's inputs: what tells an answer the briefs state from a near miss.

One fitted model (`Weights.decision`) reads these; the reader answers when its probability
clears the fitted threshold. A question naming what no brief mentions never gets that far.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from rag.lexical import designations, lexical_tokens
from rag.reading.candidates import Sentence, conflict, pins
from rag.reading.codes import sibling_codes
from rag.reading.nlp import parse
from rag.reading.parts import Scored
from rag.reading.question import CorpusView, Question, of_phrase
from rag.reading.spans import SpanCandidate
from rag.reading.spelling import spelled_out
from rag.reading.tables import row_header
from rag.types import Passage

MAX_CHARS = 300  # an answer a reader takes in at a glance
_UNDISCLOSED = re.compile(
    r"\b(?:not (?:yet )?(?:been )?(?:disclosed|announced|set|determined|released|reported)|"
    r"undisclosed|did not (?:disclose|say|give)|declined to (?:disclose|say|give))\b",
    re.IGNORECASE,
)


_WITHHOLD = frozenset(("disclose", "announce", "set", "determine", "release", "report", "give",
                       "reveal", "say"))  # fmt: skip
_WITHHELD_ROLES = frozenset(("dobj", "nsubjpass"))  # "did not disclose X", "X was not disclosed"


def withheld(q: Question, sentence: Sentence) -> bool:
    """Whether the sentence says that what the question asks for is not disclosed: "did not
    disclose its post-money valuation", "has not yet set a price", "an undisclosed upfront
    payment". The brief's own word that it does not state the thing settles the question,
    whatever figure stands nearby; a sentence withholding something else ("has not disclosed
    the compound's structure, but said it is dosed once daily") does not."""
    # "how much did X pay upfront" names no asked noun: what it asks is its words besides names
    asked = q.asked or frozenset(q.terms) - q.subjects
    if not asked or not _UNDISCLOSED.search(sentence.text):
        return False
    for token in sentence.sent:
        if token.lower_ == "undisclosed":
            things = [token.head]  # the noun it describes, with its own modifiers
        elif (
            token.lemma_ in _WITHHOLD
            and (any(c.dep_ == "neg" for c in token.children) or token.head.lemma_ == "decline")
            and not any(c.lower_ in ("until", "till") for c in token.children)
        ):
            # "was not released until May 2009" says when it was released, withholds nothing
            things = [c for c in token.children if c.dep_ in _WITHHELD_ROLES]
        else:
            continue
        if asked & frozenset(lexical_tokens(" ".join(map(_phrase, things)))):
            return True
    return False


def _phrase(head: Any) -> str:
    """The withheld thing as a question asks for one: the noun with the words before it and
    its "of" phrase, less its conjuncts ("an undisclosed upfront payment and milestones of up
    to US$50 million" withholds the upfront only; "the size of the upfront payment", an upfront;
    "a partnering strategy for the programme outside China", no China)."""
    dropped = {t.i for c in head.children if c.dep_ in ("conj", "cc") for t in c.subtree}
    words = [t for t in head.subtree if t.i <= head.i and t.i not in dropped] + of_phrase(head)
    return " ".join(t.text for t in words)


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
    a Flex Pump"), less misspelt words at its ends (`NameWords.loose`); names of the briefs'
    companies alone are left out, and so is a question in title case."""
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
        if len(stems) < 2 or all(map(words.company, stems)):
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
        if runs[-1] and runs[-1][-1].i == t.i - 1 and _code_like(t.text):
            runs[-1].pop()
        runs.append([])
    return [r for r in runs if r]


def _code_like(word: str) -> bool:
    """A code, letter or figure: "C", "3", "III", "HBM7022"."""
    return any(c.isdigit() for c in word) or (word.isalpha() and word.isupper())


def declines(q: Question, best: Sentence, said: Sequence[Sentence], doc_terms: frozenset[str],
             date: str, companies: frozenset[str], above: str = "",
             brief: Sequence[Sentence] = (),
             passages: Sequence[Passage] = ()) -> str:  # fmt: skip
    """Why the cited brief cannot answer, before any score is weighed ("" when it may): it never
    names a company the question names and the briefs know ("How much did Orion pay for
    Kestrel's KB-12?" where Kestrel's brief names Lyra: its figure is another's), it never
    states a figure the question pins down (`unstated`), its sentence is about another code
    of the asked one's family (`codes.sibling_codes`), or a quoted sentence says the asked
    thing is not disclosed (`withholds`). `best` is the sentence read first, `said` every
    sentence the answer quotes, `date` the cited brief's, `above` the header of a table the
    cited passage starts inside (a table row's header states what its cells are), `brief` the
    cited brief's other sentences read: one saying the asked thing is not disclosed settles
    it, however low it ranks ("did not disclose the size of the upfront payment" against a
    sentence naming the deal's total), `passages` the pool `best` is of (its paragraph before
    it may name the trial it speaks of)."""
    absent = set(q.subjects & companies - doc_terms)
    if absent and q.parts == 1:  # a question joining asks may draw on several briefs
        named = [w for w in re.findall(r"[\w-]+", q.text) if set(lexical_tokens(w)) & absent]
        return "the closest brief does not mention " + ", ".join(dict.fromkeys(named))
    pinned = []
    if q.single:
        header = row_header(best.sent.doc.text, best.span, above)
        pinned = unstated(q, best, doc_terms, date, header) + undesignated(q, best, doc_terms)
    if pinned:
        return "the closest brief never mentions " + ", ".join(dict.fromkeys(pinned))
    siblings = sibling_codes(q.text, best, passages) if q.single else []
    if siblings:
        return "the closest passage is about " + ", ".join(siblings)
    if withholds(q, [*said, *brief]):
        return "the closest brief says it is not disclosed"
    return ""


def in_brief(scored: Sequence[Scored], passages: Sequence[Passage], doc_id: str) -> list[Sentence]:
    """The sentences read from one brief (`declines` reads the cited brief's for a word that
    the asked thing is not disclosed)."""
    return [s.sentence for s in scored if passages[s.sentence.passage].doc_id == doc_id]


def withholds(q: Question, said: Sequence[Sentence]) -> bool:
    """Whether a question asking one thing gets quoted sentences of which one says the asked
    thing is not disclosed."""
    return q.parts == 1 and any(withheld(q, s) for s in said)


def unstated(
    q: Question, sentence: Sentence, doc_terms: frozenset[str], date: str, header: str = ""
) -> list[str]:
    """The figures the question pins down ("in October 2022", "in Q2 of 2007", "the 2019 round")
    that the cited brief never states, where its sentence states another of the kind: the
    brief is about another case, as it is for a name no brief uses. Only a pin's numbers
    standing alone count (a brief writes "the second quarter" for "Q2"), one of them stated
    is enough ("between 2006 and 2007" is one pin), and a brief speaks of the years beside its
    own date in words ("last year"), so those count as stated."""
    stated = sentence.terms | doc_terms | _years_beside(date)
    by_kind: dict[str, list[tuple[bool, str]]] = {}
    for kind, _wanted, text in pins(parse(q.text), sentence, parse(header) if header else None):
        numbers = set(lexical_tokens(" ".join(w for w in text.split() if _number(w))))
        if numbers:
            by_kind.setdefault(kind, []).append((bool(numbers & stated), text))
    # two of a kind ("between 2021 and 2023") ask across both: the brief need state only one
    return [text for found in by_kind.values() if not any(f for f, _ in found) for _, text in found]


def undesignated(q: Question, sentence: Sentence, doc_terms: frozenset[str]) -> list[str]:
    """The stages the question designates ("Series B", "Phase 3") that the cited brief never
    states, where its sentence designates another of the kind ("a Series A round"): the brief
    is about another round or trial, as it is for a pinned year it never states; or where the
    brief designates no stage of the kind at all ("has raised RMB 270 million to date" for a
    Series A): it cannot say which round its figure is. A stage written more finely counts as
    stated ("Phase 1" against a brief's "Phase 1b")."""
    held = designations(sentence.terms)
    stated = designations(doc_terms)
    out = []
    for kind, marks in designations(q.terms).items():
        known = stated.get(kind, set())
        if known and not held.get(kind, set()) - marks:
            continue  # the sentence designates no other stage of a kind the brief designates
        if not any(m.startswith(k) or k.startswith(m) for m in marks for k in known):
            out += [f"{kind.title()} {m.upper()}" for m in sorted(marks)]
    return out


def _number(word: str) -> bool:
    """A word that is a figure alone ("2007", "1,500"), not one inside a word ("Q2", "'60s")."""
    return word.replace(",", "").replace(".", "").isdigit()


def _years_beside(date: str) -> frozenset[str]:
    year = date[:4]
    if not year.isdigit():
        return frozenset()
    return frozenset(str(int(year) + d) for d in (-1, 0, 1))


def decision_features(
    q: Question,
    best: Scored,
    spans: Sequence[tuple[float, Scored, SpanCandidate]],
    scored: Sequence[Scored],
    doc_terms: frozenset[str],
    passages: Sequence[Passage],
) -> list[float]:
    """The decision's inputs, in `model.DECISION_FEATURES` order."""
    s = best.sentence
    asked_sent = len(q.asked & s.terms) / len(q.asked) if q.asked else 0.5
    asked_doc = len(q.asked & doc_terms) / len(q.asked) if q.asked else 0.5
    subject_doc = len(q.subjects & doc_terms) / len(q.subjects) if q.subjects else 1.0
    margin = best.probability - (scored[1].probability if len(scored) > 1 else 0.0)
    return [
        best.probability, spans[0][0] if spans else 0.0, subject_doc, asked_sent, asked_doc,
        best.features[5], float(bool(_UNDISCLOSED.search(s.text))), margin,
        float(len(s.text) <= MAX_CHARS), best.features[6], best.features[12],
        conflict(parse(q.text), s),
    ]  # fmt: skip
