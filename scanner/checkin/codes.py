"""Parse and verify ticket codes of both formats (spec: ticket-codes.md).

`verify_code` never raises on any input text: every outcome is a `CodeCheck` with either the
parsed ticket or one of the code-level reasons.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from scanner.checkin.base32 import b32decode_canonical
from scanner.checkin.keyring import KID_PATTERN, Keyring
from scanner.checkin.reasons import Reason

MAX_CODE_LENGTH = 512
STRIP_CHARS = " \t\r\n"
CodeFormat = Literal["TK1", "SEEDJSON", "MANUAL"]  # MANUAL: staff picked the ticket by hand
_HEX64 = re.compile(r"[0-9a-fA-F]{64}")


@dataclass(frozen=True)
class IssuedProof:
    """What the signed attendee list says about the code a ticket was issued with."""

    seed_signature: str | None = None  # hex HMAC of its SEEDJSON code
    # issued_code_digest() of its TK1 code, or seed_code_digest() of its SEEDJSON code
    code_digest: str | None = None


# Given a ticket id, the proof of its issued code from the attendee list (None: not listed).
IssuedLookup = Callable[[str], IssuedProof | None]


def issued_code_digest(code_text: str) -> str:
    """First 128 bits of SHA-256 of a TK1 code as issued (upper case): names exactly one code."""
    return hashlib.sha256(code_text.upper().encode("ascii")).hexdigest()[:32]


def seed_code_digest(ticket_id: str, timestamp_ms: int, signature_hex: str) -> str:
    """The same for a SEEDJSON code: its three members, whatever the JSON's spacing and order.
    A door without the platform secret cannot check the timestamp against the signature; the
    digest pins the whole issued code, timestamp included."""
    text = f"SEEDJSON:{ticket_id}:{timestamp_ms}:{signature_hex.lower()}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class TicketCode:
    """A code whose signature verified: who it is for and what it claims."""

    format: CodeFormat
    ticket_id: str
    claims: dict[str, Any] = field(hash=False)
    signature: bytes = field(repr=False)
    event_id: str | None = None
    ticket_type: str | None = None
    days: frozenset[int] | None = None
    not_before: int | None = None
    expires: int | None = None
    timestamp_ms: int | None = None  # SEEDJSON only
    # False when a door without the secret could not tie the timestamp to the issued code
    timestamp_known: bool = True
    holder_name: str | None = None
    seat: str | None = None


@dataclass(frozen=True)
class CodeCheck:
    ok: bool
    reason: Reason | None = None
    format: CodeFormat | None = None
    code: TicketCode | None = None

    def to_json(self) -> dict[str, Any]:
        """The `scanner verify-code` output object."""
        out: dict[str, Any] = {
            "valid": self.ok,
            "reason": None if self.reason is None else str(self.reason),
            "format": self.format,
            "ticket_id": self.code.ticket_id if self.code else None,
            "claims": self.code.claims if self.code else None,
        }
        if self.code is not None and self.code.timestamp_ms is not None:
            out["timestamp"] = self.code.timestamp_ms
        return out


def manual_check(ticket_id: str, paid_at_door: bool = False) -> CodeCheck:
    """A ticket picked from search by door staff (a dead phone): no code, so nothing verified;
    the rules admit it only when it is on the signed list. `paid_at_door`: staff confirmed
    they took payment for an unpaid ticket (cash sales at the door)."""
    claims = {"paid_at_door": True} if paid_at_door else {}
    return CodeCheck(True, None, "MANUAL", TicketCode("MANUAL", ticket_id, claims, b""))


def _fail(reason: Reason, fmt: CodeFormat | None = None) -> CodeCheck:
    return CodeCheck(False, reason, fmt)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_id(value: object) -> bool:
    return isinstance(value, str) and 1 <= len(value) <= 64 and _encodable(value)


def _encodable(value: object) -> bool:
    """Whether text can be stored and printed: JSON escapes can spell lone surrogates
    ("\\ud800") that no UTF-8 file, database or terminal accepts."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def clean_code_text(text: str) -> str:
    return text.strip(STRIP_CHARS)


def verify_code(text: str, keyring: Keyring, issued: IssuedLookup | None = None) -> CodeCheck:
    text = clean_code_text(text)
    if not text or len(text) > MAX_CODE_LENGTH:
        return _fail(Reason.MALFORMED)
    if text[:4].upper() == "TK1.":
        return _verify_tk1(text, keyring, issued)
    if text.startswith("{"):
        return _verify_seedjson(text, keyring, issued)
    return _fail(Reason.MALFORMED)


