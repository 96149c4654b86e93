"""Doctor on the data file, disk, folder, device key, unsynced entries and snapshot age."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from scanner.app.clock import FixedClock
from scanner.app.demo import DemoEvent
from scanner.app.doctor import Level
from scanner.app.door import Door
from scanner.store import sealing
from scanner.store.cipher import connect_file
from scanner.store.database import HEAD_REVISION, make_engine, upgrade
from scanner.store.location import database_path
from tests.conftest import EVENT_NOW
from tests.doctor.conftest import run


def test_a_fresh_folder_is_fine_and_says_how_to_start(tmp_path: Path) -> None:
    findings = run(tmp_path / "new")
    assert findings["data_file"].level is Level.INFO
    assert "enroll" in findings["data_file"].advice
    assert findings["folder"].level is Level.OK and findings["disk"].level is Level.OK
    assert not (tmp_path / "new").exists()  # looking never creates anything


def test_a_file_that_is_not_a_database_is_a_problem(tmp_path: Path) -> None:
    tmp_path.joinpath("scanner.sqlite3").write_bytes(b"not a database at all\n" * 200)
    finding = run(tmp_path)["data_file"]
    assert finding.level is Level.PROBLEM
    assert "cannot be read" in finding.summary and "move the file aside" in finding.advice


def test_a_file_with_damaged_pages_is_a_problem(data_dir: Path) -> None:
    path = database_path(data_dir)
    _checkpoint(path)
    with open(path, "r+b") as file:  # scribble over the middle of the file's pages
        size = file.seek(0, os.SEEK_END)
        file.seek(size // 2)
        file.write(os.urandom(8192))
    finding = run(data_dir)["data_file"]
    assert finding.level is Level.PROBLEM
    assert "damaged" in finding.summary or "cannot be read" in finding.summary


def test_a_file_from_a_newer_build_is_a_problem(data_dir: Path) -> None:
    _set_revision(database_path(data_dir), "9999")
    finding = run(data_dir)["data_file"]
    assert finding.level is Level.PROBLEM and "newer build" in finding.summary


def test_a_pending_upgrade_is_announced_and_not_run(tmp_path: Path) -> None:
    path = database_path(tmp_path)
    engine = make_engine(path)
    upgrade(engine, "0004")
    engine.dispose()
    finding = run(tmp_path)["data_file"]
    assert finding.level is Level.WARNING
    assert f"0004 will be upgraded to {HEAD_REVISION}" in finding.summary
    assert finding.details["revision"] == "0004"
    assert _revision(path) == "0004"  # doctor did not upgrade it


def test_a_data_folder_others_can_read_is_a_warning(data_dir: Path) -> None:
    data_dir.chmod(0o755)
    finding = run(data_dir)["folder"]
    assert finding.level is Level.WARNING and "chmod 700" in finding.advice


def test_a_read_only_data_folder_is_a_problem(data_dir: Path) -> None:
    if os.geteuid() == 0:
        # root writes anywhere; use a folder on a path that cannot hold files instead
        target = Path("/proc/door-scanner-doctor")
        finding = run(target)["folder"]
    else:
        data_dir.chmod(0o500)
        try:
            finding = run(data_dir)["folder"]
        finally:
            data_dir.chmod(0o700)
    assert finding.level is Level.PROBLEM and "cannot write" in finding.summary


def test_unsynced_scans_and_old_data_are_reported(door: Door, demo_event: DemoEvent) -> None:
    door.check(demo_event.codes[demo_event.rows[0].ticket_id], source="test")
    directory = door.store.directory
    fresh = run(directory, clock=FixedClock(EVENT_NOW + timedelta(hours=1)))
    assert fresh["unsynced"].level is Level.INFO and fresh["unsynced"].details["pending"] == 1
    assert "export-journal" in fresh["unsynced"].advice
    assert fresh["snapshot"].level is Level.OK
    stale = run(directory, clock=FixedClock(EVENT_NOW + timedelta(days=2)))["snapshot"]
    assert stale.level is Level.WARNING and "48 h old" in stale.summary
    assert "import a fresh snapshot" in stale.advice


def test_missing_device_key_of_an_enrolled_device_is_a_problem(enrolled: object) -> None:
    from tests.doctor.conftest import Enrolled

    assert isinstance(enrolled, Enrolled)
    assert run(enrolled.directory)["device_key"].level is Level.OK
    key = sealing.key_path()
    saved = key.read_bytes()
    key.unlink()
    sealing._device_key.cache_clear()
    try:
        finding = run(enrolled.directory)["device_key"]
        assert finding.level is Level.PROBLEM and "missing" in finding.summary
        assert "restore the key file" in finding.advice
        assert not key.exists()  # doctor never makes a new key
        key.write_bytes(os.urandom(32))
        wrong = run(enrolled.directory)["device_key"]
        assert wrong.level is Level.PROBLEM and "not the one" in wrong.summary
    finally:
        key.write_bytes(saved)
        sealing._device_key.cache_clear()


def _checkpoint(path: Path) -> None:
    conn = connect_file(path)  # encrypted at rest
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _set_revision(path: Path, revision: str) -> None:
    conn = connect_file(path)  # encrypted at rest
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    conn.close()


def _revision(path: Path) -> str:
    conn = connect_file(path)  # encrypted at rest
    try:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        conn.close()
