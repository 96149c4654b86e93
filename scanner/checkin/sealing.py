"""Secrets sealed at rest: AES-256-GCM under a 32-byte key the caller holds.

The door seals its device token and signing keys with its device key (scanner.store.sealing), the
companion API its snapshot-signing and ticket-signing keys with its server key file
(server_stub.core.server_key). Each reads its own key file; this module only seals and opens, so
both write the same format. Pure: no files, no clock.
"""

from __future__ import annotations

import base64
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "sealed:v1:"  # also the associated data: a value sealed otherwise does not open
KEY_BYTES = 32
_NONCE_BYTES = 12


class SealedValueError(ValueError):
    """The key is not the one that sealed the value, or the value is damaged."""


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX)


def key_problem(key: bytes) -> str | None:
    """Why `key` cannot be a sealing key, or None."""
    if len(key) != KEY_BYTES:
        return f"expected {KEY_BYTES} bytes, found {len(key)}"
    return None


def seal(key: bytes, plain: str) -> str:
    """`plain` sealed under `key` (a fresh nonce each time: the same text seals differently)."""
    nonce = secrets.token_bytes(_NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, plain.encode("utf-8"), PREFIX.encode("ascii"))
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def unseal(key: bytes, stored: str) -> str:
    """The plain text of a value `seal` made with `key`."""
    if not is_sealed(stored):
        raise SealedValueError("not a sealed value")
    try:
        raw = base64.urlsafe_b64decode(stored[len(PREFIX) :])
        plain = AESGCM(key).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], PREFIX.encode())
        return plain.decode("utf-8")
    except (InvalidTag, ValueError):  # ValueError: bad base64, a key of the wrong size, not UTF-8
        raise SealedValueError("the key does not open this sealed value") from None
