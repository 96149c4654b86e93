"""The name given at enrolment (`scanner enroll --name`) is what staff at ANOTHER door read in
"first in at ... (door, device NAME)" (issue 8, item 8): it travels with the passage through the
companion API's change feed and its snapshot, and `scanner conflicts` names both gates. A
passage from an older server, which sends no name, shows the device id as before."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from server_stub.db import open_database
from server_stub.services.changes import append_changes, lock_event
from tests.cli.run import Ran, scanner
from tests.sync.conftest import Platform


def _enrol(
    capsys: pytest.CaptureFixture[str], platform: Platform, directory: Path, door: str, name: str
) -> None:
    code = platform.event.enrollment_code(door)
    ran = scanner(capsys, directory, "enroll", platform.proxy.url, code, "--name", name)
    assert ran.code == 0, ran.err


def _refused(ran: Ran) -> str:
    assert ran.code == 1 and "Already checked in" in ran.out, ran.out
    return ran.out


def test_another_door_names_the_gate_that_let_the_ticket_in(
    platform: Platform, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    north, south, west = tmp_path / "north", tmp_path / "south", tmp_path / "west"
    _enrol(capsys, platform, north, "north", "North gate")
    _enrol(capsys, platform, south, "south", "South gate")
    ticket = platform.event.codes[platform.event.ticket_ids[0]]
    assert scanner(capsys, north, "check", ticket).code == 0
    assert scanner(capsys, north, "sync").code == 0
    assert scanner(capsys, south, "sync").code == 0  # the admission comes as a change

    assert "first in at" in _refused(scanner(capsys, south, "check", ticket))
    assert "(north, device North gate)" in _refused(scanner(capsys, south, "check", ticket))
    shown = scanner(capsys, south, "check", ticket, "--json").json_lines()[0]
    assert shown["first_admission"]["device_name"] == "North gate"

    _enrol(capsys, platform, west, "west", "West gate")  # enrolled later: it comes in the snapshot
    assert "(north, device North gate)" in _refused(scanner(capsys, west, "check", ticket))


def test_the_conflict_list_names_both_gates(
    platform: Platform, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    north, south = tmp_path / "north", tmp_path / "south"
    _enrol(capsys, platform, north, "north", "North gate")
    _enrol(capsys, platform, south, "south", "South gate")
    ticket = platform.event.codes[platform.event.ticket_ids[1]]
    assert scanner(capsys, north, "check", ticket).code == 0  # both let it in before they synced
    assert scanner(capsys, south, "check", ticket).code == 0
    for door in (north, south, north):
        assert scanner(capsys, door, "sync").code == 0

    listed = scanner(capsys, south, "conflicts").out
    assert "first: " in listed and "at north, device North gate\n" in listed, listed
    assert "also: " in listed and "at south, device South gate (this one)\n" in listed


def _passage_from_an_older_server(platform: Platform, ticket_id: str, **extra: object) -> None:
    """A passage in the change log as a server before device names wrote it (or, with `extra`,
    as a faulty one did): straight into the companion API's tables."""
    record = {
        "k": "passage",
        "entry_id": str(uuid.uuid4()),
        "ticket_id": ticket_id,
        "direction": "entry",
        "at": "2026-05-01T18:00:00+00:00",
        "door": "north",
        "device_id": "dev-old1",
        "day": None,
        **extra,
    }
    db = open_database(platform.server.database_url)
    try:
        with db.writing() as session:
            append_changes(session, lock_event(session, platform.event.event_id), [record])
    finally:
        db.dispose()


def test_a_passage_without_a_name_shows_the_device_id(
    platform: Platform, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    event, south = platform.event, tmp_path / "south"
    _enrol(capsys, platform, south, "south", "South gate")
    old, odd = event.ticket_ids[:2]
    _passage_from_an_older_server(platform, old)
    _passage_from_an_older_server(platform, odd, device_name=7)  # not text: dropped, not the entry
    synced = scanner(capsys, south, "sync")
    assert synced.code == 0 and "set aside" not in synced.out, synced.out

    for ticket_id in (old, odd):
        words = _refused(scanner(capsys, south, "check", event.codes[ticket_id]))
        assert "(north, device dev-old1)" in words
