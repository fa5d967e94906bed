"""Question analysis: what is asked (wh-word and head noun), about whom (its subjects), in which
terms, read off spaCy's parse and what the corpus knows; no list of question patterns.

The answer type is not decided here: `model.TypeTable` learns which entity types answer a
(wh-word, head noun) from the development sets. Names are what the corpus says they are: a word
written like a name (capitals, digits) whose stem the index holds in few documents.
"""

from __future__ import annotations

import calendar
import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from rag.lexical import lexical_tokens
from rag.reading.nlp import parse
from rag.reading.spelling import generic_name, written_out
from rag.reading.subquestions import VERSUS, listed_before

_MONTHS = frozenset(calendar.month_name[1:]) | frozenset(calendar.month_abbr[1:])
_WH_TAGS = frozenset(("WDT", "WP", "WP$", "WRB"))
_NOMINAL_ROLES = frozenset(("dobj", "nsubj", "attr", "nsubjpass"))
_NAME_CHARS = 7  # a capitalised name this long may be a declared company misspelt by a letter
_TYPO_CUTOFF = 0.7  # difflib ratio above which an unknown word is read as a known one misspelt
_LOWER_NAME_CHARS = 4  # a lower-case word this long that no dictionary holds may be a name
# nouns a wh-word asks for that name the answer's type, not a word its sentence holds
_TYPE_NOUNS = frozenset(("year", "month", "date", "day", "country", "city", "percentage",
                         "percent", "number", "amount"))  # fmt: skip
_PARTY_ROLES = frozenset(("nsubj", "nsubjpass", "poss"))  # a payer's, a receiver's, an owner's
_MODIFIERS = frozenset(("det", "poss", "nummod", "amod", "compound", "predet"))


@dataclass(frozen=True)
class Question:
    """One analysed question."""

    text: str
    wh: str  # "how much", "when", "which", ..., "" when the question has no wh-word
    head: str  # lemma of the asked noun ("payment", "date", "company"), "" when none
    terms: tuple[str, ...]  # the question's index terms (stems), misspellings corrected
    asked: frozenset[str]  # the terms of the asked phrase (head noun and its modifiers)
    subjects: frozenset[str]  # terms naming what it is about (rare names: "carsgen", "ct053")
    unknown: tuple[str, ...]  # name-like words no brief uses and that are no typo of one
    plural: bool  # it asks for several things: a plural head, or things joined by "and"
    known: frozenset[str] = field(default_factory=frozenset)  # "Besides X, ..." terms
    bare: str = ""  # the question without its names, for the embedder
    context: tuple[str, ...] = ()  # a follow-up's earlier question, as terms
    parts: int = 1  # things it asks about: 1 + its coordinated words ("X or Y", "A and B")
    briefs: tuple[str, ...] = ()  # a comparison's occasions' briefs, one ask each (`occasions`)

    @property
    def single(self) -> bool:
        """Whether it asks one thing of one brief: no coordinated parts, no comparison of
        occasions (whose briefs differ)."""
        return self.parts == 1 and not self.briefs

    @property
    def qclass(self) -> str:
        """The (wh-word, head) class the type table is keyed by."""
        return f"{self.wh}|{self.head}"


@dataclass(frozen=True)
class CorpusView:
    """What the index knows about terms: document frequency, its vocabulary, its size."""

    doc_freq: Callable[[str], int]
    vocabulary: Callable[[], Sequence[str]]
    documents: int
    specific_limit: int
    companies: frozenset[str] = frozenset()  # distinctive words of the declared companies
    texts_of: Callable[[str], Sequence[str]] = lambda _doc_id: ()  # a document's chunk texts
    company_names: frozenset[frozenset[str]] = frozenset()  # `companies`, one set per company


def with_written_out(q: Question, texts: Sequence[str], corpus: CorpusView) -> Question:
    """The question with the words its acronyms stand for where the texts write them out and
    never use the acronym ("ORR" -> "overall response rate"), as terms, and as asked terms
    where the acronym is a noun and not a name the briefs know; a name's capitals ("AZ" ->
    "AstraZeneca") add the name to its subjects. An acronym is a word of capitals, or a
    lower-case word the briefs never use ("orr")."""
    terms, asked, subjects = list(q.terms), set(q.asked), set(q.subjects)
    for token in parse(q.text):
        text = token.text
        stem = lexical_tokens(text)
        unused = text.islower() and not any(map(corpus.doc_freq, stem))
        if not stem or not text.isalpha() or not (text.isupper() or unused):
            continue
        words = written_out(text, texts)
        if not words:
            continue
        stems = lexical_tokens(" ".join(words))
        terms += [t for t in stems if t not in terms]
        if words[0][:1].isupper():  # `written_out` keeps a name's capitals, lowers a run's words
            subjects |= set(stems)  # "AZ" is AstraZeneca: a name the question is about
        elif token.pos_ in ("NOUN", "PROPN") and not set(stem) & q.subjects:
            asked |= set(stems)  # a thing, not a name ("ORR"), is what is asked about
    asked -= subjects
    if len(terms) == len(q.terms) and asked == q.asked and subjects == q.subjects:
        return q
    return replace(q, terms=tuple(terms), asked=frozenset(asked), subjects=frozenset(subjects))


