"""The question in the corpus's own spelling: names a user typed in lower case get the corpus's
capitals ("kelun" -> "Kelun", "ipo" -> "IPO"), and a lower-case word no brief uses is read as the
corpus word it misspells ("approvel" -> "approval", edit distance by rapidfuzz) or shortens
("upfrnt" -> "upfront", "shr" -> "share", "dev" -> "development"); a word of English the briefs
do not use (pyspellchecker's dictionary) is no typo.

Names the user wrote with capitals or digits are never changed: a company no brief covers must
stay unknown (and be declined), never become a known company with another's figures.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rag.sentences import STOPWORDS

# a question's word, less a possessive "'s"; codes with digits ("CT053") are no words here
_WORD = re.compile(r"(?<![\w-])([A-Za-z][a-z]*)(?:['’]s)?(?![\w-])")
# a word, not the letters of a code ("SHR" in "SHR-A1811", "BL" in "BL-B01D1")
_CORPUS_WORD = re.compile(r"(?<![\w-])[A-Za-z][A-Za-z]+(?![\w]|-\w*\d)")
_RUN_WORD = re.compile(r"[A-Za-z]+")  # "triple-negative" is two words of an acronym
_CAMEL_PART = re.compile(r"[A-Z][a-z]+")  # "AstraZeneca" is "Astra" and "Zeneca"
_VOWELS = frozenset("aeiou")
_TRANSPOSED_CHARS = 6  # a capitalised word this long, two letters swapped, is a slip, no name
_GENERIC_CHARS = 7  # a lower-case word this long that is no English word is a name (a generic)
_INSIDE = frozenset(",;(&/'\"’“")  # what stands before a word inside a sentence, besides a word
_ACRONYM_CHARS = 6  # a longer word of capitals is a name, not words written short
MIN_CHARS = 3  # two letters ("px", "yr") say too little to be read as any one word
ENGLISH_NAME_USES = 3  # "Legend" the company, not "Harbour Mice" the platform once


@dataclass(frozen=True)
class Lexicon:
    """The corpus's words: how often each occurs, lower-cased, and the capitalised form of those
    it never writes in lower case (names, acronyms)."""

    counts: dict[str, int]
    cased: dict[str, tuple[str, int]]  # form and how often it stands inside a sentence
    by_initial: dict[str, tuple[str, ...]]
    stems: frozenset[str] = frozenset()
    lower: frozenset[str] = frozenset()  # the words it writes in lower case

    @classmethod
    def from_texts(cls, texts: Iterable[str], stem: Callable[[list[str]], list[str]]) -> Lexicon:
        """Count the words of every text (chunks and titles); `stem` gives their index stems.
        A capitalised form counts as a name only where it stands inside a sentence: "According"
        opening one, or "Rates" in a table's header, is no name."""
        forms: Counter[tuple[str, bool]] = Counter()
        for text in texts:
            for match in _CORPUS_WORD.finditer(text):
                j = match.start() - 1
                while j >= 0 and text[j] in " \t":
                    j -= 1
                inside = j >= 0 and (text[j].isalnum() or text[j] in _INSIDE)
                forms[(match.group(), inside)] += 1
        counts: Counter[str] = Counter()
        lower_seen: set[str] = set()
        cased: dict[str, tuple[int, str]] = {}
        for (form, inside), n in forms.items():
            low = form.lower()
            counts[low] += n
            if form == low:
                lower_seen.add(low)
            elif inside and n > cased.get(low, (0, ""))[0]:
                cased[low] = (n, form)
        initials: dict[str, list[str]] = {}
        for word in counts:
            initials.setdefault(word[0], []).append(word)
        return cls(
            dict(counts),
            {w: (form, n) for w, (n, form) in cased.items() if w not in lower_seen},
            {k: tuple(v) for k, v in initials.items()},
            frozenset(stem(list(counts))),
            frozenset(lower_seen),
        )


