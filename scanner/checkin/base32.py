"""Canonical RFC 4648 base32 without padding, as the TK1 format requires."""

from __future__ import annotations

import base64
import binascii

_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
# Lengths (mod 8) that whole bytes can produce without padding.
_VALID_REMAINDERS = frozenset({0, 2, 4, 5, 7})


def b32encode(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").rstrip("=")


def b32decode_canonical(text: str) -> bytes | None:
    """Decode `text`, or return None when it is not canonical unpadded base32."""
    if not text or len(text) % 8 not in _VALID_REMAINDERS or not _ALPHABET.issuperset(text):
        return None
    try:
        data = base64.b32decode(text + "=" * (-len(text) % 8))
    except binascii.Error:
        return None
    # Non-zero unused trailing bits decode fine but re-encode differently.
    if b32encode(data) != text:
        return None
    return data
