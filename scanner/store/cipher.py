"""The data file encrypted at rest: SQLCipher (AES-256 pages with an HMAC each) keyed from the
device key (docs/data-at-rest.md).

Every page is encrypted, the search index, the journal, the WAL and the copies made before
upgrades included, so a data file copied off a stolen laptop gives away no attendee without the
key file in the user's config folder. A raw 256-bit key skips SQLCipher's passphrase derivation,
which would cost every connection (one per job) a hundred milliseconds.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from scanner.store.sealing import derived_key, key_path

log = logging.getLogger(__name__)

PLAIN_HEADER = b"SQLite format 3\x00"
PURPOSE = "door-scanner data file v1"
DBAPI: Any = sqlcipher  # for SQLAlchemy's `module=`: its errors are not sqlite3's
ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, sqlcipher.Error)


def data_file_key() -> bytes:
    return derived_key(PURPOSE)


def _key_pragma(key: bytes) -> str:
    return f"PRAGMA key = \"x'{key.hex()}'\""


def connect(path: Path, key: bytes | None, *, existing: bool = False, timeout: float = 5.0) -> Any:
    """A DB-API connection to `path`, keyed before anything else is read when `key` is given;
    `existing` opens only a file that is there (never creating one)."""
    target = f"{path.resolve().as_uri()}?mode=rw" if existing else str(path)
    if key is None:
        return sqlite3.connect(target, uri=existing, timeout=timeout)
    conn = sqlcipher.connect(target, uri=existing, timeout=timeout, check_same_thread=False)
    conn.execute("PRAGMA cipher_log_level = NONE")  # failures reach the caller, not stderr
    conn.execute(_key_pragma(key))
    return conn


def is_plain(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(len(PLAIN_HEADER)) == PLAIN_HEADER


class NoKey(RuntimeError):
    """The data file is encrypted and this user has no device key file."""


UNREADABLE: tuple[type[Exception], ...] = (*ERRORS, NoKey)  # what connect_file's users meet


def connect_file(path: Path) -> Any:
    """Open an existing data file whichever way it is stored, never creating a file or a key
    (tests, support tools, doctor)."""
    if is_plain(path):
        return connect(path, None, existing=True)
    if not key_path().exists():
        raise NoKey(f"the data file is encrypted and the device key file {key_path()} is missing")
    return connect(path, data_file_key(), existing=True)


class InUse(RuntimeError):
    """Another connection has the plain file open: it cannot be replaced under it."""


def encrypt_in_place(path: Path, key: bytes) -> None:
    """Replace a plain data file by an encrypted copy of it (sqlcipher_export), atomically.

    The plain file leaves WAL mode first, which SQLite allows only when no other connection has
    it open, and stays locked (exclusive locking mode) from the export to the rename, so no
    write of another process can land in the file being replaced."""
    partial = path.with_name(f".{path.name}.encrypting")
    for leftover in (partial, *_sidecars(partial)):
        leftover.unlink(missing_ok=True)
    inode = path.stat().st_ino
    plain = sqlcipher.connect(str(path), isolation_level=None)  # no key: reads plain text
    try:
        plain.execute("PRAGMA cipher_log_level = NONE")
        plain.execute("PRAGMA busy_timeout=3000")
        try:
            mode = plain.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        except sqlcipher.OperationalError:
            raise InUse(path) from None  # another process has it open (it holds a WAL lock)
        except sqlcipher.DatabaseError:
            return  # another process has just encrypted it
        if mode != "delete":
            raise InUse(path)
        plain.execute("PRAGMA locking_mode=EXCLUSIVE")
        plain.execute("BEGIN EXCLUSIVE")
        version = int(plain.execute("PRAGMA user_version").fetchone()[0])
        plain.execute("COMMIT")  # the lock stays: exclusive locking mode
        if path.stat().st_ino != inode:
            return  # replaced (encrypted) by another process while this one waited
        sqlite3.connect(partial).close()
        os.chmod(partial, 0o600)
        plain.execute(f"ATTACH DATABASE ? AS secret KEY \"x'{key.hex()}'\"", (str(partial),))
        plain.execute("SELECT sqlcipher_export('secret')")
        plain.execute(f"PRAGMA secret.user_version = {version}")
        plain.execute("DETACH DATABASE secret")
        _fsync(partial)
        os.replace(partial, path)
    finally:
        plain.close()
    _fsync(path.parent)
    log.info("the data file is now encrypted at rest")


def _sidecars(path: Path) -> tuple[Path, Path]:
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
