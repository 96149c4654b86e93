"""Attendee data at rest: a data file copied off a door (a stolen laptop, a backup) gives away no
name, e-mail or note without the device's key file."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from scanner.app.demo import DemoEvent
from scanner.store import sealing
from scanner.store.cipher import connect_file, is_plain
from scanner.store.failures import DataFileUnavailable
from scanner.store.store import Store
from tests.store.helpers import journal_rows, query
from tests.store.schema_files.make import fixture_path


def attendee_texts(rows: list[tuple[str, str | None]]) -> list[bytes]:
    found = []
    for name, email in rows:
        found.append(name.encode())
        if email:
            found.append(email.encode())
    return found


def stored_bytes(directory: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file())


def test_the_data_file_gives_away_no_attendee_without_the_key(
    data_dir: Path, demo_event: DemoEvent
) -> None:
    door = Store(data_dir, synchronous=True)  # a door at work: the WAL is there too
    texts = attendee_texts([(row.holder_name, row.email) for row in demo_event.rows])
    on_disk = stored_bytes(data_dir)
    door.close()
    assert not any(text in on_disk for text in texts)
    assert not is_plain(data_dir / "scanner.sqlite3")
    with pytest.raises(sqlite3.DatabaseError):  # what anyone with the file alone gets
        sqlite3.connect(data_dir / "scanner.sqlite3").execute("SELECT * FROM tickets").fetchall()
    assert len(query(data_dir, "SELECT holder_name FROM tickets")) == len(demo_event.rows)


def test_a_plain_file_of_an_earlier_build_is_encrypted_with_everything_in_it(
    tmp_path: Path,
) -> None:
    directory = tmp_path / "data"
    directory.mkdir()
    shutil.copyfile(fixture_path("0001"), directory / "scanner.sqlite3")  # plain, old schema
    journal = journal_rows(directory)
    names = query(directory, "SELECT holder_name, email FROM tickets")
    assert attendee_texts(names)[0] in stored_bytes(directory)

    Store(directory, synchronous=True).close()

    assert journal_rows(directory, journal) == journal
    assert sorted(query(directory, "SELECT holder_name, email FROM tickets")) == sorted(names)
    on_disk = stored_bytes(directory)  # the data file and the copy made before the upgrade
    assert not any(text in on_disk for text in attendee_texts(names))
    copies = list(directory.glob("scanner-before-upgrade-*.sqlite3"))
    assert copies and not any(is_plain(copy) for copy in copies)
    copy = connect_file(copies[0])
    assert copy.execute("SELECT COUNT(*) FROM journal").fetchone() == (len(journal),)
    copy.close()
    assert not list(directory.glob(".*"))  # no partial file left behind


def test_earlier_plain_copies_are_encrypted_too(tmp_path: Path) -> None:
    directory = tmp_path / "data"
    directory.mkdir()
    shutil.copyfile(fixture_path("0005"), directory / "scanner.sqlite3")
    plain_copy = directory / "scanner-before-upgrade-0004-to-0005-20260101T000000000000Z.sqlite3"
    shutil.copyfile(fixture_path("0004"), plain_copy)
    Store(directory, synchronous=True).close()
    assert not is_plain(plain_copy)
    assert not any(b"@" in line and b".example" in line for line in [plain_copy.read_bytes()])


def test_a_file_keyed_by_another_device_is_refused_in_words(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "another-device.key"
    other.write_bytes(os.urandom(32))
    monkeypatch.setenv(sealing.KEY_ENV, str(other))
    with pytest.raises(DataFileUnavailable, match="cannot be read with this device's key"):
        Store(data_dir, synchronous=True)
    monkeypatch.undo()
    assert query(data_dir, "SELECT COUNT(*) FROM tickets") == [(200,)]  # the right key opens it


# An older build's process with the plain file open, until told to stop.
HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("PRAGMA journal_mode=WAL")
conn.execute("SELECT COUNT(*) FROM journal").fetchone()
print("open", flush=True)
sys.stdin.read(1)
"""


def test_a_plain_file_open_in_another_process_is_not_replaced_under_it(tmp_path: Path) -> None:
    directory = tmp_path / "data"
    directory.mkdir()
    shutil.copyfile(fixture_path("0005"), directory / "scanner.sqlite3")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(directory / "scanner.sqlite3")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"open\n"
        with pytest.raises(DataFileUnavailable, match="open in another scanner"):
            Store(directory, synchronous=True)
        assert is_plain(directory / "scanner.sqlite3")
    finally:
        holder.communicate(b"x", timeout=60)
    Store(directory, synchronous=True).close()
    assert not is_plain(directory / "scanner.sqlite3")
    assert query(directory, "SELECT COUNT(*) FROM journal") == [(7,)]


def test_a_missing_key_file_is_named_and_never_silently_replaced(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "config" / "device.key"
    monkeypatch.setenv(sealing.KEY_ENV, str(missing))
    with pytest.raises(DataFileUnavailable, match=r"key file .* is missing"):
        Store(data_dir, synchronous=True)
    assert not missing.exists()
