"""The signed attendee snapshot file (docs/snapshot-format.md): one writer, one streaming reader.

The reader yields records as it goes and verifies the end record last; callers stage what it
yields and apply it only when the iteration finishes without SnapshotError.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from scanner.checkin.keyring import Keyring, KeyringError, b64u_decode, b64u_encode
from scanner.checkin.keyring import keyring_from_json as _keyring_from_json
from scanner.checkin.line_reader import InputTooLarge
from scanner.checkin.line_reader import file_lines as file_lines  # the journal files' reader too

FORMAT = "door-scanner-snapshot"
VERSION = 1
RECORD_KINDS = frozenset({"ticket", "revocation", "passage"})


class SnapshotError(ValueError):
    """The snapshot is refused; the message says where and why."""


def key_fingerprint(public: bytes) -> str:
    digest = hashlib.sha256(public).hexdigest()[:16]
    return " ".join(digest[i : i + 4] for i in range(0, 16, 4))


def normalise_fingerprint(text: str) -> str:
    return key_fingerprint_from_hex("".join(ch for ch in text.lower() if ch in "0123456789abcdef"))


def key_fingerprint_from_hex(hex16: str) -> str:
    return " ".join(hex16[i : i + 4] for i in range(0, len(hex16), 4))


def code_fingerprint(signature: bytes) -> str:
    return hashlib.sha256(signature).hexdigest()[:32]


def _line(obj: dict[str, Any]) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


class SnapshotWriter:
    """Produces the lines of a snapshot one at a time, hashing as it goes."""

    def __init__(self, signing_secret: bytes) -> None:
        self._key = Ed25519PrivateKey.from_private_bytes(signing_secret)
        self._hash = hashlib.sha256()
        self._records = 0

    @property
    def public_key(self) -> bytes:
        return self._key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    def header(
        self,
        *,
        event: dict[str, Any],
        keyring: Keyring,
        cursor: str | None,
        generated_at: str,
        records: int | None = None,
    ) -> bytes:
        """`records`, when known, is how many records will follow (for progress displays)."""
        return self._emit(
            {
                "k": "header",
                "records": records,
                "format": FORMAT,
                "version": VERSION,
                "generated_at": generated_at,
                "cursor": cursor,
                "event": event,
                "keyring": keyring.to_json(),
                "signer_public_b64u": b64u_encode(self.public_key),
            }
        )

    def record(self, obj: dict[str, Any]) -> bytes:
        if obj.get("k") not in RECORD_KINDS:
            raise ValueError(f"unknown record kind {obj.get('k')!r}")
        self._records += 1
        return self._emit(obj)

    def end(self) -> bytes:
        digest = self._hash.digest()
        return _line(
            {
                "k": "end",
                "records": self._records,
                "sha256": digest.hex(),
                "sig": b64u_encode(self._key.sign(digest)),
            }
        )

    def _emit(self, obj: dict[str, Any]) -> bytes:
        data = _line(obj)
        self._hash.update(data)
        return data


@dataclass(frozen=True)
class SnapshotHeader:
    event: dict[str, Any]
    keyring: Keyring
    cursor: str | None
    generated_at: str
    signer_public: bytes

    @property
    def signer_fingerprint(self) -> str:
        return key_fingerprint(self.signer_public)


def open_snapshot_file(path: str | os.PathLike[str]) -> Iterator[bytes]:
    try:
        yield from file_lines(path)
    except InputTooLarge as exc:
        raise SnapshotError(str(exc)) from None
    except (OSError, EOFError) as exc:
        raise SnapshotError(f"the compressed file is damaged or cut short ({exc})") from None


def _parse(line: bytes, number: int) -> dict[str, Any]:
    if not line.endswith(b"\n"):
        raise SnapshotError(f"line {number}: cut short (no end of line): file truncated?")
    try:
        obj = json.loads(line)
    except (UnicodeDecodeError, ValueError):
        raise SnapshotError(f"line {number}: not a JSON object") from None
    if not isinstance(obj, dict):
        raise SnapshotError(f"line {number}: not a JSON object")
    return obj


def _header(obj: dict[str, Any]) -> SnapshotHeader:
    if obj.get("k") != "header" or obj.get("format") != FORMAT:
        raise SnapshotError("line 1: not a door-scanner snapshot file")
    if obj.get("version") != VERSION:
        raise SnapshotError(f"line 1: snapshot version {obj.get('version')!r} is not supported")
    event, generated, cursor = obj.get("event"), obj.get("generated_at"), obj.get("cursor")
    if not isinstance(event, dict) or not isinstance(event.get("id"), str):
        raise SnapshotError("line 1: the header has no event")
    if not isinstance(generated, str) or not (cursor is None or isinstance(cursor, str)):
        raise SnapshotError("line 1: generated_at or cursor has the wrong type")
    try:
        keyring = _keyring_from_json(obj.get("keyring"))
        signer = b64u_decode(obj.get("signer_public_b64u"))  # type: ignore[arg-type]
    except KeyringError as exc:
        raise SnapshotError(f"line 1: keyring: {exc}") from None
    except ValueError:
        raise SnapshotError("line 1: signer_public_b64u is missing or not base64url") from None
    if len(signer) != 32:
        raise SnapshotError("line 1: signer key must be 32 bytes")
    return SnapshotHeader(event, keyring, cursor, generated, signer)


TrustCheck = Callable[[SnapshotHeader], None]  # raises SnapshotError when the signer is untrusted


def read_snapshot(
    lines: Iterable[bytes], trust: TrustCheck
) -> Iterator[SnapshotHeader | tuple[int, dict[str, Any]]]:
    """Yield the header, then (line number, record) pairs; verify the end record last."""
    digest = hashlib.sha256()
    header: SnapshotHeader | None = None
    count = 0
    remaining = iter(lines)
    for number, line in enumerate(remaining, start=1):
        obj = _parse(line, number)
        if header is None:
            header = _header(obj)
            trust(header)
            digest.update(line)
            yield header
            continue
        kind = obj.get("k")
        if kind == "end":
            _verify_end(obj, number, count, digest.digest(), header.signer_public)
            if next(remaining, None) is not None:
                raise SnapshotError(f"line {number + 1}: data after the end record")
            return
        if kind not in RECORD_KINDS:
            raise SnapshotError(f"line {number}: unknown record kind {kind!r}")
        digest.update(line)
        count += 1
        yield number, obj
    if header is None:
        raise SnapshotError("the file is empty")
    raise SnapshotError(f"the file ends after {count} records without its end record: truncated?")


def _verify_end(obj: dict[str, Any], number: int, count: int, digest: bytes, signer: bytes) -> None:
    if obj.get("records") != count:
        raise SnapshotError(
            f"line {number}: the end record counts {obj.get('records')!r} records, "
            f"the file has {count}: records lost or added"
        )
    if obj.get("sha256") != digest.hex():
        raise SnapshotError(f"line {number}: the content does not match its hash: file altered")
    try:
        Ed25519PublicKey.from_public_bytes(signer).verify(b64u_decode(obj.get("sig")), digest)  # type: ignore[arg-type]
    except (InvalidSignature, ValueError):
        raise SnapshotError(f"line {number}: the signature does not verify: file altered") from None