def analyze(question: str, corpus: CorpusView, context: str = "") -> Question:
    """Read a question: wh-word, head noun, index terms (typos mapped to the corpus's own
    spelling), the subjects it names and the names no brief knows."""
    doc = parse(question)
    wh, head_token = wh_and_head(doc)
    corrections: dict[str, str] = {}
    unknown: list[Any] = []  # tokens
    subjects: set[str] = set()
    vocab: list[str] | None = None
    glossed = _in_brackets(doc)
    for token in doc:
        if token.is_punct or token.is_space or token.tag_ in _WH_TAGS:
            continue
        stems = lexical_tokens(token.text)
        if not stems:
            continue
        is_name = name_like(token)
        # a name no brief uses, written as one (a capital or a digit: spaCy's proper-noun tag
        # on "hkd" or an opening "Maximum" is no sign), and not a misspelt part of a company
        # the briefs declare ("Kestrelmab Biotek")
        text = token.text
        visible = any(c.isdigit() or c.isupper() for c in text[1:]) or (
            text[:1].isupper() and token.i > 0  # a question's first word is capitalised anyway
        )
        # after a company's word ("Kestrelmab Biotek"); before one it is the name's own word,
        # which the company's name may share with others ("Orion Bio", where a brief declares
        # "Kestrel Bio")
        before = doc[token.i - 1] if token.i else None
        of_company = before is not None and bool(
            set(lexical_tokens(before.text)) & corpus.companies
        )
        typed = not visible and typed_name(token)
        written = (visible or typed) and not of_company  # written as a name no brief may use
        for stem in stems:
            if corpus.doc_freq(stem) == 0 and not stem.isdigit():
                # a name is the user's, never read as another ("Series B" is not "Series A",
                # "CREST-301" not "CREST-201", "Zai Lab" no company the briefs know), but for a
                # long one a letter off a company the briefs declare ("Quingyue")
                match = None
                # (a name typed in lower case is read as a typo too: the tagger may call
                # shorthand a proper noun, "aprvl")
                if (not is_name or typed) and len(stem) >= 4 and stem.isalpha():
                    vocab = vocab if vocab is not None else list(corpus.vocabulary())
                    match = difflib.get_close_matches(stem, vocab, n=3, cutoff=_TYPO_CUTOFF)
                    # a typo keeps its first letter: "zentalis" is no "central" mistyped
                    match = [m for m in match if not typed or m[:1] == stem[:1]][:1]
                elif is_name and text.isalpha() and len(text) >= _NAME_CHARS:
                    match = _company_typo(stem, corpus.companies)
                if match:
                    corrections[stem] = match[0]
                elif token.i in glossed:
                    pass  # a gloss the user added ("the generic (INN) name") names no subject
                elif token.text.title() in _MONTHS:
                    pass  # a month names a time, which a brief may state only as its date
                elif (written and len(stem) >= 3) or generic_name(text):
                    unknown.append(token)  # ("ph" of "ph3" names nothing)
            term = corrections.get(stem, stem)
            # the asked noun is what is asked for, not what the question is about, however
            # it is written ("Orion Bio CEO?", "What ORR did ...")
            specific = 0 < corpus.doc_freq(term) <= corpus.specific_limit
            if is_name and specific and not (head_token is not None and token.i == head_token.i):
                subjects.add(term)
    terms = tuple(corrections.get(t, t) for t in lexical_tokens(question))
    asked: set[str] = set()
    if head_token is not None:
        phrase = [
            t for t in head_token.subtree
            # the "'s" of "Biokin's 2024 revenues" is no word a sentence states
            if t.i <= head_token.i and t.tag_ not in (*_WH_TAGS, "POS") and not how_many(t)
        ]  # fmt: skip
        phrase += [t for t in of_phrase(head_token) if t.tag_ != "POS"]  # "of Hansoh's IPO"
        asked = {corrections.get(s, s) for t in phrase for s in lexical_tokens(t.text)}
        if wh in ("what", "which") and head_token.lemma_.lower() in _TYPE_NOUNS:
            # "in which year", "which city": the noun names the answer's type, not a word its
            # sentence holds ("patients aged 12 years" is no answer to it)
            asked -= set(lexical_tokens(head_token.text))
    known = _besides(doc, corrections)
    # an asked noun written as an acronym stays: "CEO" in "Orion Bio CEO?" is what the
    # question model must read, where the names it drops are what the question is about (a
    # question with no wh-word may take a name for its head: "BioMed", "al806" still go)
    acronym = head_token is not None and head_token.text.isalpha() and head_token.text.isupper()
    bare = " ".join(t.text for t in doc if not name_like(t) or (acronym and t == head_token))
    head = head_token.lemma_.lower() if head_token is not None else ""
    if context and not head and wh in ("what", ""):
        # "What is it after the amendment?" asks the earlier question's thing again
        earlier = analyze(context, corpus)
        head, asked = earlier.head, set(earlier.asked)
    return Question(
        text=question,
        wh=wh,
        head=head,
        terms=terms,
        asked=frozenset(asked - subjects),
        subjects=frozenset(subjects),
        unknown=_names(unknown),
        plural=(head_token is not None and head_token.tag_ in ("NNS", "NNPS"))
        or any(t.dep_ == "conj" for t in doc),
        known=known,
        bare=bare,
        context=tuple(lexical_tokens(context)) if context else (),
        parts=1
        + sum(t.dep_ == "conj" or t.lower_ in VERSUS for t in doc)
        + sum(listed_before(t) is not None for t in doc if t.dep_ == "appos" and t.conjuncts),
    )


