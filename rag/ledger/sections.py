"""A brief's sections, from spaCy's parse of its paragraphs: one per `##` item of a digest, else
the whole brief; and `kind_of`, the event kind some tokens name.

`read_sections` parses the paragraphs of several briefs in one spaCy call: ingest hands it a few
briefs at a time, because a brief alone fills a batch with four or five paragraphs and leaves the
pipeline's per-call cost unshared (one call per eight briefs: ~10% less parse CPU on corpus/).
Headings and titles are only read for their kind, which needs no entities, so they are parsed
without the entity recognizer (the components before it do not read its output).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rag.ledger.vocab import KIND_WORDS
from rag.ledger.words import EntryIndex
from rag.reading.nlp import lemma, parse_once

_REPORTING = frozenset(("say", "disclose", "announce", "state", "report", "confirm", "reveal"))
KINDS = EntryIndex(KIND_WORDS)  # the kind words, in their order of precedence


@dataclass
class Section:
    """A digest's item, or a whole brief: its heading's parse and its body's sentences."""

    heading: str  # the title for the first section
    sents: list[Any]  # spaCy sentences of its body, in order
    offsets: list[int]  # each sentence's paragraph offset in the brief's text
    heading_doc: Any = None  # the heading's parse (no entities)


@dataclass(frozen=True)
class _Layout:
    """A brief cut into what gets parsed: its non-empty paragraphs after the title, with their
    offsets, and the item headings among them (offset -> heading text)."""

    title: str
    body: list[tuple[int, str]]
    heads: dict[int, str]


def kind_of(tokens: Any) -> str | None:
    """The first event kind, in the vocabulary's order of precedence, that the tokens name."""
    named = KINDS.named([t for t in tokens if not _reported_through(t)])
    return named[0] if named else None


def _reported_through(token: Any) -> bool:
    """A word of the clause that says where the news was told ("I-Mab said in a filing with the
    SEC", "disclosed in a statement"): it names the channel, not the event."""
    head = getattr(token, "head", None)
    return (
        head is not None
        and head.pos_ == "ADP"
        and head.lower_ in ("in", "through", "via")
        and lemma(head.head) in _REPORTING
    )


def read_sections(briefs: Sequence[tuple[str, str]]) -> list[list[Section]]:
    """Each brief's sections (a brief is its text and title), in order, from two parses of all
    of them: headings and titles, then paragraphs."""
    layouts = [_layout(text, title) for text, title in briefs]
    # the few lemmas extraction reads come from `lemma`, which lemmatizes just those words
    heads = parse_once([h for lay in layouts for h in (lay.title, *lay.heads.values())],
                       entities=False, lemmas=False)  # fmt: skip
    bodies = parse_once([block for lay in layouts for _, block in lay.body], lemmas=False)
    out = []
    for lay in layouts:
        head_docs, heads = heads[: 1 + len(lay.heads)], heads[1 + len(lay.heads) :]
        body_docs, bodies = bodies[: len(lay.body)], bodies[len(lay.body) :]
        out.append(_split(lay, head_docs, body_docs))
    return out


def _layout(text: str, title: str) -> _Layout:
    paragraphs: list[tuple[int, str]] = []
    at = 0
    for block in text.split("\n\n"):
        start = text.find(block, at)
        at = start + len(block)
        if block.strip():
            paragraphs.append((start, block))
    body = [(s, b) for s, b in paragraphs if not _is_title(b, title)]
    heads = {s: b.lstrip("# ").split("\n")[0].strip() for s, b in body if _is_item(b)}
    return _Layout(title, body, heads)


def _split(lay: _Layout, head_docs: list[Any], body_docs: list[Any]) -> list[Section]:
    """Split a digest at its `##` headings; any other brief is one section."""
    head_doc = dict(zip(lay.heads, head_docs[1:], strict=True))
    # a digest: two or more items whose heading, or else the lead of its first paragraph,
    # names an event ("cleared for lung cancer" says nothing; "the NMPA had approved" does)
    leads = {start: doc for (start, _), doc in zip(lay.body, body_docs, strict=True)}
    firsts = _first_paragraphs(list(leads), lay.heads)
    headed = sum(
        kind_of(d) is not None or (p in leads and kind_of(next(iter(leads[p].sents))) is not None)
        for h, d in head_doc.items()
        for p in [firsts.get(h)]
    ) >= 2  # fmt: skip
    sections = [Section(lay.title, [], [], head_docs[0])]
    for (start, block), doc in zip(lay.body, body_docs, strict=True):
        if headed and start in lay.heads:
            sections.append(Section(lay.heads[start], [], [], head_doc[start]))
            continue
        if block.lstrip().startswith("#"):
            continue  # a sub-heading restates what its paragraph says
        for sent in doc.sents:
            if sent.text.strip():
                sections[-1].sents.append(sent)
                sections[-1].offsets.append(start)
    return [s for s in sections if s.sents]


def _first_paragraphs(starts: list[int], heads: dict[int, str]) -> dict[int, int]:
    """Each item heading's first paragraph (the block after it), by start offset."""
    ordered = sorted(starts)
    return {h: nxt for h in heads for nxt in ordered[ordered.index(h) + 1 : ordered.index(h) + 2]}


def _is_item(block: str) -> bool:
    return block.lstrip().startswith("## ")


def _is_title(block: str, title: str) -> bool:
    line = block.strip().lstrip("# ").strip()
    return line == title.strip() or (block.lstrip().startswith("# ") and "\n" not in block.strip())
