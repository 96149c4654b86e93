"""Data file failures as typed errors whose messages a technician can act on.

SQLite and SQLAlchemy errors carry SQL text and bound values (attendee names, ticket ids); none of
that may reach a screen or a log. Errors are told apart by SQLite's result code, never by the
words of a message.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from scanner.store.cipher import ERRORS

log = logging.getLogger(__name__)

# SQLite's primary result codes (https://sqlite.org/rescode.html).
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY = 3, 5, 6, 8
SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 10, 11, 13, 14, 26


class StoreError(RuntimeError):
    """The data file cannot be used; the message says why and what to do."""


class DataFileDamaged(StoreError):
    """The data file is not a database, is cut short, or has corrupt pages."""


class DiskFull(StoreError):
    """The disk holding the data file has no room for what was asked; nothing was recorded."""


class DataFileUnavailable(StoreError):
    """The data file cannot be opened or written: permissions, a read-only disk, a lock held."""


class DataFileTooNew(StoreError):
    """The data file was written by a newer build of the scanner."""


class UpgradeFailed(StoreError):
    """A schema upgrade failed; the file was left at its old schema."""


def free_mb(directory: Path) -> float:
    return shutil.disk_usage(directory).free / 2**20


def damaged(path: Path, what: str) -> DataFileDamaged:
    return DataFileDamaged(
        f"the data file {path} {what}. It is not used, so nothing more is lost: copy the folder "
        f"{path.parent} aside for support, then restore a copy of the data file "
        "(scanner-before-upgrade-*.sqlite3 in that folder, or a backup). Check-ins recorded in it "
        "and not yet synced are only in that damaged file or its copies"
    )


def disk_full(path: Path) -> DiskFull:
    return DiskFull(
        f"the disk holding {path.parent} is full ({free_mb(path.parent):.0f} MB free): the last "
        "action was not recorded. Free some disk space, then try again"
    )


def _no_room(path: Path) -> bool:
    """A write that failed on a full disk (SQLite reports some of those as I/O errors)."""
    try:
        return free_mb(path.parent) < 1
    except OSError:
        return False


def translate(exc: BaseException, path: Path) -> StoreError | None:
    """The StoreError for a database error from SQLite, or None for anything else."""
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    if not isinstance(original, ERRORS):
        return None
    code = getattr(original, "sqlite_errorcode", 0) & 0xFF
    name = getattr(original, "sqlite_errorname", type(original).__name__)
    log.info("data file error %s (%s)", name, type(original).__name__)  # never its text: SQL, data
    if code == SQLITE_NOTADB:
        return damaged(path, "is not a scanner data file or is damaged")
    if code == SQLITE_CORRUPT:
        return damaged(path, "is damaged (corrupt pages)")
    if code == SQLITE_FULL or (code == SQLITE_IOERR and _no_room(path)):
        return disk_full(path)
    if code == SQLITE_IOERR:
        return DataFileUnavailable(
            f"the data file {path} could not be read or written (input/output error {name}): "
            "check the disk, then try again"
        )
    if code in (SQLITE_PERM, SQLITE_READONLY, SQLITE_CANTOPEN):
        return DataFileUnavailable(
            f"the data file {path} cannot be opened for writing ({name}): check that the folder "
            f"{path.parent} and its files belong to this user and that the disk is not read-only"
        )
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return DataFileUnavailable(
            f"the data file {path} is held by another program for too long: close other "
            "scanner windows or commands that use it, then try again"
        )
    return None


@contextmanager
def in_words(path: Path) -> Iterator[None]:
    """Re-raise SQLite's failures on `path` as StoreErrors (without SQL text or data)."""
    try:
        yield
    except Exception as exc:
        translated = translate(exc, path)
        if translated is None:
            raise
        raise translated from None
