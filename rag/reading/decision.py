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
from rag.reading.question import Question, of_phrase
from rag.reading.spans import SpanCandidate
from rag.reading.tables import in_table, row_header
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
    it may name the trial it speaks of; a year the question pins must stand in `best`'s
    passage where `best` states no date of its own: `undated`)."""
    absent = set(q.subjects & companies - doc_terms)
    if absent and q.parts == 1:  # a question joining asks may draw on several briefs
        named = [w for w in re.findall(r"[\w-]+", q.text) if set(lexical_tokens(w)) & absent]
        return "the closest brief does not mention " + ", ".join(dict.fromkeys(named))
    pinned = []
    if q.single:
        header = row_header(best.sent.doc.text, best.span, above)
        pinned = unstated(q, best, doc_terms, date, header) + undesignated(q, best, doc_terms)
        # a table's row is dated by its header, which `unstated` reads; where a chunk cut the
        # header off, the row's years may stand nowhere in the passage
        if not pinned and passages and not in_table(best.sent.doc.text, best.span):
            passage = passages[best.passage]  # with the brief's title, which states years too
            elsewhere = undated(q, best, f"{passage.title} {passage.text}", date)
            if elsewhere:
                return "the closest passage never mentions " + _listed(elsewhere, q.text)
    if pinned:
        return "the closest brief never mentions " + _listed(pinned, q.text)
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
        numbers = _numbers(text)
        if numbers:
            by_kind.setdefault(kind, []).append((bool(numbers & stated), text))
    # two of a kind ("between 2021 and 2023") ask across both: the brief need state only one
    return [text for found in by_kind.values() if not any(f for f, _ in found) for _, text in found]


def undated(q: Question, sentence: Sentence, around: str, date: str) -> list[str]:
    """The years the question pins ("Orion's 2020 deal with Lyra") that neither the sentence,
    which states no date, nor its passage (`around`: its text) states, where its brief
    is dated years away: a dated brief's sentence without a date speaks of the brief's own
    event, so its figure is of another year's, however the brief mentions the pinned one
    elsewhere ("Orion first worked with Lyra in 2020"). The years beside the brief's date count
    as stated, as they do for `unstated`, and one of two pins stated is enough."""
    beside = _years_beside(date)
    if not beside or any(e.label_ in ("DATE", "TIME") for e in sentence.sent.ents):
        return []  # a sentence stating its own date is `unstated`'s to read
    asked = [(n, text) for kind, _w, text in pins(parse(q.text), sentence, dated=True)
             if kind == "time" and (n := _numbers(text))]  # fmt: skip
    if not asked:
        return []  # most questions pin no year: the passage is not read
    stated = sentence.terms | frozenset(lexical_tokens(around)) | beside
    return [] if any(n & stated for n, _ in asked) else [text for _, text in asked]


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


def _listed(pins: Sequence[str], question: str) -> str:
    """The pins, each once and as the question writes it: a pin is its tokens joined by
    spaces ("$ 30 million", "71.4 %"), which reads as a figure the user never wrote."""
    shown = []
    for pin in pins:
        found = re.search(r"\s*".join(map(re.escape, pin.split())), question)
        shown.append(found.group(0) if found else pin)
    return ", ".join(dict.fromkeys(shown))


def _numbers(pin: str) -> set[str]:
    """The index terms of a pin's figures standing alone ("2020" of "Orion's 2020 deal")."""
    return set(lexical_tokens(" ".join(w for w in pin.split() if _number(w))))


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
