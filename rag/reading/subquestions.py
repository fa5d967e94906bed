"""A question that joins several asks, read as one question per ask.

"How did the median PFS change between the October 2022 readout and the May 2024 approval?"
asks two things, and the sentence answering each may stand in a different brief, far down the
ranking the whole question gives. The parse's coordination says where the asks are: each
sub-question is the question with the other conjuncts left out ("... between the October 2022
readout", "... between the May 2024 approval"). Their best sentences become candidates for the
answer's further parts; whether one joins stays the fitted parts model's call.
"""

from __future__ import annotations

from typing import Any

from rag.reading.nlp import parse

MAX_SUBQUESTIONS = 4  # asks one question joins at most ("timeline: filing, listing, designation")
# the prepositions that compare two things as "and" joins them ("Phase 1 escalation vs LUMEN-G2")
VERSUS = frozenset(("versus", "vs", "vs."))


def sub_questions(question: str) -> tuple[str, ...]:
    """One question per conjunct of the question's widest coordination, or () when it joins
    nothing. Tokens keep their original spacing."""
    doc = parse(question)
    groups = [_members(t) for t in doc if t.dep_ != "conj" and _has_conj(t)]
    if not groups:
        return _compared(doc)
    group = max(groups, key=lambda g: sum(len(_own(m)) for m in g))
    if len(group) > MAX_SUBQUESTIONS:
        return ()
    owned = [_own(m) for m in group]
    first, last = group[0].i, group[-1].i
    joints = {
        c.i for m in group for c in m.children
        if c.dep_ in ("cc", "punct", "preconj") and first < c.i < last
    }  # fmt: skip
    out = []
    for k in range(len(group)):
        drop = joints.union(*(owned[:k] + owned[k + 1 :]))
        text = "".join(t.text_with_ws for t in doc if t.i not in drop).strip()
        out.append(text)
    return tuple(dict.fromkeys(out)) if len(set(out)) > 1 else ()


def _compared(doc: Any) -> tuple[str, ...]:
    """For "A versus B", the question about A (the comparison left out) and the question about B
    (B in the place of the phrase that "versus" follows)."""
    for token in doc:
        objects = [c for c in token.children if c.dep_ == "pobj"]
        if token.lower_ in VERSUS and token.dep_ == "prep" and objects:
            against = {t.i for t in token.subtree}
            compared = {t.i for t in token.head.subtree}
            other = {t.i for t in objects[0].subtree}
            first = "".join(t.text_with_ws for t in doc if t.i not in against).strip()
            second = "".join(
                t.text_with_ws for t in doc if t.i not in compared or t.i in other
            ).strip()  # fmt: skip
            return (first, second) if first != second else ()
    return ()


def _has_conj(token: Any) -> bool:
    return any(c.dep_ == "conj" for c in token.children)


def _members(head: Any) -> list[Any]:
    """The head of a coordination and its conjuncts, in the question's order."""
    members, stack = [head], [head]
    while stack:
        for c in stack.pop().children:
            if c.dep_ == "conj":
                members.append(c)
                stack.append(c)
    return sorted(members, key=lambda m: m.i)


def _own(member: Any) -> set[int]:
    """The token indexes a conjunct owns: its subtree less the conjuncts (and their joining
    words) it governs."""
    drop: set[int] = set()
    for c in member.children:
        if c.dep_ == "conj":
            drop |= {x.i for x in c.subtree}
        elif c.dep_ in ("cc", "punct", "preconj") and c.i > member.i:
            drop.add(c.i)
    return {x.i for x in member.subtree if x.i not in drop}
