"""Enrol, scan offline-first, upload, pull: the happy path and what staff can read."""

from __future__ import annotations

from typing import Any

from scanner.sync.state import Link
from tests.store_jobs import read_one, write_sql
from tests.sync.conftest import Device, Platform


def test_enrolment_pulls_the_snapshot_and_scans_reach_the_server(
    platform: Platform, enrolled: Device
) -> None:
    event = platform.event
    count = read_one(enrolled.store, "SELECT COUNT(*) FROM tickets")
    assert count == len(event.ticket_ids)
    assert enrolled.scan(event.codes[event.ticket_ids[0]]) == "ok"
    assert enrolled.scan(event.codes[event.ticket_ids[0]]) == "already_checked_in"
    state = enrolled.sync()
    assert state.link is Link.ONLINE and state.waiting == 0 and state.last_push_at is not None
    assert state.clock_offset_s is not None and abs(state.clock_offset_s) < 5
    assert sorted(platform.entries_per_id().values()) == [1, 1]
    assert [r.upload_state for r in enrolled.journal()] == ["accepted", "accepted"]


def test_the_token_is_never_stored_in_the_clear(platform: Platform, enrolled: Device) -> None:
    settings = dict(enrolled.journal("SELECT key, value FROM settings"))
    assert settings["device_token"].startswith("sealed:v1:")
    raw = (enrolled.directory / "scanner.sqlite3").read_bytes()
    assert b"Bearer" not in raw


def test_progress_is_reported_during_the_first_snapshot(
    platform: Platform, make_device: Any
) -> None:
    device = make_device("fresh")
    device.enroll(platform.proxy.url, platform.event.enrollment_code("south"))
    seen: list[tuple[int, int | None]] = []
    write_sql(device.store, "UPDATE events SET cursor = NULL")
    device.syncer.run_once(lambda done, total: seen.append((done, total)))
    tickets = len(platform.event.ticket_ids)
    assert seen[-1] == (tickets, tickets)


def test_another_doors_admission_and_ticket_changes_are_visible_to_the_next_scan(
    platform: Platform, enrolled: Device, make_device: Any
) -> None:
    event = platform.event
    south: Device = make_device("south")
    south.enroll(platform.proxy.url, event.enrollment_code("south"))
    first, canceled = event.ticket_ids[0], event.ticket_ids[1]
    assert south.scan(event.codes[first]) == "ok"
    south.sync()
    _cancel(platform, canceled)
    enrolled.sync()
    assert enrolled.scan(event.codes[first]) == "already_checked_in"
    assert enrolled.scan(event.codes[canceled]) == "canceled"


def test_a_cursor_too_old_takes_a_fresh_snapshot_and_keeps_the_journal(
    platform: Platform, enrolled: Device
) -> None:
    event = platform.event
    enrolled.scan(event.codes[event.ticket_ids[0]])
    platform.query("SELECT 1")  # the server's log floor moves past this device's cursor:
    _raise_floor(platform)
    state = enrolled.sync()
    assert state.link is Link.ONLINE and state.counts.snapshot_tickets == len(event.ticket_ids)
    assert len(enrolled.journal()) == 1 and state.waiting == 0
    policy_cursor = enrolled.store.pull_cursor(event.event_id)
    assert policy_cursor is not None


def _cancel(platform: Platform, ticket_id: str) -> None:
    from scanner.checkin.reasons import TicketStatus
    from server_stub.db import open_database
    from server_stub.services.tickets import set_status

    db = open_database(platform.server.database_url)
    try:
        with db.writing() as session:
            set_status(session, platform.event.event_id, [ticket_id], TicketStatus.CANCELED)
    finally:
        db.dispose()


def _raise_floor(platform: Platform) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(platform.server.database_url)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE events SET changes_floor = last_seq + 1000, last_seq = last_seq + 1000")
        )
    engine.dispose()


def test_a_check_in_by_hand_reaches_the_server_as_such(
    platform: Platform, enrolled: Device
) -> None:
    ticket_id = platform.event.ticket_ids[2]
    assert enrolled.door.admit_by_hand(ticket_id).verdict.admitted
    assert enrolled.sync().waiting == 0
    rows = platform.query("SELECT ticket_id, format, note FROM checkins")
    assert [(r[0], r[1]) for r in rows] == [(ticket_id, None)] and "by hand" in rows[0][2]


def test_a_transferred_ticket_admits_its_new_code_and_refuses_the_old(
    platform: Platform, enrolled: Device
) -> None:
    from server_stub.db import open_database
    from server_stub.services.issuing import transfer

    event = platform.event
    ticket_id = event.ticket_ids[3]
    digests = dict(enrolled.journal("SELECT ticket_id, code_digest FROM tickets"))
    assert all(digests.values())  # doors learn each issued code's digest with the list
    db = open_database(platform.server.database_url)
    with db.writing() as session:
        new = transfer(session, event.event_id, ticket_id, name="New Holder", email=None)
    db.dispose()
    enrolled.sync()
    assert enrolled.scan(event.codes[ticket_id]) == "revoked"
    result = enrolled.door.check(new.code, source="test").verdict
    assert result.admitted and result.holder_name == "New Holder"
