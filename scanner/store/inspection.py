"""Looking at a data file without changing it (for `doctor`): readable, intact, which schema.

Opening a `Store` creates or upgrades the file; a diagnosis must not, so this opens the file
read-write only if it exists (never creating it) and runs nothing but reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine
from sqlalchemy.pool import NullPool

from scanner.store import cipher, device, outbox, tickets
from scanner.store.database import HEAD_REVISION, KNOWN_REVISIONS
from scanner.store.location import database_path
from scanner.store.records import get_setting
from scanner.store.sync_figures import ClockSample, read_sample


@dataclass(frozen=True)
class FileReport:
    path: Path
    exists: bool
    problem: str | None = None  # not a data file at all, or unreadable
    damage: tuple[str, ...] = ()  # what SQLite's quick_check found
    revision: str | None = None
    head: str = HEAD_REVISION
    encrypted: bool = False  # at rest, with a key derived from the device key

    @property
    def newer(self) -> bool:
        return self.revision is not None and self.revision not in KNOWN_REVISIONS

    @property
    def upgrade_pending(self) -> bool:
        return self.revision in KNOWN_REVISIONS and self.revision != self.head

    @property
    def usable(self) -> bool:
        """Readable with this build's queries as it is."""
        return (
            self.exists and self.problem is None and not self.damage and self.revision == self.head
        )


def _connect(path: Path) -> Any:
    conn = cipher.connect_file(path)  # encrypted at rest, or plain from an earlier build
    conn.execute("PRAGMA query_only=ON")
    return conn


def inspect_file(directory: Path) -> FileReport:
    path = database_path(directory)
    if not path.exists():
        return FileReport(path, exists=False)
    encrypted = path.stat().st_size > 0 and not cipher.is_plain(path)
    try:
        conn = _connect(path)
        try:
            checks = [str(row[0]) for row in conn.execute("PRAGMA quick_check(20)")]
            revision = _revision(conn)
        finally:
            conn.close()
    except cipher.UNREADABLE as exc:
        return FileReport(path, exists=True, problem=str(exc), encrypted=encrypted)
    damage = tuple(line for line in checks if line != "ok")
    return FileReport(path, exists=True, damage=damage, revision=revision, encrypted=encrypted)


def _revision(conn: Any) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except cipher.ERRORS:
        return None
    return None if row is None else str(row[0])


@contextmanager
def reading(directory: Path) -> Iterator[Connection]:
    """A read-only connection to an existing data file (check `inspect_file` first)."""
    path = database_path(directory)
    module = None if cipher.is_plain(path) else cipher.DBAPI
    engine = create_engine(
        "sqlite://", module=module, creator=lambda: _connect(path), poolclass=NullPool
    )
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


# -- what a usable file holds (each read opens the file read-only for its own few queries) -------


@dataclass(frozen=True)
class DeviceOnFile:
    sealed_token: str | None  # the device token as stored (sealed with the device key)
    revoked: str | None  # why the server revoked this device, when it did


@dataclass(frozen=True)
class Contents:
    pending: int  # journal entries waiting for upload
    enrolled: bool


@dataclass(frozen=True)
class EventOnFile:
    imported_at: str
    snapshot_generated_at: str | None
    last_pull_at: str | None


def device_on_file(directory: Path) -> DeviceOnFile:
    """Reads no sealed value: unsealing without the device key would make a new key."""
    with reading(directory) as conn:
        return DeviceOnFile(get_setting(conn, "device_token"), device.revoked_reason(conn))


def enrolment_on_file(directory: Path) -> device.Enrolment | None:
    """The enrolment, its token unsealed (check the device key first)."""
    with reading(directory) as conn:
        return device.load_enrolment(conn)


def contents(directory: Path) -> Contents:
    with reading(directory) as conn:
        pending = outbox.upload_counts(conn).get("pending", 0)
        return Contents(pending, enrolled=get_setting(conn, "device_token") is not None)


def clock_on_file(directory: Path) -> ClockSample | None:
    """The last measurement of this device's clock against the server's."""
    with reading(directory) as conn:
        return read_sample(conn)


def event_on_file(directory: Path) -> EventOnFile | None:
    """The current event's times (None: no event loaded)."""
    with reading(directory) as conn:
        try:
            event = tickets.load_current_event(conn)
        except tickets.NoEventError:
            return None
        return EventOnFile(
            imported_at=event.imported_at,
            snapshot_generated_at=event.snapshot_generated_at,
            last_pull_at=get_setting(conn, "last_pull_at"),
        )
