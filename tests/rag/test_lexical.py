"""The index's words: stems, joined codes, and accents a question may leave out."""

from __future__ import annotations

from rag.lexical import lexical_tokens


def test_lexical_tokens_drop_accents_so_plain_typing_matches() -> None:
    assert lexical_tokens("Beyonce sang Deja Vu") == lexical_tokens("Beyoncé sang Déjà Vu")
    assert "deja" in lexical_tokens("Déjà Vu")  # one word, not "d" and "j"


def test_lexical_tokens_join_codes_and_read_up_front_as_one_word() -> None:
    assert lexical_tokens("ZX-117 paid up front") == ["zx", "117", "paid", "upfront", "zx117"]
