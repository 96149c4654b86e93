"""Opening the SQLite file: durable pragmas, schema version check, migrations.

WAL with synchronous=FULL: a commit is on disk when it returns, so a verdict shown after the
journal commit survives a power cut. The alembic version is read with plain SQL on every open;
alembic itself is imported only when an upgrade is due (it costs start-up time).

A new file is built under a temporary name and renamed into place when its schema is complete,
so a data file that exists is never legitimately empty. An upgrade of an existing file first
copies it aside, then runs every migration inside one BEGIN EXCLUSIVE transaction (pysqlite's
legacy transaction control would commit before each DDL statement): killed or failing at any
step, the file keeps its old schema and every row.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from scanner.private_files import private_folder
from scanner.store import cipher
from scanner.store.failures import (
    DataFileDamaged,
    DataFileTooNew,
    DataFileUnavailable,
    DiskFull,
    StoreError,
    UpgradeFailed,
    damaged,
    free_mb,
    in_words,
)
from scanner.store.location import database_path
from scanner.store.sealing import key_path

__all__ = [
    "HEAD_REVISION",
    "KNOWN_REVISIONS",
    "SchemaStatus",
    "StoreError",
    "make_engine",
    "open_engine",
    "schema_status",
]

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
# Revision ids are the files' four-digit prefixes, in order; the newest is the head.
KNOWN_REVISIONS = tuple(sorted(p.name[:4] for p in (MIGRATIONS / "versions").glob("[0-9]*.py")))
HEAD_REVISION = KNOWN_REVISIONS[-1]
COPY_PATTERN = "scanner-before-upgrade-*.sqlite3"
KEEP_COPIES = 3  # copies made before upgrades; older ones are removed


def _pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    # 32 MB of pages per connection: a 100,000-ticket search index stays in memory, so searches
    # neither re-read nor (encrypted at rest) re-decrypt its pages.
    cursor.execute("PRAGMA cache_size=-32000")
    cursor.close()


def make_engine(path: Path, key: bytes | None = None) -> Engine:
    """An engine on `path`; with `key`, on the file encrypted at rest (SQLCipher)."""
    # Connections are kept between jobs: opening one (pragmas, WAL index, schema, and for an
    # encrypted file a cold page cache to decrypt) cost more than the scan itself.
    if key is None:
        engine = create_engine(f"sqlite:///{path}", poolclass=QueuePool)
    else:
        engine = create_engine(
            f"sqlite:///{path}",
            module=cipher.DBAPI,
            creator=lambda: cipher.connect(path, key),
            poolclass=QueuePool,
        )
    event.listen(engine, "connect", _pragmas)
    return engine


def sidecars(path: Path) -> tuple[Path, Path]:
    """SQLite's WAL and shared-memory files next to the data file."""
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def restrict(path: Path) -> None:
    """Attendee names and keys: the data file and its WAL and SHM readable by this user only.
    SQLite gives new WAL and SHM files the data file's mode; older ones may predate that."""
    for file in (path, *sidecars(path)):
        try:
            if file.stat().st_mode & 0o077:
                os.chmod(file, 0o600)
        except FileNotFoundError:
            continue
        except PermissionError:
            log.warning("cannot restrict the permissions of %s (not its owner)", file)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not _has_table(conn, "alembic_version"):
            return None
        row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    return None if row is None else str(row[0])


def _has_table(conn: Connection, name: str) -> bool:
    found = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).first()
    return found is not None