def how_many(token: Any) -> bool:
    """A count said of the asked noun ("which three companies", "what two drugs"): it tells how
    many things answer, not a word the answering sentence uses. A year ("the 2019 round") pins
    which thing is asked and stays."""
    return token.dep_ == "nummod" and token.shape_ != "dddd"


def of_phrase(head: Any) -> list[Any]:
    """The noun phrase an "of" after the asked noun attaches: "the name of the pivotal trial"
    asks about a trial, "the number of patients" about patients, and the sentence that answers
    holds those words more often than the asked noun itself."""
    for prep in head.rights:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    return [t for t in obj.subtree if t.i <= obj.i and t.tag_ not in _WH_TAGS]
    return []


def _in_brackets(doc: Any) -> set[int]:
    """The indices of the tokens inside parentheses."""
    inside, depth = set(), 0
    for token in doc:
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            depth = max(0, depth - 1)
        elif depth:
            inside.add(token.i)
    return inside


def _names(tokens: Sequence[Any]) -> tuple[str, ...]:
    """Unknown tokens as the names they form: neighbours joined ("Zai Lab", not "Zai, Lab")."""
    names: list[list[Any]] = []
    for token in dict.fromkeys(tokens):
        if names and names[-1][-1].i == token.i - 1:
            names[-1].append(token)
        else:
            names.append([token])
    return tuple(dict.fromkeys(" ".join(t.text for t in name) for name in names))


def _company_typo(stem: str, companies: frozenset[str]) -> list[str]:
    """The declared company's word this one misspells by one letter (an insertion, deletion,
    substitution or two letters swapped), when exactly one does."""
    from rapidfuzz.distance import OSA
    from rapidfuzz.process import extract

    found = extract(stem, companies, scorer=OSA.distance, score_cutoff=1, limit=2)
    return [found[0][0]] if len(found) == 1 else []


def typed_name(token: Any) -> bool:
    """A name typed in lower case ("what did sanofi pay adagene"): a word of four letters or more
    that no dictionary holds, nor parts of one ("bispecific"), with a vowel (shorthand drops
    them: "mgmt"). The question reaches here in the corpus's spelling, a corpus name in its
    capitals and shorthand in full, so such a word names what no brief mentions."""
    text = token.text
    if not any(c in "aeiouy" for c in text.lower()):
        return False
    return generic_name(text, _LOWER_NAME_CHARS) or _bare_party(token)


def _bare_party(token: Any) -> bool:
    """A lower-case singular noun that acts as a party with no article, owner or modifier, as
    only a name does: the payer ("how much did novartis pay"), the owner ("roche's upfront"),
    the agent ("paid by merck"). Dictionaries hold many companies' names ("merck", "pfizer");
    such a word that no brief uses (the caller's check) names what no brief covers."""
    if not (token.text.islower() and len(token.text) >= _LOWER_NAME_CHARS):
        return False
    # an owner is a noun whatever the tagger says ("merck's" is tagged an adjective)
    owner = token.dep_ == "poss" and any(c.tag_ == "POS" for c in token.children)
    if not owner and (token.pos_ not in ("NOUN", "PROPN") or token.tag_ not in ("NN", "NNP")):
        return False
    if any(c.dep_ in _MODIFIERS for c in token.children):
        return False
    role = token.head if token.dep_ == "conj" else token  # "novartis and meridell"
    return role.dep_ in _PARTY_ROLES or (role.dep_ == "pobj" and role.head.lower_ == "by")


