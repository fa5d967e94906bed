"""Where a deal applies: the territory phrase of a licence ("outside Greater China"), the
places an amendment moves between the partners, and the rights a termination hands back."""

from __future__ import annotations

from typing import Any

from rag.ledger.vocab import TERRITORY_CUES
from rag.ledger.words import clean_name, word_matches
from rag.reading.nlp import lemma

_EXCLUSIVE = ("outside", "excluding", "ex-", "except")
_EVERYWHERE = ("everywhere", "worldwide", "globally")
_WORLDWIDE = ("global", "worldwide")
PLACES = ("GPE", "LOC")  # spaCy's place labels: reliable on datelines


def deal_territory(sents: list[Any]) -> tuple[str, Any] | None:
    """The territory a deal covers: a place phrase after a territory word ("in mainland China",
    "outside Greater China"), from the first sentence that has one."""
    for sent in sents[:6]:
        tokens = list(sent)
        for ent in sent.ents:
            if not _place(ent, sent):
                continue
            start = ent.start - sent.start
            before = range(start - 1, max(start - 4, -1), -1)
            cue = next((k for k in before if _territory_cue(tokens[k])), None)
            if cue is None:
                continue
            end = ent.end - sent.start
            while (
                end + 1 < len(tokens)
                and tokens[end].lower_ in (",", "and")
                and (tokens[end + 1].ent_type_ in PLACES)
            ):
                end += 1
                while end < len(tokens) and tokens[end].ent_type_ in PLACES:
                    end += 1
            # "outside"/"excluding" belong to the territory; "in"/"rights to" do not
            first = cue if tokens[cue].lower_ in _EXCLUSIVE else start
            if first == cue and cue and tokens[cue - 1].lower_ in _EVERYWHERE:
                first -= 1  # "everywhere except Greater China": the whole phrase is the territory
            text = sent.doc[sent.start + first : sent.start + end].text
            return clean_name(text), sent
    return None


def rights_returned(sents: list[Any]) -> tuple[str, Any] | None:
    """What a termination hands back, where it spans the world: the rights phrase as written
    ("full global rights", "worldwide rights"), from the first sentence naming one: read to
    the end, since a brief tells the ended deal's history before what the end hands back."""
    for sent in sents:
        for token in sent:
            if lemma(token).lower() != "right":
                continue
            # the modifiers before "rights" ("full global"), when one says the whole world
            mods = [c for c in token.lefts if c.dep_ == "amod"]
            if any(m.lower_ in _WORLDWIDE for m in mods):
                return sent.doc[mods[0].i : token.i + 1].text, sent
    return None


def _place(ent: Any, sent: Any) -> bool:
    """A place entity that can be a territory: not a code spaCy calls a place ("ZX-117"), not a
    possessor ("in Seagen's territory", "China's NMPA")."""
    if ent.label_ not in PLACES or any(c.isdigit() for c in ent.text):
        return False
    return not (ent.end < sent.end and sent.doc[ent.end].tag_ == "POS")


def _territory_cue(token: Any) -> bool:
    return any(word_matches(token, c) for c in TERRITORY_CUES)


def territory_change(sents: list[Any]) -> tuple[str, Any] | None:
    """The clause of an amendment that moves places between the partners, as written: places
    that are the subject of a clause about a territory or rights ("Japan and South Korea move
    into Halvorsen's territory"). Read from the first such sentence."""
    for sent in sents[:8]:
        nouns = [t for t in sent if lemma(t).lower() in ("territory", "right")]
        if not nouns:
            continue
        verbs = {_clause_verb(t).i for t in nouns}
        places = [
            e for e in sent.ents
            if _place(e, sent) and e.root.dep_ in ("nsubj", "nsubjpass", "conj")
            and _clause_verb(e.root).i in verbs
        ]  # fmt: skip
        if places:
            end = nouns[-1].i + 1
            return clean_name(sent.doc[places[0].start : end].text), sent
    return None


def _clause_verb(token: Any) -> Any:
    """The verb a word's clause hangs on (through conjuncts, prepositions and objects)."""
    while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i:
        token = token.head
    return token
