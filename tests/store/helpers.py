"""Small helpers for store tests: snapshots with chosen content, file fingerprints."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from scanner.app.demo import DemoEvent
from scanner.checkin.snapshot_file import SnapshotWriter
from scanner.store.cipher import connect_file


def write_lines(path: Path, lines: Iterable[bytes]) -> Path:
    path.write_bytes(b"".join(lines))
    return path


def custom_snapshot(
    event: DemoEvent,
    records: list[dict[str, Any]],
    day: Any,
    now: datetime,
    secret: bytes | None = None,
) -> list[bytes]:
    writer = SnapshotWriter(secret or event.platform_secret)
    lines = [
        writer.header(
            event=event.event_json(day),
            keyring=event.keyring,
            cursor="c1",
            generated_at=now.isoformat(),
        )
    ]
    lines += [writer.record(r) for r in records]
    lines.append(writer.end())
    return lines


def db_digest(directory: Path) -> str:
    """The data file's bytes after folding the WAL in, as a hash."""
    path = directory / "scanner.sqlite3"
    conn = connect_file(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def change(directory: Path, *statements: str) -> None:
    """Edit a data file behind the store's back, as another program (or a damaged disk) would."""
    conn = connect_file(directory / "scanner.sqlite3")
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def query(directory: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    conn = connect_file(directory / "scanner.sqlite3")  # encrypted at rest, or plain
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def journal_rows(
    directory: Path, like: list[tuple[Any, ...]] | None = None
) -> list[tuple[Any, ...]]:
    """The journal, oldest first; `like`: cut to the columns those rows (read before an
    upgrade) have. Later revisions add columns at the end, null at first: the ones a file
    had must keep their values."""
    rows = query(directory, "SELECT * FROM journal ORDER BY seq")
    width = len(like[0]) if like else None
    return [row[:width] for row in rows]
