"""One record from the server that a door cannot apply never halts its sync: it is set aside
(kept, counted, shown), everything else is applied with the cursor, and new doors still enrol.

The bad record is written straight into the companion API's database, as an older server (or a
bug) would have stored it: the door must not depend on the server's validation."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from scanner.sync.state import Link
from server_stub.db import open_database
from server_stub.models import Ticket
from server_stub.services.changes import append_changes, lock_event
from server_stub.services.tickets import ticket_record
from tests.cli.run import scanner
from tests.sync.conftest import Device, Platform
from tests.sync.test_enrol_and_sync import _cancel


def _inject_bad_records(platform: Platform) -> None:
    """A ticket id with a leading space (the door's id rule refuses it) and a passage naming
    it, in the server's tables and its change log."""
    db = open_database(platform.server.database_url)
    try:
        with db.writing() as session:
            event = lock_event(session, platform.event.event_id)
            ticket = Ticket(event_id=event.id, id=" evil", type="ga", status="valid", flags=[])
            session.add(ticket)
            session.flush()
            passage = {
                "k": "passage",
                "entry_id": str(uuid.uuid4()),
                "ticket_id": " evil",
                "direction": "entry",
                "at": "2026-05-01T18:00:00+00:00",
                "door": "north",
                "device_id": "dev-x",
                "day": None,
            }
            append_changes(session, event, [ticket_record(ticket), passage, {"k": "nonsense"}])
    finally:
        db.dispose()


def test_a_bad_record_is_set_aside_and_a_later_cancel_still_applies(
    platform: Platform, enrolled: Device, make_device: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    event = platform.event
    canceled, good = event.ticket_ids[1], event.ticket_ids[2]
    _inject_bad_records(platform)
    _cancel(platform, canceled)

    state = enrolled.sync()
    assert state.link is Link.FAILING  # applied the rest, but says so in words
    assert "3 records this door cannot apply: set aside" in state.describe()
    assert state.set_aside == 3 and state.counts.changes.ticket >= 1
    assert enrolled.scan(event.codes[canceled]) == "canceled"
    assert enrolled.scan(event.codes[good]) == "ok"

    again = enrolled.sync()  # nothing new is bad: online, with the kept records counted
    assert again.link is Link.ONLINE and again.set_aside == 3, again
    assert "3 records from the server set aside" in again.describe()
    status = scanner(capsys, enrolled.directory, "status")
    assert "records from the server set aside (not applied): 3" in status.out
    assert "ticket id has leading or trailing spaces" in status.out

    fresh: Device = make_device("fresh")  # a new door's first snapshot holds the bad ticket
    first = fresh.enroll(platform.proxy.url, event.enrollment_code("south"))
    assert first.link is Link.FAILING and first.set_aside == 1, first
    assert first.counts.snapshot_tickets == len(event.ticket_ids)
    assert fresh.scan(event.codes[canceled]) == "canceled"
    assert fresh.scan(event.codes[event.ticket_ids[3]]) == "ok"
