"""Data file failures in words: damaged pages, an emptied file and a full disk give exit 6 and a
message a technician can act on, with no SQL text and no attendee data in it."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from scanner.app.demo import DemoEvent
from scanner.cli import exits
from scanner.store.cipher import connect_file
from scanner.store.disk_space import HEADROOM_MB
from scanner.store.store import Store
from tests.cli.run import Ran, scanner, scanner_process
from tests.store.helpers import query
from tests.store.small_disk import PRELUDE, run_on_small_disk


def assert_in_words(ran: Ran, demo_event: DemoEvent, *words: str) -> None:
    assert ran.code == exits.DATA_FILE, ran.err
    assert "internal error" not in ran.err
    for leak in ("[SQL", "SELECT ", "INSERT ", "sqlite3.", "Traceback"):
        assert leak not in ran.err, ran.err
    assert not any(row.holder_name in ran.err for row in demo_event.rows)
    for word in words:
        assert word in ran.err, ran.err


def test_corrupt_pages_give_exit_6_in_words(data_dir: Path, demo_event: DemoEvent) -> None:
    path = data_dir / "scanner.sqlite3"
    pages = query(data_dir, "SELECT rootpage FROM sqlite_master WHERE tbl_name = 'tickets'")
    page_size = int(query(data_dir, "PRAGMA page_size")[0][0])
    with path.open("r+b") as file:
        for (page,) in pages:
            if page:
                file.seek((page - 1) * page_size)
                file.write(os.urandom(page_size))
    code = demo_event.codes[demo_event.rows[0].ticket_id]
    ran = scanner_process(data_dir, "check", code, "--json")
    assert_in_words(ran, demo_event, "damaged")
    assert_in_words(scanner_process(data_dir, "search", "a"), demo_event, "damaged")


def test_an_emptied_data_file_is_refused_never_replaced(
    data_dir: Path, demo_event: DemoEvent, capsys: pytest.CaptureFixture[str]
) -> None:
    path = data_dir / "scanner.sqlite3"
    path.write_bytes(b"")
    ran = scanner(capsys, data_dir, "status")
    assert_in_words(ran, demo_event, "empty (0 bytes)", "journal of check-ins")
    assert path.stat().st_size == 0  # left for the technician, not replaced by a new store
    assert scanner(capsys, data_dir, "status").code == exits.DATA_FILE  # and every time after


def test_a_file_that_vanished_mid_creation_is_made_again(tmp_path: Path) -> None:
    (tmp_path / ".scanner.sqlite3.creating").write_bytes(b"half")
    Store(tmp_path, synchronous=True).close()
    assert query(tmp_path, "SELECT COUNT(*) FROM events") == [(0,)]
    assert not (tmp_path / ".scanner.sqlite3.creating").exists()


def test_an_existing_data_file_and_its_wal_and_shm_get_mode_0600(data_dir: Path) -> None:
    path = data_dir / "scanner.sqlite3"
    wal, shm = (path.with_name(path.name + suffix) for suffix in ("-wal", "-shm"))
    os.chmod(path, 0o644)
    holder = connect_file(path)  # keeps the WAL and SHM files in place, made world-readable
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("SELECT COUNT(*) FROM tickets").fetchone()
    for file in (wal, shm):
        os.chmod(file, 0o644)
    store = Store(data_dir, synchronous=True)
    store.close()
    holder.close()
    for file in (path, wal, shm):
        if file.exists():
            assert file.stat().st_mode & 0o777 == 0o600, file


def test_a_full_data_file_gives_disk_full_in_words(
    data_dir: Path, demo_event: DemoEvent, capsys: pytest.CaptureFixture[str]
) -> None:
    """An injected fault at the SQLite level: no page may be added to the file (SQLITE_FULL)."""

    def no_more_pages(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(Engine, "connect", no_more_pages)
    try:
        codes = [demo_event.codes[row.ticket_id] for row in demo_event.rows]
        results = [scanner(capsys, data_dir, "check", code, "--json") for code in codes]
    finally:
        event.remove(Engine, "connect", no_more_pages)
    failed = [ran for ran in results if ran.code not in (exits.OK, exits.REFUSED)]
    assert failed, "the journal never needed a new page"
    assert_in_words(failed[0], demo_event, "is full", "not recorded")
    assert query(data_dir, "PRAGMA integrity_check") == [("ok",)]


FULL_DISK_SCAN = (
    PRELUDE
    + """
