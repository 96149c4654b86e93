"""Writes one small data file per schema revision, the fixtures of the upgrade tests.

Run when a migration is added (`.venv/bin/python -m tests.store.schema_files.make`): it adds
the missing revision's file (`--all` remakes every one); the files are checked in. Each file
holds the schema exactly as that revision's migrations built it (the migration files are
history and never change) and the rows a door had at that point: an imported demo event,
admissions, a refusal, an undo and the device's settings. The files are plain, as builds before
encryption at rest wrote them (the tests key them with their own device key on opening).
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from scanner.app.clock import FixedClock
from scanner.app.demo import make_event, write_snapshot
from scanner.app.door import open_door
from scanner.store import cipher
from scanner.store.database import KNOWN_REVISIONS, make_engine, upgrade
from scanner.store.store import Store

HERE = Path(__file__).parent
NOW = datetime(2026, 5, 1, 17, 30, tzinfo=UTC)
SEED = 11


def fixture_path(revision: str) -> Path:
    return HERE / f"schema-{revision}.sqlite3"


def _door_with_history(directory: Path) -> Path:
    event = make_event(12, seed=SEED)
    snapshot = write_snapshot(event, directory / "event.jsonl", NOW.date(), NOW)
    store = Store(directory / "head", synchronous=True)
    store.import_snapshot_file(snapshot, NOW, vouched=event.platform_fingerprint)
    store.close()
    door = open_door(directory / "head", "Main entrance", clock=FixedClock(NOW), operator="ann")
    codes = [event.codes[row.ticket_id] for row in event.rows[:4]]
    first = door.check(codes[0], source="fixture")
    for text in (*codes, "not a ticket"):
        door.check(text, source="fixture")
    door.undo(first.entry_id, "let in by mistake")
    door.close()
    return directory / "head" / "scanner.sqlite3"


def _copy_rows(head: Path, target: Path) -> None:
    conn = cipher.DBAPI.connect(str(target))  # the target plain, as builds before 0006 wrote
    conn.execute(
        f"ATTACH DATABASE ? AS head KEY \"x'{cipher.data_file_key().hex()}'\"", (str(head),)
    )
    tables = conn.execute(
        "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name != 'alembic_version'"
        " AND name NOT LIKE 'ticket_search_%'"  # FTS5's own tables follow its main table
    ).fetchall()
    for (table,) in tables:
        mine = [row[1] for row in conn.execute(f"PRAGMA main.table_info({table})")]
        theirs = {row[1] for row in conn.execute(f"PRAGMA head.table_info({table})")}
        columns = ", ".join(c for c in mine if c in theirs)
        # names come from the schema itself
        copy = f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM head.{table}"  # noqa: S608
        conn.execute(copy)
    conn.commit()
    conn.execute("DETACH DATABASE head")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA page_size=1024")  # small files in the repository
    conn.execute("VACUUM")
    conn.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("SCANNER_KEY_FILE", str(Path(tmp) / "device.key"))
        head = _door_with_history(Path(tmp))
        for revision in KNOWN_REVISIONS:
            if fixture_path(revision).exists() and "--all" not in sys.argv:
                continue  # a revision's file, once checked in, stays as it was made
            target = Path(tmp) / f"{revision}.sqlite3"
            engine = make_engine(target)  # no key: files of the time were plain
            upgrade(engine, revision)
            engine.dispose()
            _copy_rows(head, target)
            fixture_path(revision).write_bytes(target.read_bytes())
            print(fixture_path(revision), fixture_path(revision).stat().st_size)


if __name__ == "__main__":
    main()