def name_like(token: Any) -> bool:
    """Written like a name: a capital after the first letter or a word not at the start, a digit
    among letters ("CT053", "3SBio", "BeiGene"), or tagged a proper noun."""
    text = token.text
    if any(c.isdigit() for c in text) and any(c.isalpha() for c in text):
        return True
    if any(c.isupper() for c in text[1:]):
        return True
    if text[:1].isupper() and (token.i > 0 or token.pos_ == "PROPN"):
        return True
    return token.pos_ == "PROPN" and token.i > 0


def wh_and_head(doc: Any) -> tuple[str, Any]:
    """The wh-word ("how much" keeps its adverb) and the noun it asks for: the noun a "which" or
    "what" determines, the subject or attribute of "what is ...", or for a question without a
    wh-word ("Upfront for CT053?") its root noun."""
    wh_token = next((t for t in doc if t.tag_ in _WH_TAGS), None)
    if wh_token is None:
        # a compound modifies the noun that names the thing ("cornerstone investors")
        nouns = [t for t in doc if t.pos_ in ("NOUN", "PROPN") and t.dep_ != "compound"]
        root = next((t for t in doc if t.dep_ == "ROOT"), None)
        if root is not None and root.pos_ == "NOUN":
            return "", root
        if root is not None and root.pos_ == "VERB":  # "Name the investors ...", "List ..."
            obj = next((c for c in root.children if c.dep_ == "dobj" and c.pos_ == "NOUN"), None)
            if obj is not None:
                return "", obj
        return "", nouns[0] if nouns else None
    wh = wh_token.lower_
    nxt = doc[wh_token.i + 1] if wh_token.i + 1 < len(doc) else None
    if wh == "how" and nxt is not None and nxt.pos_ in ("ADJ", "ADV"):
        wh = f"how {nxt.lower_}"
        if nxt.head.pos_ == "NOUN" and nxt.head.i > nxt.i:
            return wh, nxt.head
        # "how large is the region": what the adjective describes is the verb's subject
        subject = [c for c in nxt.head.children if c.dep_ == "nsubj" and c.pos_ == "NOUN"]
        return wh, subject[0] if subject else None
    # the noun a "which"/"what" determines; where the tagger misreads it ("What upfront did
    # ..."), the parse still makes it a subject or object
    nominal = wh_token.head.pos_ in ("NOUN", "PROPN") or wh_token.head.dep_ in _NOMINAL_ROLES
    if wh_token.dep_ == "det" and nominal:
        return wh, wh_token.head
    after = _noun_after(doc, wh_token)
    if after is not None:
        return wh, after
    if wh in ("what", "which"):
        verb = wh_token.head
        for child in verb.children:
            role = child.dep_ in ("attr", "nsubj", "nsubjpass", "dobj") and child.i != wh_token.i
            if role and child.pos_ in ("NOUN", "PROPN") and _common(child):
                return wh, child
    return wh, None


def _common(noun: Any) -> bool:
    """Whether a subject or attribute of "what is ..." is a thing asked for rather than a name
    asked about ("What is Kestrel?"): lower-case, or determined although capitalised ("the
    ORR of KB-12", "KB-12's PFS": a name takes no article or possessive)."""
    if not noun.text[:1].isupper():
        return True
    return any(c.dep_ == "poss" or c.lower_ in ("the", "a", "an") for c in noun.children)


def _noun_after(doc: Any, wh_token: Any) -> Any:
    """The noun of the words right after the wh-word ("which two companies", "in which
    tumour types"), read off the tags: the small model's parse sometimes hangs the wh-word
    elsewhere (as the object of a stranded "with"), though the tags still say what follows."""
    head = None
    for token in doc[wh_token.i + 1 :]:
        if token.pos_ in ("NOUN", "PROPN"):
            head = token
        elif head is None and token.tag_ in ("CD", "JJ", "JJR", "JJS", "HYPH"):
            continue  # a number or adjective before the noun ("three", "online")
        else:
            break
    return head


def _besides(doc: Any, corrections: dict[str, str]) -> frozenset[str]:
    """Terms of a leading "Besides X," / "Apart from X," clause: what the asker knows already."""
    first = doc[0] if len(doc) else None
    if first is None or first.lower_ not in ("besides", "apart", "aside", "other"):
        return frozenset()
    comma = next((t.i for t in doc if t.text == ","), None)
    if comma is None:
        return frozenset()
    clause = doc[1:comma].text
    rest = set(lexical_tokens(doc[comma + 1 :].text))
    return frozenset(corrections.get(s, s) for s in lexical_tokens(clause)) - rest
