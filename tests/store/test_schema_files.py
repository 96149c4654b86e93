"""Upgrades keep the data: a data file made at every schema revision (checked-in fixtures, see
schema_files/make.py) opens in this build with its journal, list and settings intact; a file
from a newer build is refused in words."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scanner.app.clock import FixedClock
from scanner.app.door import open_door
from scanner.cli import exits
from scanner.store.database import HEAD_REVISION, KNOWN_REVISIONS, schema_status
from scanner.store.failures import DataFileDamaged, DataFileTooNew
from scanner.store.store import Store
from tests.cli.run import scanner
from tests.store.helpers import change, query
from tests.store.schema_files.make import NOW, fixture_path


def copy_of(revision: str, directory: Path) -> Path:
    fixture = fixture_path(revision)
    assert fixture.exists(), (
        f"no data file made at schema {revision}: run python -m tests.store.schema_files.make"
    )
    directory.mkdir(parents=True)
    shutil.copyfile(fixture, directory / "scanner.sqlite3")
    return directory


@pytest.mark.parametrize("revision", KNOWN_REVISIONS)
def test_a_file_made_at_each_revision_opens_with_its_data(revision: str, tmp_path: Path) -> None:
    directory = copy_of(revision, tmp_path / "data")
    assert query(directory, "SELECT version_num FROM alembic_version") == [(revision,)]
    # the columns the file has: later revisions add columns (null at first), the rest must keep
    # their values
    names = ", ".join(row[1] for row in query(directory, "PRAGMA table_info(journal)"))
    journal = query(directory, f"SELECT {names} FROM journal ORDER BY seq")  # noqa: S608
    tickets = query(directory, "SELECT ticket_id, holder_name, status FROM tickets ORDER BY 1")
    settings = query(directory, "SELECT * FROM settings ORDER BY key")
    assert len(journal) == 7 and len(tickets) == 12

    assert schema_status(directory).file == revision
    assert schema_status(directory).upgrade_pending == (revision != HEAD_REVISION)
    door = open_door(directory, "Main entrance", clock=FixedClock(NOW))
    assert schema_status(directory).file == HEAD_REVISION
    assert query(directory, f"SELECT {names} FROM journal ORDER BY seq") == journal  # noqa: S608
    assert query(directory, "SELECT ticket_id, holder_name, status FROM tickets ORDER BY 1") == (
        tickets
    )
    assert query(directory, "SELECT * FROM settings ORDER BY key") == settings
    holder = tickets[-1]
    found = door.store.search(holder[1].split()[0])  # the search index is there and filled
    assert holder[0] in {hit.ticket_id for hit in found}
    admitted = door.admit_by_hand(holder[0])  # and the door goes on where it stopped
    assert admitted.seq == journal[-1][1] + 1
    door.close()
    assert query(directory, "PRAGMA integrity_check") == [("ok",)]


def test_every_revision_has_its_data_file() -> None:
    made = sorted(
        p.name[len("schema-") : -len(".sqlite3")]
        for p in fixture_path("x").parent.glob("schema-*.sqlite3")
    )
    assert made == list(KNOWN_REVISIONS)


def test_a_file_from_a_newer_build_is_refused_in_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = copy_of(HEAD_REVISION, tmp_path / "data")
    change(
        directory,
        "CREATE TABLE added_by_a_later_build (x)",
        "UPDATE alembic_version SET version_num = '0042'",
    )
    status = schema_status(directory)
    assert status.too_new and not status.upgrade_pending
    with pytest.raises(DataFileTooNew, match="newer version of the scanner"):
        Store(directory, synchronous=True)
    for command in (["status"], ["search", "a"], ["check", "--ticket", "T1"]):
        ran = scanner(capsys, directory, *command)
        assert ran.code == exits.DATA_FILE, ran.err
        assert "newer version of the scanner (schema 0042" in ran.err
        assert "internal error" not in ran.err
    assert query(directory, "SELECT version_num FROM alembic_version") == [("0042",)]
    assert not list(directory.glob("scanner-before-upgrade-*"))  # nothing done to it


def test_the_schema_status_of_a_folder_without_data_and_of_a_damaged_file(tmp_path: Path) -> None:
    status = schema_status(tmp_path)
    assert (status.build, status.file, status.upgrade_pending) == (HEAD_REVISION, None, False)
    assert not (tmp_path / "scanner.sqlite3").exists()  # asking creates nothing
    (tmp_path / "scanner.sqlite3").write_bytes(b"not a database" * 300)
    with pytest.raises(DataFileDamaged):
        schema_status(tmp_path)
