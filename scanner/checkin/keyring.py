"""Verification keys of one event, in the spec's keyring JSON form.

A key entry that cannot be used is an error when the keyring is loaded, never a silent skip:
a door that quietly lost a key would refuse good tickets as `unknown_key` all evening.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

Algorithm = Literal["HS256", "Ed25519"]
KID_PATTERN = re.compile(r"[A-Z0-9]{1,8}")
SIGNATURE_LENGTH: dict[str, int] = {"HS256": 32, "Ed25519": 64}


class KeyringError(ValueError):
    """The keyring file or one of its keys cannot be used; the message says which and why."""


def b64u_decode(text: str) -> bytes:
    """Strict base64url (padding optional); raises ValueError on anything else."""
    if not isinstance(text, str) or not re.fullmatch(r"[A-Za-z0-9_-]*={0,2}", text):
        raise ValueError("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not base64url") from exc


def b64u_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


@dataclass(frozen=True)
class VerificationKey:
    kid: str
    alg: Algorithm
    material: bytes = field(repr=False)  # HS256 secret or Ed25519 public key
    _ed25519: Ed25519PublicKey | None = field(default=None, repr=False, compare=False)

    @classmethod
    def hs256(cls, kid: str, secret: bytes) -> VerificationKey:
        return cls(kid, "HS256", secret)

    @classmethod
    def ed25519(cls, kid: str, public: bytes) -> VerificationKey:
        return cls(kid, "Ed25519", public, Ed25519PublicKey.from_public_bytes(public))

    def verify(self, message: bytes, signature: bytes) -> bool:
        """Constant-time for HS256; the algorithm comes from the key, never from the code."""
        if len(signature) != SIGNATURE_LENGTH[self.alg]:
            return False
        if self.alg == "HS256":
            expected = hmac.new(self.material, message, hashlib.sha256).digest()
            return hmac.compare_digest(expected, signature)
        assert self._ed25519 is not None
        try:
            self._ed25519.verify(signature, message)
        except InvalidSignature:
            return False
        return True

    def to_json(self) -> dict[str, str]:
        if self.alg == "HS256":
            return {"kid": self.kid, "alg": self.alg, "secret_b64u": b64u_encode(self.material)}
        return {"kid": self.kid, "alg": self.alg, "public_b64u": b64u_encode(self.material)}


@dataclass(frozen=True)
class Keyring:
    keys: Mapping[str, VerificationKey] = field(default_factory=dict)
    seed_json_secret: str | None = field(default=None, repr=False)
    # kid -> event id of the platform's other events (no key material): a code signed with
    # one of them is a real ticket for another event, not a forgery (docs/key-ids.md)
    other_events: Mapping[str, str] = field(default_factory=dict)

    def get(self, kid: str) -> VerificationKey | None:
        return self.keys.get(kid)

    def event_of(self, kid: str) -> str | None:
        """The other event whose key this kid names, if the platform said so."""
        return self.other_events.get(kid)

    @property
    def can_mint(self) -> bool:
        """True when the keyring holds secrets that could sign codes (must be protected)."""
        return self.seed_json_secret is not None or any(
            k.alg == "HS256" for k in self.keys.values()
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"keys": [k.to_json() for k in self.keys.values()]}
        if self.seed_json_secret is not None:
            out["seed_json_secret"] = self.seed_json_secret
        if self.other_events:
            out["other_events"] = dict(self.other_events)
        return out


def _parse_key(index: int, entry: object) -> VerificationKey:
    where = f"key #{index + 1}"
    if not isinstance(entry, dict):
        raise KeyringError(f"{where}: expected an object with kid and alg")
    kid = entry.get("kid")
    if not isinstance(kid, str) or not KID_PATTERN.fullmatch(kid):
        raise KeyringError(f"{where}: kid must be 1 to 8 characters of A-Z and 0-9")
    where = f"key {kid!r}"
    alg = entry.get("alg")
    member, length = {"HS256": ("secret_b64u", 32), "Ed25519": ("public_b64u", 32)}.get(
        alg if isinstance(alg, str) else "", ("", 0)
    )
    if not member:
        raise KeyringError(f"{where}: unknown alg {alg!r} (expected HS256 or Ed25519)")
    try:
        material = b64u_decode(entry.get(member))  # type: ignore[arg-type]
    except ValueError:
        raise KeyringError(f"{where}: {member} is missing or not base64url") from None
    if len(material) != length:
        raise KeyringError(f"{where}: {member} must be {length} bytes, got {len(material)}")
    if alg == "HS256":
        return VerificationKey.hs256(kid, material)
    return VerificationKey.ed25519(kid, material)


def keyring_from_json(data: object) -> Keyring:
    if not isinstance(data, dict):
        raise KeyringError("keyring must be a JSON object with a 'keys' list")
    entries = data.get("keys", [])
    if not isinstance(entries, list):
        raise KeyringError("keyring 'keys' must be a list")
    keys: dict[str, VerificationKey] = {}
    for index, entry in enumerate(entries):
        key = _parse_key(index, entry)
        if key.kid in keys:
            raise KeyringError(f"key {key.kid!r}: kid appears twice")
        keys[key.kid] = key
    secret = data.get("seed_json_secret")
    if secret is not None and (not isinstance(secret, str) or not secret):
        raise KeyringError("seed_json_secret must be a non-empty string")
    return Keyring(keys, secret, _other_events(data.get("other_events")))


def _other_events(data: object) -> dict[str, str]:
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(
        isinstance(kid, str) and KID_PATTERN.fullmatch(kid) and isinstance(event, str) and event
        for kid, event in data.items()
    ):
        raise KeyringError("other_events must map kids (1 to 8 of A-Z 0-9) to event ids")
    return dict(data)


def keyring_from_text(text: str | bytes) -> Keyring:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise KeyringError(f"keyring is not valid JSON: {exc}") from None
    return keyring_from_json(data)
