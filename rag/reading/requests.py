"""A question put as a request ("Can you tell me which ...", "Please give me the upfront for
CT053", "I'd like to know who ...", "Do you know when ..."), read as the question it wraps: the
request's words ("tell", "me", "you") are no words of what is asked, yet they weigh in
retrieval, in the sentence scores and in the question's embedding.
"""

from __future__ import annotations

from rag.reading.nlp import parse

# verbs that put a question as a request, and the words a request may open with
_ASKING = frozenset(("tell", "show", "give", "know", "explain", "wonder"))
_OPENING = frozenset(("please", "kindly", "just", "can", "could", "would", "will", "do", "you",
                      "i", "we", "'d", "like", "want", "need", "to", "let", "help"))  # fmt: skip
_ADDRESSEE = frozenset(("me", "us", "please"))
_WITHIN = 6  # a request's verb stands among the first words


def unwrapped(question: str) -> str:
    """The question a request wraps, from its first word after the request's verb and addressee;
    any other question as it is. A request ends where what is asked begins: "Can you tell me
    which Pfizer subsidiary ..." reads "Which Pfizer subsidiary ...", "tell me the CT053
    upfront" reads "the CT053 upfront"; "What did the FDA tell Orion?" asks about a telling."""
    doc = parse(question)
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
        rest = question[doc[start].idx :]
        # it opens as the request did: the parse reads "Which ..." and "which ..." apart
        return rest[:1].upper() + rest[1:] if question[:1].isupper() else rest
    return question
