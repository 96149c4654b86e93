"""An upgraded build opens an old file; an older build refuses a newer file clearly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from scanner.store.database import HEAD_REVISION, StoreError, make_engine, upgrade
from scanner.store.store import Store
from tests.conftest import EVENT_NOW
from tests.store.helpers import change, query
from tests.store_jobs import on_writer


def test_a_file_made_at_the_first_migration_is_upgraded_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "scanner.sqlite3"
    engine = make_engine(path)
    upgrade(engine, "0001")
    engine.dispose()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO events (id, name, timezone, reentry, keyring_json, imported_at, source)"
        " VALUES ('e', 'Old', 'UTC', 0, '{\"keys\": []}', '2026-01-01T00:00:00+00:00', 'csv')"
    )
    conn.execute(
        "INSERT INTO tickets (event_id, ticket_id, ticket_type, status, holder_name, flags_json)"
        " VALUES ('e', 'T1', 'ga', 'valid', 'Jürgen Old', '[]')"
    )
    conn.execute("INSERT INTO settings (key, value) VALUES ('event_id', 'e')")
    conn.commit()
    conn.close()

    store = Store(tmp_path, synchronous=True)
    assert [hit.ticket_id for hit in store.search("jurgen")] == ["T1"]  # index built on upgrade
    assert store.status(EVENT_NOW).expected == 1
    store.close()
    assert query(tmp_path, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]


def test_a_file_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    Store(tmp_path, synchronous=True).close()
    change(tmp_path, "UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreError, match="newer version of the scanner"):
        Store(tmp_path, synchronous=True)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    (tmp_path / "scanner.sqlite3").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="damaged"):  # or keyed by another device: can't tell
        Store(tmp_path, synchronous=True)


def test_durability_settings(tmp_path: Path) -> None:
    store = Store(tmp_path, synchronous=True)
    with store._read_engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    store.close()
    assert (tmp_path / "scanner.sqlite3").stat().st_mode & 0o077 == 0


def test_the_writers_connection_is_durable_too(tmp_path: Path) -> None:
    """Every journal commit goes through the writer: its own connection must be WAL + FULL."""
    store = Store(tmp_path, synchronous=True)
    pragmas = on_writer(
        store,
        lambda conn: (
            conn.exec_driver_sql("PRAGMA journal_mode").scalar(),
            conn.exec_driver_sql("PRAGMA synchronous").scalar(),
            conn.exec_driver_sql("PRAGMA foreign_keys").scalar(),
        ),
    )
    store.close()
    assert pragmas == ("wal", 2, 1)  # WAL, synchronous=FULL, foreign keys checked
