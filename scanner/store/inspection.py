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

from scanner.store import cipher
from scanner.store.database import HEAD_REVISION, KNOWN_REVISIONS
from scanner.store.location import database_path


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