def normalise(question: str, lexicon: Lexicon, known: Callable[[str], bool]) -> str:
    """The question with its lower-case words in the corpus's spelling. `known(word)` says a
    corpus word shares its stem (a plural or tense the corpus writes otherwise is no typo)."""
    words = list(_WORD.finditer(question))
    # a user who capitalises names wrote an English word in lower case on purpose
    lower = not any(c.isupper() for c in question[1:])
    out, last, skip = [], 0, False
    for i, match in enumerate(words):
        if skip:
            skip = False
            continue
        word, end = match.group(1), match.end(1)
        nxt = words[i + 1] if i + 1 < len(words) else None
        joined = (word + nxt.group(1)).lower() if nxt else ""
        if nxt and question[match.end(1) : nxt.start()] == " " and joined in lexicon.cased:
            # "astra zeneca" is the corpus's "AstraZeneca"
            fixed, end, skip = lexicon.cased[joined][0], nxt.end(1), True
        else:
            fixed = _fixed(word, match.start() == 0, lexicon, known, lower)
        out.append(question[last : match.start()] + fixed)
        last = end
    return "".join(out) + question[last:]


def _fixed(
    word: str, first: bool, lexicon: Lexicon, known: Callable[[str], bool], lower: bool
) -> str:
    low = word.lower()
    # a capital after the start is the user's own name for something: left as written, unless
    # it writes a word of the corpus with two neighbouring letters swapped, a slip of the keys
    # ("Communciations"); a name one letter off ("Kermodi") may be another name, this may not
    if word != low and not (first and word[1:] == low[1:]):
        swapped = _transposed(low, lexicon) if len(low) >= _TRANSPOSED_CHARS else None
        if swapped is None:
            return word
        return lexicon.cased.get(swapped, (swapped[:1].upper() + swapped[1:], 0))[0]
    if low in STOPWORDS or len(low) < MIN_CHARS:
        return word
    if low in lexicon.counts:
        return _cased(low, word, lexicon, lower)
    if known(low) or is_english(low):  # an English word the briefs happen not to use is no typo
        return word
    found = _closest(low, lexicon)
    if found is None:
        return word
    fixed = _cased(found, found, lexicon, lower)
    return fixed[:1].upper() + fixed[1:] if word[:1].isupper() else fixed  # "Upfrnt ..." opens


def _transposed(low: str, lexicon: Lexicon) -> str | None:
    """The corpus word this unknown one writes with two neighbouring letters (after the first)
    swapped: "communciations" -> "communications"."""
    if low in lexicon.counts:
        return None
    for i in range(1, len(low) - 1):
        swapped = low[:i] + low[i + 1] + low[i] + low[i + 2 :]
        if swapped != low and swapped in lexicon.counts:
            return swapped
    return None


def _cased(low: str, default: str, lexicon: Lexicon, lower: bool) -> str:
    """The corpus's capitals for a word it never writes in lower case; an English word ("mice",
    "legend") only in a question written all in lower case, where the corpus uses it as a name
    again and again."""
    form, inside = lexicon.cased.get(low, (default, 0))
    if form != default and is_english(low) and (inside < ENGLISH_NAME_USES or not lower):
        return default
    return form


@lru_cache(maxsize=1)
def _dictionary() -> Any:
    from spellchecker import SpellChecker

    return SpellChecker(distance=1)


def is_english(word: str) -> bool:
    """Whether pyspellchecker's English dictionary holds the word or its singular."""
    words = _dictionary()
    return word in words or (word.endswith("s") and word[:-1] in words)


def generic_name(word: str, chars: int = _GENERIC_CHARS) -> bool:
    """A long lower-case word that is neither an English word nor one made of English words
    ("semaglutide", a generic name no brief uses, since generic names are written in lower
    case; not "bispecific", "licensor" or "monotherapy"); shorthand is shorter ("hkd").
    `chars`: the fewest letters it has."""
    if not (word.isalpha() and word.islower() and len(word) >= chars):
        return False
    parts = [word[i:] for i in range(1, len(word) - 4)] + [word[:j] for j in range(5, len(word))]
    # a part is a word as it stands: "talis" of "zentalis" is no plural of "tali"
    return not is_english(word) and not any(p in _dictionary() for p in parts)