def _verify_tk1(text: str, keyring: Keyring, issued: IssuedLookup | None) -> CodeCheck:
    if not text.isascii():
        return _fail(Reason.MALFORMED, "TK1")
    text = text.upper()  # a wedge scanner with Caps Lock on inverts the case
    parts = text.split(".")
    if len(parts) != 4 or parts[0] != "TK1" or not KID_PATTERN.fullmatch(parts[1]):
        return _fail(Reason.MALFORMED, "TK1")
    claims_raw = b32decode_canonical(parts[2])
    signature = b32decode_canonical(parts[3])
    if claims_raw is None or signature is None:
        return _fail(Reason.MALFORMED, "TK1")
    key = keyring.get(parts[1])
    if key is None:
        # the platform named this kid as another event's: a real ticket, for elsewhere
        other = keyring.event_of(parts[1])
        return _fail(Reason.UNKNOWN_KEY if other is None else Reason.WRONG_EVENT, "TK1")
    code = _tk1_claims(claims_raw, signature)
    if not _is_issued_code(text, code, issued):
        signed = text[: len(parts[0]) + len(parts[1]) + len(parts[2]) + 2].encode("ascii")
        if not key.verify(signed, signature):
            return _fail(Reason.BAD_SIGNATURE, "TK1")
    if code is None:
        return _fail(Reason.MALFORMED, "TK1")
    return CodeCheck(True, None, "TK1", code)


def _is_issued_code(text: str, code: TicketCode | None, issued: IssuedLookup | None) -> bool:
    """True when the signed list names exactly this code as the ticket's issued one. It stands
    in for the signature check (an Ed25519 verify costs ~80 us; a hash ~1 us); nothing read from
    the unverified claims is used unless the digest matches."""
    if code is None or issued is None:
        return False
    proof = issued(code.ticket_id)
    if proof is None or proof.code_digest is None:
        return False
    return hmac.compare_digest(issued_code_digest(text), proof.code_digest)


def _tk1_claims(raw: bytes, signature: bytes) -> TicketCode | None:
    try:
        claims = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(claims, dict) or not _encodable(claims):
        return None
    if not all(_is_id(claims.get(name)) for name in ("e", "t", "k")):
        return None
    days = claims.get("d")
    if days is not None and not (
        isinstance(days, list) and days and all(_is_int(day) and 1 <= day <= 366 for day in days)
    ):
        return None
    if any(name in claims and not _is_int(claims[name]) for name in ("nbf", "exp", "iat")):
        return None
    if any(name in claims and not isinstance(claims[name], str) for name in ("n", "s")):
        return None
    return TicketCode(
        format="TK1",
        ticket_id=claims["t"],
        claims=claims,
        signature=signature,
        event_id=claims["e"],
        ticket_type=claims["k"],
        days=None if days is None else frozenset(days),
        not_before=claims.get("nbf"),
        expires=claims.get("exp"),
        holder_name=claims.get("n"),
        seat=claims.get("s"),
    )


def seedjson_message(ticket_id: str, timestamp_ms: int) -> bytes:
    return f"{ticket_id}:{timestamp_ms}".encode()


def _verify_seedjson(text: str, keyring: Keyring, issued: IssuedLookup | None) -> CodeCheck:
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError):
        return _fail(Reason.MALFORMED)
    if not isinstance(obj, dict):
        return _fail(Reason.MALFORMED)
    ticket_id, timestamp, sig_hex = obj.get("ticketId"), obj.get("timestamp"), obj.get("signature")
    if not isinstance(ticket_id, str) or not _is_id(ticket_id):
        return _fail(Reason.MALFORMED, "SEEDJSON")
    if not isinstance(timestamp, int) or not _is_int(timestamp) or timestamp < 0:
        return _fail(Reason.MALFORMED, "SEEDJSON")
    if not isinstance(sig_hex, str) or not _HEX64.fullmatch(sig_hex):
        return _fail(Reason.MALFORMED, "SEEDJSON")
    signature = bytes.fromhex(sig_hex)
    if keyring.seed_json_secret is not None:
        key = keyring.seed_json_secret.encode("utf-8")
        expected = hmac.new(key, seedjson_message(ticket_id, timestamp), "sha256").digest()
        if not hmac.compare_digest(expected, signature):
            return _fail(Reason.BAD_SIGNATURE, "SEEDJSON")
        known = True
    else:
        proof = issued(ticket_id) if issued is not None else None
        if proof is None or proof.seed_signature is None:
            return _fail(Reason.UNKNOWN_KEY, "SEEDJSON")
        if not _matches_issued_seed(proof, ticket_id, timestamp, sig_hex):
            return _fail(Reason.BAD_SIGNATURE, "SEEDJSON")
        known = proof.code_digest is not None
    claims = {"ticketId": ticket_id, "timestamp": timestamp}
    code = TicketCode(
        "SEEDJSON", ticket_id, claims, signature, timestamp_ms=timestamp, timestamp_known=known
    )
    return CodeCheck(True, None, "SEEDJSON", code)


def _matches_issued_seed(proof: IssuedProof, ticket_id: str, timestamp: int, sig_hex: str) -> bool:
    """The issued signature, and (when the list names it) the whole issued code: an edited
    timestamp keeps the signature but not the digest."""
    if not _HEX64.fullmatch(proof.seed_signature or ""):
        return False
    same_signature = hmac.compare_digest(sig_hex.lower(), str(proof.seed_signature).lower())
    if proof.code_digest is None:
        return same_signature
    digest = seed_code_digest(ticket_id, timestamp, sig_hex)
    return same_signature and hmac.compare_digest(digest, proof.code_digest)
