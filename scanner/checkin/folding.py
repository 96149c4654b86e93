"""Text folding for search: case- and accent-insensitive, so "jurgen" finds "Jürgen"."""

from __future__ import annotations

import unicodedata

# Letters that do not decompose into a base letter plus accents.
_SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "þ": "th"})


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_SPECIAL))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    """Folded words of `text`, splitting on anything that is not a letter or digit."""
    folded = fold(text)
    out: list[str] = []
    word: list[str] = []
    for ch in folded:
        if ch.isalnum():
            word.append(ch)
        elif word:
            out.append("".join(word))
            word = []
    if word:
        out.append("".join(word))
    return out
