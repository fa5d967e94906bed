"""A question written as a headline ("Who Led Kestrelmab Biotech's Series B?") or in capitals,
read in the corpus's own casing. Its capitals say nothing about which words are names, yet the
reader takes a capitalised run for a name ("Led Kestrelmab Biotech", which no brief writes, was
declined) and spaCy parses "Approve" as a proper noun. Each word is written as the briefs write
it: a name in the corpus's capitals ("CARSGEN" -> "CARsgen"), a word the briefs write in lower
case (or a form of one, "Approve") in lower case, and so an English word the question uses as
no name ("How Big", "the Code of"). Any other word keeps the user's capitals, English or not
("Orion"): a company no brief covers stays a name, and is declined.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rag.reading.nlp import parse
from rag.reading.spelling import Lexicon, is_english
from rag.sentences import STOPWORDS

# a word of letters, hyphenated parts included ("Zevor-Cel"); no code with digits ("CT053"), no
# possessive "s"
_WORD = re.compile(r"(?<![\w'’-])[A-Za-z]+(?:-[A-Za-z]+)*(?![\w-])")
_CAPITALS_SHARE = 0.8  # of the words written all in capitals
# the words a headline leaves in lower case (articles, conjunctions, short prepositions)
_MINOR = frozenset(("a", "an", "the", "and", "but", "or", "nor", "for", "of", "on", "at", "to",
                    "by", "in", "as", "vs"))  # fmt: skip
_HEADLINE_WORDS = 3  # fewer words after the first say nothing of how the user writes
_NAMES = frozenset(("NOUN", "PROPN", "X"))  # the parts of speech a name may take


def headline(question: str, lexicon: Lexicon) -> bool:
    """Whether the question is written as a headline or in capitals: every word after the
    first capitalised but a headline's minor words ("of", "the"), one among them a word the
    briefs write in lower case ("Did", "The", "Led"); or nearly every word in capitals. A
    question naming something ("What is The World Solar Challenge?", "Who led Redtide
    Genomics' Series B?") writes its other words in lower case."""
    words = _WORD.findall(question)
    rest = words[1:]
    if len(rest) < _HEADLINE_WORDS:
        return False
    if sum(w.isupper() and len(w) > 1 for w in words) >= _CAPITALS_SHARE * len(words):
        return True
    capped = [w for w in rest if w[0].isupper()]
    if len(capped) + sum(w in _MINOR for w in rest) < len(rest):
        return False
    return any(_lower_word(w.lower(), lexicon) for w in capped if len(w) > 1)


def _lower_word(low: str, lexicon: Lexicon) -> bool:
    """A function word, or a word the briefs write in lower case."""
    return low in STOPWORDS or low in lexicon.lower


def recased(question: str, lexicon: Lexicon, known: Callable[[str], bool]) -> str:
    """A headline question in the corpus's casing (`known(word)`: a corpus word shares its
    stem; an English one is a form of a word the briefs write, "Approve" of "approved"); any
    other question as it is."""
    if not headline(question, lexicon):
        return question

    def word(match: re.Match[str]) -> str:
        text = match.group()
        low = text.lower()
        head = low.split("-", 1)[0]  # "Zevor-Cel" is written as the corpus writes "zevor"
        if len(text) < 2 or head in lexicon.cased and low != head:
            return text  # "Series B"'s letter; a name's hyphenated form ("Kelun-Biotech")
        if low in lexicon.cased:
            fixed = lexicon.cased[low][0]
        elif _lower_word(head, lexicon) or (known(head) and is_english(head)):
            fixed = low
        else:
            # no word of the briefs, though English perhaps ("Orion"): the user's name for
            # something, kept a name, so that a company no brief covers is declined
            return text
        return fixed[:1].upper() + fixed[1:] if match.start() == 0 else fixed  # it opens

    return _unnamed(_WORD.sub(word, question), lexicon)


def _unnamed(question: str, lexicon: Lexicon) -> str:
    """The question with the capitalised English words it uses as no noun (a verb, an
    adjective, a preposition), as a plural noun or as a noun after a determiner or an owner in
    lower case ("How Big was", "Won", "is it Called", "Besides", "in Monkeys", "the Code of",
    "Vantorre's Takeover"), its other words now as the briefs write them: such a word names
    nothing ("BIG" too, in a question in capitals). Any other noun stays as written, and a
    word the briefs capitalise: "Orion" or "Legend" may be a company no brief covers."""
    out = list(question)
    # read in lower case: a capital makes spaCy take any word for a proper noun ("Won")
    for token in parse(question.lower()):
        text = question[token.idx : token.idx + len(token)]
        common = token.pos_ not in _NAMES or (
            token.pos_ == "NOUN"
            and (token.tag_ == "NNS" or any(c.dep_ in ("det", "poss") for c in token.children))
        )
        capitalised = text.isalpha() and text[:1].isupper()  # "Big", or "BIG" in capitals
        named = token.lower_ in lexicon.cased  # the briefs' own name ("Series B")
        # the first word is capitalised anyway, but in capitals it is as unread as the rest
        # ("BESIDES IND CLEARANCE, ...", "MAXIMUM TOTAL VALUE OF ...")
        opening = token.idx == 0 and not text.isupper()
        if not opening and capitalised and common and not named and is_english(token.lower_):
            out[token.idx : token.idx + len(text)] = token.lower_
    return "".join(out)
