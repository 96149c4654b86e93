"""The platform's one Ed25519 snapshot-signing key, made on first use and kept in the database,
sealed with the server key (services.secrets_at_rest)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from scanner.checkin.keyring import b64u_decode, b64u_encode
from scanner.checkin.snapshot_file import key_fingerprint
from server_stub.db import server_key
from server_stub.models import PlatformSetting
from server_stub.services.secrets_at_rest import open_secret

SIGNING_KEY = "snapshot_signing_key"


def signing_secret(session: Session) -> bytes:
    """The 32-byte private seed; created once (two servers racing agree on the first one)."""
    key = server_key(session)
    stored = session.get(PlatformSetting, SIGNING_KEY)
    if stored is None:
        values = {"name": SIGNING_KEY, "value": key.seal(b64u_encode(secrets.token_bytes(32)))}
        insert = postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert  # type: ignore[union-attr]
        session.execute(insert(PlatformSetting).values(values).on_conflict_do_nothing())
        stored_value = session.scalars(
            select(PlatformSetting.value).where(PlatformSetting.name == SIGNING_KEY)
        ).one()
        return b64u_decode(open_secret(key, stored_value))
    return b64u_decode(open_secret(key, stored.value))


def public_key(secret: bytes) -> bytes:
    return (
        Ed25519PrivateKey.from_private_bytes(secret)
        .public_key()
        .public_bytes(Encoding.Raw, PublicFormat.Raw)
    )


def public_info(session: Session) -> dict[str, str]:
    public = public_key(signing_secret(session))
    return {"public_b64u": b64u_encode(public), "fingerprint": key_fingerprint(public)}


def peer_secret(signing_secret: bytes, event_id: str) -> bytes:
    """The secret an event's doors prove themselves to each other with when the internet is
    down (docs/sync.md, "Doors next to each other"): derived from the platform's key, so it is
    never stored, and one event's doors cannot pass for another's."""
    return hmac.new(signing_secret, b"door-peers/v1\0" + event_id.encode(), hashlib.sha256).digest()
