"""The index's words: stems, joined codes, and accents a question may leave out."""

from __future__ import annotations

import unicodedata

from rag.lexical import designations, lexical_tokens


def test_lexical_tokens_drop_accents_so_plain_typing_matches() -> None:
    assert lexical_tokens("Beyonce sang Deja Vu") == lexical_tokens("Beyoncé sang Déjà Vu")
    assert "deja" in lexical_tokens("Déjà Vu")  # one word, not "d" and "j"
    # an accent written as its own character is the letter's all the same
    decomposed = unicodedata.normalize("NFD", "Beyoncé sang Déjà Vu")
    assert lexical_tokens(decomposed) == lexical_tokens("Beyonce sang Deja Vu")


def test_lexical_tokens_part_words_at_dashes_and_quotes_outside_ascii() -> None:
    # dropped with the accents, an em dash would join "NovaPen" to the word after it
    assert lexical_tokens("the NovaPen—although") == lexical_tokens("the NovaPen - although")
    assert lexical_tokens("reigned 1402–1424") == lexical_tokens("reigned 1402 - 1424")
    assert lexical_tokens("“Hexiang’s deal”") == lexical_tokens("Hexiang deal")


def test_lexical_tokens_join_codes_and_read_up_front_as_one_word() -> None:
    assert lexical_tokens("ZX-117 paid up front") == ["zx", "117", "paid", "upfront", "zx117"]


def test_lexical_designations_read_rounds_and_phases_roman_or_not() -> None:
    terms = lexical_tokens("a Series B round, then a Phase IIb and a Phase 3 trial")
    assert designations(terms) == {"series": {"b"}, "phase": {"2b", "3"}}
    assert designations(lexical_tokens("Phase III")) == designations(lexical_tokens("phase 3"))
    assert designations(lexical_tokens("the series of trials")) == {}