def _closest(word: str, lexicon: Lexicon) -> str | None:
    """The corpus word this one misspells or shortens, the most frequent of the best kind."""
    from rapidfuzz.distance import Levenshtein
    from rapidfuzz.process import extract

    pool = [w for w in lexicon.by_initial.get(word[0], ()) if len(w) >= len(word) - 1]
    if not pool:
        return None
    ranked: list[tuple[int, int, int, str]] = []
    # the consonants as written rank first (a vowel typed wrong keeps them), then one edit (two
    # would make "licensors" of "licenses"), then a word cut short, then letters left out
    if len(word) >= 4:
        for w, d, _ in extract(word, pool, scorer=Levenshtein.distance, score_cutoff=1,
                               limit=None):  # fmt: skip
            ranked.append((d, 0, -lexicon.counts[w], w))
    skeleton = _skeleton(word)
    for w in pool:
        if len(w) <= len(word):
            continue
        # the fewest letters dropped first ("rng" is "range" before "raising"), then the commonest
        dropped = len(w) - len(word)
        if _skeleton(w) == skeleton:  # "upfrnt", "aprvl", "shr": the consonants as written
            ranked.append((0, dropped, -lexicon.counts[w], w))
        elif w.startswith(word):  # "dev", "max": the word cut short
            ranked.append((2, dropped, -lexicon.counts[w], w))
        elif len(word) >= 4 and dropped <= len(word) and _subsequence(word, w):
            ranked.append((3, dropped, -lexicon.counts[w], w))
    return min(ranked)[3] if ranked else None


def _skeleton(word: str) -> str:
    """The first letter and the consonants after it, a doubled letter once: how shorthand drops
    vowels ("approval" -> "aprvl", "running" -> "rnng")."""
    single = [c for i, c in enumerate(word) if i == 0 or c != word[i - 1]]
    return single[0] + "".join(c for c in single[1:] if c not in _VOWELS)


def _subsequence(short: str, long: str) -> bool:
    rest = iter(long)
    return all(c in rest for c in short)


def camel_named(acronym: str, texts: Sequence[str]) -> str:
    """The name the texts write whose capitals, each starting a part of one word, spell the
    acronym: "AZ" for "AstraZeneca", "GSK" for "GlaxoSmithKline" (the likeliest, by count);
    "" when none. One word whose parts the acronym names whole is specific enough for two
    letters, where a run of words is not."""
    if not acronym.isalpha() or not acronym.isupper() or len(acronym) < 2:
        return ""
    found: Counter[str] = Counter()
    for text in texts:
        for word in _RUN_WORD.findall(text):
            parts = _CAMEL_PART.findall(word)
            if len(parts) >= 2 and "".join(p[0] for p in parts) == acronym:
                found[word] += 1
    return found.most_common(1)[0][0] if found else ""


def spelled_out(acronym: str, texts: Sequence[str]) -> bool:
    """Whether the texts write out this acronym: a run of words whose initials spell it
    ("mTNBC" is "metastatic triple-negative breast cancer"). Only a word of letters with two
    capitals or more is an acronym, or one typed in lower case ("mtnbc")."""
    letters = acronym.lower()
    cased = sum(c.isupper() for c in acronym) >= 2 or acronym.islower()
    if not acronym.isalpha() or not cased or len(letters) > 8:
        return False
    if camel_named(acronym, texts):
        return True
    # the initials of each text's words in order: a run of consecutive words spells a substring
    return any(letters in "".join(w[0] for w in _RUN_WORD.findall(t)).lower() for t in texts)


def written_out(acronym: str, texts: Sequence[str]) -> tuple[str, ...]:
    """The words the texts write an acronym out with, when they never use it as it is ("ORR":
    "overall response rate"): the name whose parts it spells (`camel_named`: "AZ",
    "AstraZeneca", its capitals kept), else the run of consecutive words, lower-cased, each of
    three letters or more and no stopword, whose initials spell it, the most frequent such run;
    () when there is none."""
    letters = acronym.lower()
    used = re.compile(rf"(?<![\w-]){re.escape(letters)}(?![\w-])", re.IGNORECASE)
    if not letters.isalpha() or any(used.search(t) for t in texts):
        return ()
    named = camel_named(acronym, texts)
    if named:
        return (named,)
    if not MIN_CHARS <= len(letters) <= _ACRONYM_CHARS:
        return ()
    runs: Counter[tuple[str, ...]] = Counter()
    for text in texts:
        words = [w.lower() for w in _RUN_WORD.findall(text)]
        initials = "".join(w[0] for w in words)
        at = initials.find(letters)
        while at >= 0:
            run = tuple(words[at : at + len(letters)])
            if all(len(w) >= MIN_CHARS and w not in STOPWORDS for w in run):
                runs[run] += 1
            at = initials.find(letters, at + 1)
    return runs.most_common(1)[0][0] if runs else ()
