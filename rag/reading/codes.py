"""Which product or trial a sentence is about, by its codes: a near miss one digit off.

Briefs name products and trials by codes of one family ("CREST-201" and "CREST-301",
"HBM7022" and "HBM9378"), and a sentence often names none and speaks of the one named just
before it ("With longer follow-up, median overall survival was 14.7 months"). A question about
one code answered from a sentence about its sibling borrows another trial's figure: the
near miss the product must never make. Pure functions over text; no model.
"""

from __future__ import annotations

from collections.abc import Sequence

from rag.lexical import CODE
from rag.reading.candidates import Sentence
from rag.types import Passage


def codes(text: str) -> list[tuple[str, str]]:
    """The codes a text names, in order, each as (letters, digits), lower case."""
    return [(m.group(1), m.group(2)) for m in CODE.finditer(text.lower())]


def paragraph_before(passages: Sequence[Passage], sentence: Sentence) -> str:
    """The text of the sentence's paragraph before it, as far as the retrieved chunks of its
    document cover it without a gap: a chunk may start right at the sentence, and the one
    before it names the trial the sentence speaks of."""
    here = passages[sentence.passage]
    at = here.start + sentence.span[0]
    text = ""  # the document's text from `at - len(text)` up to `at`
    for p in sorted((p for p in passages if p.doc_id == here.doc_id), key=lambda p: -p.start):
        reach = at - len(text)  # the earliest character read so far
        if p.start < reach <= p.start + len(p.text):
            text = p.text[: reach - p.start] + text
        if "\n\n" in text:
            break
    return text[text.rfind("\n\n") + 2 :] if "\n\n" in text else text


def sibling_codes(question: str, sentence: Sentence, passages: Sequence[Passage] = ()) -> list[str]:
    """The question's codes whose sentence is about a sibling: another code of the same letters
    stands in the sentence while the asked one does not, or, where the sentence names none of
    that family, the last one its paragraph named before it (`paragraph_before`, read from
    `passages`, the pool the sentence is of) is another ("CREST-201" for a question on
    "CREST-301"). Each returned as the sibling's text, upper case. A question naming two of
    one family ("CREST-301 against CREST-201") may be answered from either."""
    asked = list(dict.fromkeys(codes(question)))
    if not asked:
        return []  # most questions name no code: the paragraph is not read for them
    start, end = sentence.span
    inside = codes(sentence.sent.doc.text[start:end])
    earlier = codes(paragraph_before(passages, sentence)) if passages else []
    out = []
    for letters, digits in asked:
        if sum(a == letters for a, _ in asked) > 1:
            continue  # a question naming two of a family asks across them
        family = [d for a, d in inside if a == letters]
        if not family:
            family = [d for a, d in earlier if a == letters][-1:]
        if family and digits not in family:
            out.append(f"{letters}-{family[-1]}".upper())
    return out
