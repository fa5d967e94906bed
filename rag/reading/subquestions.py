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
    groups = [members(t) for t in doc if t.dep_ != "conj" and _has_conj(t)]
    if not groups:
        return _compared(doc)
    group = max(groups, key=lambda g: sum(len(own(m)) for m in g))
    owned = [own(m) for m in group]
    first, last = group[0].i, group[-1].i
    joints = {
        c.i for m in group for c in m.children
        if c.dep_ in ("cc", "punct", "preconj") and first < c.i < last
    }  # fmt: skip
    before = listed_before(group[0])
    if before is not None:  # "budget, designation and payment": the list's first item
        item, comma = before
        owned.insert(0, item)
        joints.add(comma)
    if len(owned) > MAX_SUBQUESTIONS:
        return ()
    out = []
    for k in range(len(owned)):
        drop = joints.union(*(owned[:k] + owned[k + 1 :]))
        text = "".join(t.text_with_ws for t in doc if t.i not in drop).strip()
        out.append(text)
    return tuple(dict.fromkeys(out)) if len(set(out)) > 1 else ()


def _compared(doc: Any) -> tuple[str, ...]:
    """For "A versus B", the question about A (the comparison left out) and the question about B
    (B in the place of the phrase that "versus" follows)."""
    found = versus(doc)
    if found is None:
        return ()
    against, compared, other = found
    first = "".join(t.text_with_ws for t in doc if t.i not in against).strip()
    second = "".join(
        t.text_with_ws for t in doc if t.i not in compared or t.i in other
    ).strip()  # fmt: skip
    return (first, second) if first != second else ()


def versus(doc: Any) -> tuple[set[int], set[int], set[int]] | None:
    """The first "A versus B" of a parsed question, as token indexes: "versus B", the phrase
    "A versus B" it hangs on, and B; None when it compares nothing so."""
    for token in doc:
        objects = [c for c in token.children if c.dep_ == "pobj"]
        if token.lower_ in VERSUS and token.dep_ == "prep" and objects:
            against = {t.i for t in token.subtree}
            return against, {t.i for t in token.head.subtree}, {t.i for t in objects[0].subtree}
    return None


def listed_before(member: Any) -> tuple[set[int], int] | None:
    """For a list "A, B and C" the parser reads as B in apposition to A (or to a word of A's
    phrase) and C joined to B: A's tokens and the comma before B, or None when the
    coordination's first member is not such an apposition. A is B's head's phrase up to the
    comma ("... old enemy in the north, the Altair Empire and Vega"), or the wider phrase
    that starts right after a colon ("OR-77 to date: milestone from Lyra, 8 mg Phase 2
    readout, ...")."""
    start = member.left_edge.i
    doc = member.doc
    if member.dep_ != "appos" or start == 0 or doc[start - 1].text != ",":
        return None
    comma, mine = start - 1, {t.i for t in member.subtree}
    phrases: list[set[int]] = []
    node = member.head
    while True:
        own = {t.i for t in node.subtree if t.i not in mine and t.i < comma}
        if not own or any(doc[i].text in (":", ",", ";") for i in own):
            break
        phrases.append(own)
        if node.head.i == node.i or node.head.i > comma:
            break
        node = node.head
    after_colon = [p for p in phrases if min(p) > 0 and doc[min(p) - 1].text == ":"]
    best = after_colon[0] if after_colon else phrases[0] if phrases else None
    return (best, comma) if best else None


def _has_conj(token: Any) -> bool:
    return any(c.dep_ == "conj" for c in token.children)


def members(head: Any) -> list[Any]:
    """The head of a coordination and its conjuncts, in the question's order."""
    found, stack = [head], [head]
    while stack:
        for c in stack.pop().children:
            if c.dep_ == "conj":
                found.append(c)
                stack.append(c)
    return sorted(found, key=lambda m: m.i)


def own(member: Any) -> set[int]:
    """The token indexes a conjunct owns: its subtree less the conjuncts (and their joining
    words) it governs."""
    drop: set[int] = set()
    for c in member.children:
        if c.dep_ == "conj":
            drop |= {x.i for x in c.subtree}
        elif c.dep_ in ("cc", "punct", "preconj") and c.i > member.i:
            drop.add(c.i)
    return {x.i for x in member.subtree if x.i not in drop}