data, code = disk / "data", sys.argv[3]
shutil.copytree(sys.argv[2], data)
fill(disk / "filler")
full = scanner(data, "check", code, "--json")
os.unlink(disk / "filler")
after = scanner(data, "check", code, "--json")
print(json.dumps({"full": full, "after": after, "journal": journal(data)}))
"""
)


def test_a_scan_on_a_full_disk_is_refused_in_words_and_works_once_space_is_freed(
    data_dir: Path, demo_event: DemoEvent, tmp_path: Path
) -> None:
    code = demo_event.codes[demo_event.rows[0].ticket_id]
    journal_before = query(data_dir, "SELECT COUNT(*) FROM journal")[0][0]
    result = run_on_small_disk(tmp_path / "disk", 8 * 1024, FULL_DISK_SCAN, str(data_dir), code)
    full = Ran(result["full"]["code"], result["full"]["out"], result["full"]["err"])
    assert_in_words(full, demo_event, "full")
    assert result["after"]["code"] in (exits.OK, exits.REFUSED), result["after"]["err"]
    assert result["journal"] == journal_before + 1  # the refused attempt recorded nothing


IMPORT_ON_A_SMALL_DISK = (
    PRELUDE
    + """
data, snapshot, trust, code = disk / "data", sys.argv[2], sys.argv[3], sys.argv[4]
shutil.copytree(sys.argv[5], data)
before = journal(data)
imported = scanner(data, "import", snapshot, "--trust", trust)
scans = [scanner(data, "check", code, "--json") for _ in range(3)]
files = sorted(p.name for p in data.iterdir())
print(json.dumps({"import": imported, "scans": scans, "before": before, "after": journal(data),
                  "files": files, "free_kb": shutil.disk_usage(disk).free // 1024}))
"""
)


def test_an_import_that_would_leave_no_room_for_scans_is_refused_in_words(
    data_dir: Path, demo_event: DemoEvent, snapshot_file: Path, tmp_path: Path
) -> None:
    """A disk with room for the import itself but not for the headroom kept for scans."""
    code = demo_event.codes[demo_event.rows[0].ticket_id]
    size_kb = (HEADROOM_MB * 1024) // 2
    result = run_on_small_disk(
        tmp_path / "disk",
        size_kb,
        IMPORT_ON_A_SMALL_DISK,
        str(snapshot_file),
        demo_event.platform_fingerprint,
        code,
        str(data_dir),
    )
    imported = result["import"]
    assert_in_words(
        Ran(imported["code"], imported["out"], imported["err"]),
        demo_event,
        "not enough free disk space",
        "Nothing was changed",
    )
    assert all(scan["code"] in (exits.OK, exits.REFUSED) for scan in result["scans"]), result
    assert result["after"] == result["before"] + 3


def test_after_an_import_the_wal_is_folded_into_the_data_file(
    data_dir: Path, demo_event: DemoEvent, snapshot_file: Path
) -> None:
    store = Store(data_dir, synchronous=True)
    holder = store._read_engine.connect()  # a reader that keeps the WAL from being removed
    holder.exec_driver_sql("SELECT 1").all()
    from tests.conftest import EVENT_NOW

    store.import_snapshot_file(snapshot_file, EVENT_NOW, vouched=demo_event.platform_fingerprint)
    wal = data_dir / "scanner.sqlite3-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    holder.close()
    store.close()
    shutil.rmtree(data_dir)
