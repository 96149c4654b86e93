"""Minting codes: what the platform (companion API), the demo and the tests use to issue tickets.

A door never needs this: it verifies with public keys where it can.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from scanner.checkin.base32 import b32encode
from scanner.checkin.codes import seedjson_message
from scanner.checkin.keyring import (
    KID_PATTERN,
    Algorithm,
    Keyring,
    VerificationKey,
    b64u_decode,
    b64u_encode,
)

# Shorter ids keep QR codes at low versions, which decode far better when small or blurred.
TICKET_ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


def new_ticket_id(length: int = 10) -> str:
    return "".join(secrets.choice(TICKET_ID_ALPHABET) for _ in range(length))


@dataclass(frozen=True)
class SigningKey:
    kid: str
    alg: Algorithm
    secret: bytes = field(repr=False)  # HS256 secret or Ed25519 private seed

    def __post_init__(self) -> None:
        if not KID_PATTERN.fullmatch(self.kid):
            raise ValueError("kid must be 1 to 8 characters of A-Z and 0-9")
        if len(self.secret) != 32:
            raise ValueError("signing keys are 32 bytes")

    @classmethod
    def generate(cls, kid: str, alg: Algorithm = "Ed25519") -> SigningKey:
        return cls(kid, alg, secrets.token_bytes(32))

    def sign(self, message: bytes) -> bytes:
        if self.alg == "HS256":
            return hmac.new(self.secret, message, hashlib.sha256).digest()
        return Ed25519PrivateKey.from_private_bytes(self.secret).sign(message)

    def verification_key(self) -> VerificationKey:
        if self.alg == "HS256":
            return VerificationKey.hs256(self.kid, self.secret)
        public = (
            Ed25519PrivateKey.from_private_bytes(self.secret)
            .public_key()
            .public_bytes(Encoding.Raw, PublicFormat.Raw)
        )
        return VerificationKey.ed25519(self.kid, public)

    def to_json(self) -> dict[str, str]:
        return {"kid": self.kid, "alg": self.alg, "private_b64u": b64u_encode(self.secret)}

    @classmethod
    def from_json(cls, data: dict[str, str]) -> SigningKey:
        alg = data["alg"]
        if alg not in ("HS256", "Ed25519"):
            raise ValueError(f"unknown alg {alg!r}")
        return cls(data["kid"], alg, b64u_decode(data["private_b64u"]))  # type: ignore[arg-type]


def keyring_for(signing_keys: list[SigningKey], seed_json_secret: str | None = None) -> Keyring:
    """The verification keyring a door needs for codes signed by `signing_keys`."""
    return Keyring({k.kid: k.verification_key() for k in signing_keys}, seed_json_secret)


def mint_tk1(key: SigningKey, claims: dict[str, Any]) -> str:
    payload = json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    body = f"TK1.{key.kid}.{b32encode(payload)}"
    return f"{body}.{b32encode(key.sign(body.encode('ascii')))}"


def seedjson_signature(secret: str, ticket_id: str, timestamp_ms: int) -> str:
    message = seedjson_message(ticket_id, timestamp_ms)
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def mint_seedjson(secret: str, ticket_id: str, timestamp_ms: int) -> str:
    signature = seedjson_signature(secret, ticket_id, timestamp_ms)
    return json.dumps(
        {"ticketId": ticket_id, "timestamp": timestamp_ms, "signature": signature},
        separators=(",", ":"),
    )
