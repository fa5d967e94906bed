"""A question put as a request ("Can you tell me which ...", "Please give me the upfront for
CT053", "I'd like to know who ...", "Do you know when ...") or wrapped in courtesies ("Hi team,
...", "... Thanks!"), read as the question it wraps: the request's words ("tell", "me", "you")
are no words of what is asked, yet they weigh in retrieval, in the sentence scores and in the
question's embedding, and a capitalised "Thanks" reads as a name no brief mentions.
"""

from __future__ import annotations

import string
from typing import Any

from rag.reading.nlp import parse

# verbs that put a question as a request, and the words a request may open with
_ASKING = frozenset(("tell", "show", "give", "know", "explain", "wonder"))
_OPENING = frozenset(("please", "kindly", "just", "can", "could", "would", "will", "do", "you",
                      "i", "we", "'d", "like", "want", "need", "to", "let", "help", "hi",
                      "hello", "hey", "there", "team", "all"))  # fmt: skip
_ADDRESSEE = frozenset(("me", "us", "please"))
# the words of a sentence that only greets or thanks ("Thanks in advance!", "Hi all.")
_COURTESY = frozenset(("thanks", "thank", "you", "thx", "ty", "please", "pls", "cheers", "hi",
                       "hello", "hey", "there", "team", "all", "many", "much", "very", "so", "a",
                       "lot", "in", "advance", "regards", "best", "kind"))  # fmt: skip
# the words that make a closing run of courtesies one: "Thanks", not "Who did Orion thank?"
_THANKS = frozenset(("thanks", "thx", "ty", "cheers", "please", "pls"))
_GREETING = frozenset(("hi", "hello", "hey", "there", "team", "all", "guys", "folks"))
_WITHIN = 6  # a request's verb stands among the first words
# the words without one of which a question holds no request, greeting or thanks
_MARKS = _ASKING | _THANKS | {"thank", "hi", "hello", "hey"}


def unwrapped(question: str) -> str:
    """The question a request wraps, from its first word after the request's verb and addressee,
    without the sentences that only greet or thank; any other question as it is. A request ends
    where what is asked begins: "Can you tell me which Pfizer subsidiary ..." reads "Which Pfizer
    subsidiary ...", "tell me the CT053 upfront" reads "the CT053 upfront"; "What did the FDA
    tell Orion?" asks about a telling."""
    words = {w.strip(string.punctuation).lower() for w in question.split()}
    if not words & _MARKS:
        return question  # no request, greeting or thanks: most questions, not parsed again
    doc = parse(question)
    every = list(doc.sents)
    sents = [s for s in every if not _courtesy(s)]
    if not sents:
        return question
    if len(sents) < len(every):  # the courtesies gone, what is left read again
        return unwrapped(question[sents[0].start_char : sents[-1].end_char])
    end, first = len(doc), None  # "kelun placing px hkd Thanks!": thanks closing its sentence
    while end > 1 and (doc[end - 1].is_punct or doc[end - 1].lower_ in _COURTESY):
        end -= 1
        first = end if not doc[end].is_punct else first
    if first is not None and any(t.lower_ in _THANKS for t in doc[first:]):
        return unwrapped(question[: doc[first].idx].rstrip(" ,;-"))  # ("stake % Thanks": the %)
    greeting = 0  # "Hi team, what ...": a greeting before a comma opens the question's sentence
    while greeting < len(doc) - 1 and doc[greeting].lower_ in _GREETING:
        greeting += 1
    if greeting and doc[greeting].is_punct and greeting + 1 < len(doc) - 1:
        return unwrapped(_opened(question, question[doc[greeting + 1].idx :]))
    for token in doc[:_WITHIN]:
        if token.lemma_.lower() not in _ASKING or token.pos_ not in ("VERB", "AUX"):
            continue
        if not all(t.lower_ in _OPENING or t.is_punct for t in doc[: token.i]):
            return question  # "What did the FDA tell Orion?": a question about a telling
        start = token.i + 1
        while start < len(doc) and (doc[start].lower_ in _ADDRESSEE or doc[start].is_punct):
            start += 1
        if start >= len(doc) - 1:
            return question  # nothing after it but a mark: "Can you tell me?"
        return _opened(question, question[doc[start].idx :])
    return question


def _opened(question: str, rest: str) -> str:
    """What a request or a greeting wraps, opening with a capital where the user writes in
    sentence case (the parse reads "Which ..." and "which ..." apart); a question typed without
    capitals ("kelun placing px hkd") stays as typed."""
    cased = question[:1].isupper() and any(c.isupper() for c in rest[1:])
    return rest[:1].upper() + rest[1:] if cased else rest


def _courtesy(sent: Any) -> bool:
    """Whether a sentence only greets or thanks."""
    words = [t.lower_ for t in sent if not (t.is_punct or t.is_space)]
    return all(w in _COURTESY for w in words)
