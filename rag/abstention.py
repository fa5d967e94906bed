"""When the evidence does not answer: decided from the index and the passages, not from a list of
questions.

Five signs, each a pure function over text and what the index knows:
- the question names something the corpus has never seen ("Zai Lab"), and it is no typo of a
  name it has ("Quingyue" for "Qingyue");
- the thing asked for ("royalty rate", "PDUFA date") is a word the corpus uses, yet none of the
  briefs about the question's subject ever uses it: the corpus covers royalties, not this one's;
- the words of the thing asked for are in those briefs, but never together in one sentence
  ("PDUFA" only as a fee waiver, never a PDUFA date);
- a kind of name the question uses ("Series B", "Stock Exchange") is in the corpus but in none of
  the briefs about the question's subjects;
- the best evidence sentence itself says the figure is not known ("has not yet set a price").
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable

from rag.lexical import lexical_tokens
from rag.numbers import find_amounts, find_dates
from rag.sentences import split_sentences

# "What royalty rate will ...", "Which regulators cleared ...": the words after the wh-word and
# before the verb name what is asked; the last of them is its head ("rate"). Narrower on purpose
# than `rag.evidence.asked_phrase`, which only weighs words: here a word decides a refusal, and
# the broader phrase (how-questions, any preposition) declines answerable questions.
_WH_PHRASE = re.compile(
    r"\b(?:what|which)\s+((?:[\w()-]+\s+){1,3}?)(?:is|are|was|were|did|does|do|has|have|had|"
    r"will|would|can|could|should)\b",
    re.IGNORECASE,
)
# "What was Orchidstone's market capitalization ...": the asked thing follows the possessive.
_POSSESSIVE = re.compile(
    r"\b(?:what|which)\s+(?:is|was|are|were)\s+(?:the\s+)?[\w-]+(?:'s|’s)\s+((?:[\w-]+\s*){1,2})",
    re.IGNORECASE,
)
# "What is the usual starting dose of metformin ...": the phrase between the article and the
# preposition.
_WH_IS = re.compile(
    r"^\W*(?:what|which)\s+(?:is|was|are|were)\s+(?:the|a|an)\s+((?:[\w()-]+\s+){1,3}?)"
    r"(?:of|for|in|on|at|from|to|with|by|that|under)\b",
    re.IGNORECASE,
)
# Words that say what kind of answer is wanted, not what it is about.
_META = frozenset(
    ("name", "names", "type", "kind", "date", "dates", "number", "amount", "size", "figure",
     "company", "companies", "product", "products", "drug", "drugs", "year", "month", "day",
     "value", "one", "two", "three", "four", "five")
)  # fmt: skip
_NAME = re.compile(r"(?<!^)(?<![.?!]\s)\b[A-Z][a-z]{2,}\b")  # Titlecase words; not acronyms
_COMPOUND_NAME = re.compile(r"\b(Series|Phase|Round)\s+(?:IV|I{1,3}[ab]?|[A-H]|[1-4][ab]?)\b")
_NATIONALITY = re.compile(r"(?:ese|ian|ean|ish)$")
_UNKNOWN = re.compile(
    r"\bnot (?:yet )?(?:been )?(?:set|disclosed|announced|determined|decided|released|reported)\b|"
    r"\bundisclosed\b|\bdid not (?:disclose|say|give)\b|\bdeclined to (?:disclose|say|give)\b",
    re.IGNORECASE,
)


def asked_head(question: str) -> str | None:
    """The head word of what a what/which question asks for ("rate" of "royalty rate"); None
    when there is none or it only says what kind of answer is wanted ("date", "companies")."""
    words = re.findall(r"[a-z][a-z0-9-]*", " ".join(_asked_words(question)).lower())
    if len(words) > 1 and words[-1] in _META and not _NATIONALITY.search(words[-2]):
        words = words[:-1]  # "PDUFA date": the date asked is the PDUFA one
    return words[-1] if words and words[-1] not in _META else None


def unknown_names(
    question: str, vocabulary: Iterable[str], known: Callable[[str], bool]
) -> list[str]:
    """Capitalised words of the question that the corpus never uses and that are no near
    spelling of a word it does use."""
    vocab = None
    out = []
    for word in _NAME.findall(question):
        stems = lexical_tokens(word)
        if not stems or any(known(s) for s in stems):
            continue
        vocab = vocab if vocab is not None else list(vocabulary)
        if len(word) >= 5 and difflib.get_close_matches(stems[0], vocab, n=1, cutoff=0.75):
            continue  # a typo of a known word
        out.append(word)
    return out


def missing_names(
    question: str,
    terms_of: Callable[[set[str]], set[str]],
    doc_freq: Callable[[str], int],
    specific: int,
    rare: int = 0,
) -> list[str]:
    """Capitalised words of the question that the corpus uses ("Series", "Stock Exchange") but
    that none of the briefs about its subjects does. Subjects are its rare names (in at most
    `rare` documents: "Jinhaiwan", "Lanxi"; a comparison names several), else its specific ones
    (in at most `specific`); a name in more documents than that is a kind of thing, and it must
    be in the subjects' briefs. `terms_of(names)` gives every term of the briefs holding any of
    the names."""
    words = [w for w in _NAME.findall(question) if not _NATIONALITY.search(w)]
    stems = {w: lexical_tokens(w) for w in words}
    subjects = {s for w in words for s in stems[w] if 0 < doc_freq(s) <= specific}
    if not subjects:
        return []
    core = {s for s in subjects if doc_freq(s) <= rare}
    kind = rare if core else specific  # names in more documents than this may be missing
    held = terms_of(core or subjects)
    missing = [
        w for w in words
        # a word the corpus never uses is a typo or a paraphrase: `unknown_names` judges it
        if stems[w] and all(s not in held and doc_freq(s) > kind for s in stems[w])
    ]  # fmt: skip
    for match in _COMPOUND_NAME.finditer(question):  # "Series B" when the briefs say "Series A"
        token = "".join(lexical_tokens(match.group(0))[-1:])
        if doc_freq(token) and token not in held and match.group(1) not in missing:
            missing.append(match.group(0))
    return missing


def missing_ask(question: str, topic_terms: set[str], known: Callable[[str], bool]) -> str | None:
    """The asked-for word when the corpus uses it but the subject's briefs (`topic_terms`, every
    term they hold) never do; None when it is there, unknown to the corpus, or not found."""
    head = asked_head(question)
    if head is None:
        return None
    stems = lexical_tokens(head)
    if stems and all(known(s) and s not in topic_terms for s in stems):
        return " ".join(_asked_words(question))
    return None


# Kind words of an asked phrase stand for a thing of that kind in the sentence: a "PDUFA date" is
# stated as "PDUFA target action date of June 12, 2026" or "PDUFA goal of June 2026".
_DATE_WORDS = frozenset(("date", "dates", "day", "month", "year"))
_AMOUNT_WORDS = frozenset(("amount", "size", "figure", "number", "value"))


def unstated_ask(question: str, texts: Iterable[str], known: Callable[[str], bool]) -> str | None:
    """The asked phrase when its words are in the subject's briefs (`texts`) but never together
    in one sentence: "PDUFA" only in a fee waiver, never a PDUFA date; "market" and "working
    capital", never a market capitalization. None when one sentence holds them all, when the
    phrase is a single word (`missing_ask` judges that), or when it is not found."""
    words = _asked_words(question)
    lowered = [w.lower().strip("()") for w in words]
    stems = {s for w in lowered if w not in _META for s in lexical_tokens(w) if known(s)}
    wants_date = any(w in _DATE_WORDS for w in lowered)
    wants_amount = any(w in _AMOUNT_WORDS for w in lowered)
    if not stems or len(stems) + wants_date + wants_amount < 2:
        return None
    for text in texts:
        for a, b in split_sentences(text):
            sentence = text[a:b]
            if not stems <= set(lexical_tokens(sentence)):
                continue
            if wants_date and not find_dates(sentence):
                continue
            if wants_amount and not find_amounts(sentence):
                continue
            return None
    return " ".join(words)


def _asked_words(question: str) -> list[str]:
    """The words of the asked phrase as written ("royalty rate"); empty when there is none."""
    match = _POSSESSIVE.search(question) or _WH_PHRASE.search(question) or _WH_IS.search(question)
    return match.group(1).split() if match else []


def says_unknown(sentence: str, question: str) -> bool:
    """Whether an evidence sentence states that what the question asks for ("price") is not set
    or not disclosed: "... has not yet set a price", not "has not disclosed X, but ..."."""
    head = asked_head(question)
    if head is None or not _UNKNOWN.search(sentence):
        return False
    clause = re.split(r",\s*but\b|;", sentence)[0]
    return bool(set(lexical_tokens(head)) & set(lexical_tokens(clause)))
