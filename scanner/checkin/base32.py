"""Canonical RFC 4648 base32 without padding, as the TK1 format requires.

Decoding goes through `int(text, 32)`: Python's base64 module decodes base32 in pure Python,
which cost more than an HMAC check per code at the door.
"""

from __future__ import annotations

import base64

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_ALPHABET_SET = frozenset(_ALPHABET)
# RFC 4648 letters -> the digits int(..., 32) reads (0-9, then A-V), value for value.
_TO_INT_DIGITS = str.maketrans(_ALPHABET, "0123456789ABCDEFGHIJKLMNOPQRSTUV")
# Lengths (mod 8) that whole bytes can produce without padding.
_VALID_REMAINDERS = frozenset({0, 2, 4, 5, 7})


def b32encode(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").rstrip("=")


def b32decode_canonical(text: str) -> bytes | None:
    """Decode `text`, or return None when it is not canonical unpadded base32: only the
    alphabet, a length whole bytes can have, and unused trailing bits all zero."""
    if not text or len(text) % 8 not in _VALID_REMAINDERS or not _ALPHABET_SET.issuperset(text):
        return None
    value = int(text.translate(_TO_INT_DIGITS), 32)
    size = len(text) * 5 // 8
    spare = len(text) * 5 - size * 8
    if value & ((1 << spare) - 1):
        return None
    return (value >> spare).to_bytes(size, "big")
