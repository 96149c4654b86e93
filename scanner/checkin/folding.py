"""Text folding for search: case- and accent-insensitive, so "jurgen" finds "Jürgen"."""

from __future__ import annotations

import unicodedata
from functools import cache

# Letters that do not decompose into a base letter plus accents.
_SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "þ": "th"})


@cache
def _no_marks() -> dict[int, None]:
    """Every combining mark of the Basic Multilingual Plane, for one C-level translate (a loop
    per character cost more than the rest of importing a ticket). Built on first use: 10 ms."""
    return dict.fromkeys(cp for cp in range(0x10000) if unicodedata.combining(chr(cp)))


def fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_SPECIAL))
    return decomposed.translate(_no_marks())


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
