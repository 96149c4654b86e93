"""Tokens and one-time codes: random, stored only as SHA-256, compared in constant time.

A token reads `<id>.<secret>`: the id finds the row, then the secret's hash is compared with
hmac.compare_digest, so neither the lookup nor the comparison leaks how much of a secret matched.
Tokens are never logged; reprs of objects holding them hide them.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

# No look-alike characters (0/o, 1/l): enrolment codes are typed in by technicians.
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def same_hash(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), stored_hash)


def new_id(prefix: str, length: int = 10) -> str:
    return prefix + "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def new_token(row_id: str) -> tuple[str, str]:
    """(token to hand out once, hash to store)."""
    secret = secrets.token_urlsafe(32)
    return f"{row_id}.{secret}", hash_secret(secret)


def split_token(token: str) -> tuple[str, str] | None:
    row_id, dot, secret = token.partition(".")
    if not dot or not row_id or not secret or len(token) > 200:
        return None
    return row_id, secret


def new_enrollment_code() -> str:
    """12 characters (about 59 bits) in groups of four: one-time, short-lived, typed by hand."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def normalise_enrollment_code(text: str) -> str:
    raw = "".join(ch for ch in text.lower() if ch in CODE_ALPHABET)
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))
