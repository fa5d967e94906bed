"""The model's attribute rules (`attribute_ruler`: a tag's part of speech and morphology, and
their exceptions), matched by lookup where a rule tests one token's tag, word, dependency label
or space flag.

spaCy's `AttributeRuler` runs its ~180 rules through a `Matcher`, which tries every rule at
every token: ~18% of a parse's CPU on briefs, more than the parser. All but nine rules are one
token whose every test is "equals", "is one of", "is none of" or a flag ("TAG": "VBZ", "LOWER"
in {"is", "'s"}); a token's tag or word indexes them and the rest of their tests are set
lookups. The others (several tokens, a regular expression) keep a `Matcher` of their own. The
matches, sorted as the ruler sorts them, go to the ruler's own `set_annotations`: the same
attributes, set the same way.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

_ATTRS = ("TAG", "LOWER", "DEP", "IS_SPACE")  # the token attributes a looked-up rule may test


@dataclass(frozen=True)
class _Test:
    """One attribute's test: its value (a string's hash, or a flag's 0/1) is among `values`,
    or, with `negated`, not among them."""

    column: int  # the attribute's column in `_ATTRS`
    values: frozenset[int]
    negated: bool = False


_Rule = tuple[int, list[_Test]]  # a rule's index, and the tests a token must pass


class AttributeRules:
    """A drop-in for a loaded `AttributeRuler`'s call: same matches, found by lookup."""

    def __init__(self, ruler: Any) -> None:
        from spacy.matcher import Matcher

        self.ruler = ruler
        self._strings = ruler.vocab.strings
        self._ids = [self._strings.add(str(i)) for i in range(len(ruler.attrs))]
        # a rule that must equal a tag (else a word) is filed under it; the rest test every token
        self._by: tuple[dict[int, list[_Rule]], ...] = (defaultdict(list), defaultdict(list))
        self._every: list[_Rule] = []
        self._rest = Matcher(ruler.vocab)
        for i, rule in enumerate(ruler.patterns):
            rest = [p for p in rule["patterns"] if not self._index(i, p)]
            if rest:
                self._rest.add(self._ids[i], rest)

    def _index(self, i: int, pattern: list[dict[str, Any]]) -> bool:
        """File a one-token rule whose tests all read as `_Test`s; False for any other rule."""
        if len(pattern) != 1 or not pattern[0] or not set(pattern[0]) <= set(_ATTRS):
            return False
        tests = [self._test(key, value) for key, value in pattern[0].items()]
        if any(t is None for t in tests):
            return False
        kept = [t for t in tests if t is not None]
        for column, index in enumerate(self._by):  # TAG, then LOWER
            filed = next((t for t in kept if t.column == column and not t.negated), None)
            if filed is not None:
                for value in filed.values:
                    index[value].append((i, [t for t in kept if t is not filed]))
                return True
        self._every.append((i, kept))
        return True

    def _test(self, key: str, value: Any) -> _Test | None:
        column = _ATTRS.index(key)
        if isinstance(value, bool):
            return _Test(column, frozenset((int(value),)))
        if isinstance(value, str):
            return _Test(column, frozenset((self._strings.add(value),)))
        if isinstance(value, dict) and len(value) == 1 and set(value) <= {"IN", "NOT_IN"}:
            ((op, words),) = value.items()
            return _Test(column, frozenset(self._strings.add(str(w)) for w in words),
                         negated=op == "NOT_IN")  # fmt: skip
        return None  # a regular expression, a length, ...: the Matcher's

    def __call__(self, doc: Any) -> Any:
        """Set the rules' attributes on `doc`, as the ruler would."""
        self.ruler.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Any) -> list[tuple[int, int, int, int]]:
        """The ruler's matches: (rule index, its key's hash, start, end), sorted as it sorts."""
        from spacy.attrs import IDS

        found: set[tuple[int, int, int, int]] = set()
        rows = doc.to_array([IDS[a] for a in _ATTRS]).tolist()
        by_tag, by_word = self._by
        for at, row in enumerate(rows):
            for rules in (by_tag.get(row[0]), by_word.get(row[1]), self._every):
                for i, tests in rules or ():
                    # a plain loop, not all(...): this runs for every token of every parse
                    for test in tests:
                        if (row[test.column] in test.values) == test.negated:
                            break
                    else:
                        found.add((i, self._ids[i], at, at + 1))
        for key, start, end in self._rest(doc, allow_missing=True):
            found.add((int(self._strings[key]), key, start, end))
        return sorted(found)
