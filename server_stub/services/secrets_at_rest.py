"""The database's secrets as stored: sealed with the server key (server_stub.core.server_key).

What is sealed: the platform's snapshot-signing key (platform_settings), each event's signing keys
(the private part of each entry in events.signing_keys; kid and alg stay readable, so key ids can
be listed without the key) and its SEEDJSON secret. Everything else (public keys, token hashes,
attendees) is stored as before.

At every start `open_secrets` checks that the key file opens every sealed value (else the server
refuses to start, naming the file) and seals what a server before this version left in clear.
That is done here rather than in an Alembic migration: a migration would have to find and
maybe create the key file, could not be run with `alembic` alone, and would run once, while a
value written in clear later (a database restored from an old backup, a server of the previous
version still running beside this one) is sealed at the next start this way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from scanner.checkin import sealing
from scanner.checkin.issuing import SigningKey
from scanner.checkin.keyring import b64u_encode
from server_stub.core.server_key import ServerKey
from server_stub.db import Database
from server_stub.models import Event, PlatformSetting

CLEAR = "private_b64u"  # SigningKey.to_json()'s member, as a server before sealing stored it
SEALED = "private_sealed"


def seal_signing_key(key: ServerKey, signing: SigningKey) -> dict[str, str]:
    return {"kid": signing.kid, "alg": signing.alg, SEALED: key.seal(b64u_encode(signing.secret))}


def open_signing_key(key: ServerKey, stored: dict[str, str]) -> SigningKey:
    if SEALED not in stored:
        return SigningKey.from_json(stored)  # left in clear before this version: sealed at start
    clear = {"kid": stored["kid"], "alg": stored["alg"], CLEAR: key.unseal(stored[SEALED])}
    return SigningKey.from_json(clear)


def open_secret(key: ServerKey, stored: str) -> str:
    return key.unseal(stored) if sealing.is_sealed(stored) else stored


@dataclass
class _Found:
    sealed: list[str] = field(default_factory=list)
    clear: int = 0


def _survey(session: Session) -> _Found:
    found = _Found()
    for value in session.scalars(select(PlatformSetting.value)):
        if sealing.is_sealed(value):
            found.sealed.append(value)
        else:
            found.clear += 1
    for keys, seed in session.execute(select(Event.signing_keys, Event.seed_json_secret)):
        for stored in keys or ():
            if SEALED in stored:
                found.sealed.append(stored[SEALED])
            else:
                found.clear += 1
        if seed is not None:
            if sealing.is_sealed(seed):
                found.sealed.append(seed)
            else:
                found.clear += 1
    return found


def _seal_clear(session: Session, key: ServerKey) -> None:
    for setting in session.scalars(select(PlatformSetting)):
        if not sealing.is_sealed(setting.value):
            setting.value = key.seal(setting.value)
    for event in session.scalars(select(Event)):
        stored: list[dict[str, Any]] = list(event.signing_keys or ())
        if any(SEALED not in entry for entry in stored):
            event.signing_keys = [
                entry if SEALED in entry else seal_signing_key(key, SigningKey.from_json(entry))
                for entry in stored
            ]
        if event.seed_json_secret is not None and not sealing.is_sealed(event.seed_json_secret):
            event.seed_json_secret = key.seal(event.seed_json_secret)


def open_secrets(db: Database) -> None:
    """Refuse a key file that cannot open the database's secrets (ServerKeyError, naming the
    file); seal secrets found in clear, and scrub their old copies from the database's files."""
    with db.writing() as session:
        found = _survey(session)
        # A missing key file is made only for a database that has nothing sealed yet.
        db.server_key.load(create=not found.sealed)
        for value in found.sealed:
            db.server_key.unseal(value)
        if found.clear:
            _seal_clear(session, db.server_key)
    if found.clear:
        _scrub(db)


def _scrub(db: Database) -> None:
    """Rewrite the database so the clear values just sealed leave no old copy in free pages,
    the SQLite WAL or PostgreSQL's dead rows (once, after an upgrade)."""
    if db.is_sqlite:
        raw = db.engine.raw_connection()
        try:
            cursor = raw.cursor()  # autocommit (db.py): VACUUM runs outside a transaction
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.close()
        finally:
            raw.close()
        return
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.execute(text("VACUUM FULL events, platform_settings"))
