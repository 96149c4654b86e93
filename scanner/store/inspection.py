"""Looking at a data file without changing it (for `doctor`): readable, intact, which schema.

Opening a `Store` creates or upgrades the file; a diagnosis must not, so this opens the file
read-write only if it exists (never creating it) and runs nothing but reads.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, create_engine
from sqlalchemy.pool import NullPool

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


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=5)
    conn.execute("PRAGMA query_only=ON")
    return conn


def inspect_file(directory: Path) -> FileReport:
    path = database_path(directory)
    if not path.exists():
        return FileReport(path, exists=False)
    try:
        conn = _connect(path)
        try:
            checks = [str(row[0]) for row in conn.execute("PRAGMA quick_check(20)")]
            revision = _revision(conn)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return FileReport(path, exists=True, problem=str(exc))
    damage = tuple(line for line in checks if line != "ok")
    return FileReport(path, exists=True, damage=damage, revision=revision)


def _revision(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        return None
    return None if row is None else str(row[0])


@contextmanager
def reading(directory: Path) -> Iterator[Connection]:
    """A read-only connection to an existing data file (check `inspect_file` first)."""
    path = database_path(directory)
    engine = create_engine("sqlite://", creator=lambda: _connect(path), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()