def _user_tables(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT COUNT(*) FROM sqlite_master").scalar_one())


def upgrade(engine: Engine, target: str = "head") -> None:
    """Migrate to `target` in one exclusive transaction: all of it or none of it."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as conn:
        raw: Any = conn.connection.driver_connection
        raw.isolation_level = None  # no implicit COMMIT before DDL: we issue BEGIN ourselves
        # Table rebuilds (batch migrations) must not cascade; foreign keys are checked at the end.
        raw.execute("PRAGMA foreign_keys=OFF")
        with conn.begin():  # alembic sees an outer transaction and opens none of its own
            conn.exec_driver_sql("BEGIN EXCLUSIVE")
            config.attributes["connection"] = conn
            command.upgrade(config, target)
            if conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                raise UpgradeFailed("the upgraded data file breaks a foreign key")


def copy_aside(
    path: Path, revision: str, key: bytes | None = None, now: datetime | None = None
) -> Path:
    """A consistent copy of the data file (SQLite's backup API) next to it, before an upgrade."""
    size_mb = sum(f.stat().st_size for f in (path, *sidecars(path)) if f.exists()) / 2**20
    if free_mb(path.parent) < size_mb + 16:
        raise DiskFull(
            f"the disk holding {path.parent} has {free_mb(path.parent):.0f} MB free, too little "
            f"to copy the data file ({size_mb:.0f} MB) aside before upgrading it; nothing was "
            "changed. Free some disk space, then start again"
        )
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"scanner-before-upgrade-{revision}-to-{HEAD_REVISION}-{stamp}.sqlite3")
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    sqlite3.connect(partial).close()
    os.chmod(partial, 0o600)
    source, copy = cipher.connect(path, key), cipher.connect(partial, key)  # both keyed alike
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    partial.replace(target)
    for old in sorted(path.parent.glob(COPY_PATTERN))[:-KEEP_COPIES]:
        old.unlink(missing_ok=True)
    return target


def _create(path: Path, key: bytes | None) -> None:
    """Build a new data file at a temporary name and rename it into place once complete."""
    partial = path.with_name(f".{path.name}.creating")
    for leftover in (partial, *sidecars(partial)):
        leftover.unlink(missing_ok=True)
    sqlite3.connect(partial).close()  # an empty file, restricted before any data goes in
    os.chmod(partial, 0o600)
    engine = make_engine(partial, key)
    try:
        upgrade(engine)
    finally:
        engine.dispose()  # the last connection folds the WAL in and removes it
    os.replace(partial, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _upgrade_existing(engine: Engine, path: Path, revision: str, key: bytes | None) -> None:
    copy = copy_aside(path, revision, key)
    try:
        upgrade(engine)
    except Exception as exc:
        log.error("upgrading the data file from %s failed (%s)", revision, type(exc).__name__)
        if isinstance(exc, StoreError) and not isinstance(exc, UpgradeFailed):
            raise  # a full disk or a lock: the message already says what to do
        raise UpgradeFailed(
            f"the data file {path} could not be upgraded from schema {revision} to "
            f"{HEAD_REVISION}; it was left as it was, with all its data, and a copy is at {copy}. "
            "Report this to support with that copy"
        ) from None


def data_key(directory: Path) -> bytes:
    """The key of the data file in `directory`; a missing device key file is made only when
    there is no encrypted data file it should have opened."""
    path = database_path(directory)
    encrypted = path.exists() and path.stat().st_size > 0 and not cipher.is_plain(path)
    if encrypted and not key_path().exists():
        raise DataFileUnavailable(
            f"the data file {path} is encrypted with this device's key, and the key file "
            f"{key_path()} is missing: restore it from this computer's backup, or move the "
            "data folder aside and enrol the device again"
        )
    return cipher.data_file_key()


def private_data_folder(directory: Path) -> None:
    """The data folder holds names, keys and exported journals: this user's only (0700), made so
    or tightened when an older version or a copy left it open to other accounts."""
    was = private_folder(directory, ours=True)  # a folder of another account is left as it is
    if was is not None:
        log.warning("the data folder was open to other accounts (mode %04o): now 0700", was)


def open_engine(directory: Path, key: bytes | None = None) -> Engine:
    """The data file of `directory`, created or upgraded (and encrypted when `key` is given)."""
    private_data_folder(directory)
    path = database_path(directory)
    with in_words(path):
        if not path.exists():
            _create(path, key)
        elif path.stat().st_size == 0:
            raise damaged(
                path,
                "is empty (0 bytes): it was cut short or overwritten, and the attendee list and "
                "the journal of check-ins it held are gone from it",
            )
        restrict(path)
        if key is not None:
            _encrypt_plain_files(path, key)
        engine = make_engine(path, key)
        try:
            _bring_to_head(engine, path, key)
        except BaseException:
            engine.dispose()
            raise
    return engine


def _encrypt_plain_files(path: Path, key: bytes) -> None:
    """A file written by a build without encryption at rest, and its copies, get encrypted."""
    for file in (path, *path.parent.glob(COPY_PATTERN)):
        if not cipher.is_plain(file):
            continue
        try:
            cipher.encrypt_in_place(file, key)
        except cipher.InUse:
            raise DataFileUnavailable(
                f"the data file {path} is being encrypted at rest for the first time and is "
                "open in another scanner window or command: close those, then start again"
            ) from None


def _bring_to_head(engine: Engine, path: Path, key: bytes | None) -> None:
    try:
        with in_words(path):
            revision = current_revision(engine)
    except DataFileDamaged:
        if key is None or cipher.is_plain(path):
            raise
        raise DataFileUnavailable(
            f"the data file {path} cannot be read with this device's key: if the key file "
            f"({key_path()}) was replaced or the data folder comes from another computer, put "
            "that computer's key file back; otherwise the data file is damaged"
        ) from None
    if revision == HEAD_REVISION:
        return
    if revision is None:
        if _user_tables(engine):
            raise damaged(path, "is not a scanner data file (it has no schema version)")
        upgrade(engine)  # an empty SQLite file: nothing to keep
        return
    if revision not in KNOWN_REVISIONS:
        raise DataFileTooNew(
            f"{path} was written by a newer version of the scanner (schema {revision}; this "
            f"version knows up to {HEAD_REVISION}); install that version or newer. The file "
            "was not changed"
        )
    _upgrade_existing(engine, path, revision, key)


@dataclass(frozen=True)
class SchemaStatus:
    """The schema this build writes and the one a data file holds (for --version, About, doctor)."""

    build: str
    file: str | None  # None: no data file yet

    @property
    def upgrade_pending(self) -> bool:
        return self.file is not None and self.file in KNOWN_REVISIONS and self.file != self.build

    @property
    def too_new(self) -> bool:
        return self.file is not None and self.file not in KNOWN_REVISIONS


def schema_status(directory: Path) -> SchemaStatus:
    """Read the data file's schema revision without creating, upgrading or changing anything.
    Raises a StoreError (in words) when the file is damaged or cannot be read."""
    path = database_path(directory)
    if not path.exists():
        return SchemaStatus(HEAD_REVISION, None)
    if path.stat().st_size == 0:
        raise damaged(path, "is empty (0 bytes)")
    with in_words(path):
        try:
            conn = cipher.connect_file(path)
        except cipher.NoKey as exc:
            raise DataFileUnavailable(str(exc)) from None
        try:
            found = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'"
            ).fetchone()
            row = (
                conn.execute("SELECT version_num FROM alembic_version").fetchone()
                if found
                else None
            )
        finally:
            conn.close()
    return SchemaStatus(HEAD_REVISION, None if row is None else str(row[0]))
