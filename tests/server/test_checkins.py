"""Check-in upload: idempotency, conflicts, re-entry, undo, and what the server would have said."""

from __future__ import annotations

from datetime import date

import httpx

from scanner.checkin.reasons import TicketStatus
from server_stub.services import tickets
from server_stub.testing import LiveServer, SeededEvent, seed_event
from tests.server.helpers import Door, enroll


def test_entries_are_stored_once(device: Door, event: SeededEvent) -> None:
    first = device.entry(event.ticket_ids[0])
    refused = device.entry(None, 1, outcome="rejected", reason="malformed", format=None)
    results = device.upload(first, refused, first)
    assert [r["status"] for r in results] == ["accepted", "accepted", "duplicate"]
    assert results[0]["server_reason"] == "ok" and results[1]["server_reason"] is None
    assert device.upload(first)[0]["status"] == "duplicate"
    passages = [r for r in device.changes()["records"] if r["k"] == "passage"]
    assert [p["entry_id"] for p in passages] == [first["id"]]


def test_two_doors_admitting_one_ticket_conflict(
    server: LiveServer, event: SeededEvent, device: Door, organizer: httpx.Client
) -> None:
    ticket = event.ticket_ids[1]
    later = device.entry(ticket, minutes=10)
    assert device.upload(later)[0]["status"] == "accepted"
    with enroll(server, event, "south") as south:
        earlier = south.entry(ticket, minutes=2)  # uploaded second, scanned first
        (result,) = south.upload(earlier)
    assert result["status"] == "conflict"
    assert result["conflict"]["entry_id"] == later["id"]
    assert result["conflict"]["door"] == "north"
    assert result["server_reason"] == "ok"  # at its scan time nobody had been admitted yet
    groups = organizer.get(f"/events/{event.event_id}/conflicts").json()["conflicts"]
    assert len(groups) == 1
    assert groups[0]["first"]["entry_id"] == earlier["id"]  # the earliest scan counts as first
    assert [o["entry_id"] for o in groups[0]["others"]] == [later["id"]]
    # A re-sent entry is still a duplicate, and says what it collides with.
    again = device.upload(later)[0]
    assert again["status"] == "duplicate" and again["conflict"]["entry_id"] == earlier["id"]


def test_undo_annuls_an_admission(
    device: Door, event: SeededEvent, organizer: httpx.Client
) -> None:
    ticket = event.ticket_ids[2]
    wrong = device.entry(ticket, 0)
    device.upload(wrong)
    cursor = device.changes()["cursor"]
    undo = device.entry(ticket, 1, kind="undo", annuls=wrong["id"], outcome="rejected")
    right = device.entry(ticket, 2)
    results = device.upload(undo, right)
    assert [r["status"] for r in results] == ["accepted", "accepted"]
    assert results[1]["server_reason"] == "ok"  # the undone admission no longer counts
    records = device.changes(cursor)["records"]
    assert {"k": "annulment", "entry_id": wrong["id"], "ticket_id": ticket} in records
    assert organizer.get(f"/events/{event.event_id}/conflicts").json()["conflicts"] == []


def test_undo_arriving_before_its_scan(device: Door, event: SeededEvent) -> None:
    ticket = event.ticket_ids[3]
    scan = device.entry(ticket, 0)
    undo = device.entry(ticket, 1, kind="undo", annuls=scan["id"], outcome="rejected")
    device.upload(undo)
    device.upload(scan)
    assert device.upload(device.entry(ticket, 5))[0]["status"] == "accepted"


def test_offline_admission_of_a_canceled_ticket_is_stored_and_flagged(
    server: LiveServer, device: Door, event: SeededEvent, organizer: httpx.Client
) -> None:
    ticket = event.ticket_ids[4]
    with server.db.writing() as session:
        tickets.set_status(session, event.event_id, [ticket], TicketStatus.CANCELED)
    (result,) = device.upload(device.entry(ticket))
    assert result["status"] == "accepted" and result["server_reason"] == "canceled"
    (unknown,) = device.upload(device.entry("not-on-list", format="SEEDJSON"))
    assert unknown["server_reason"] == "unknown_ticket"
    (walk_in,) = device.upload(device.entry("sold-after-sync", format="TK1"))
    assert walk_in["server_reason"] == "ok"  # a TK1 code admits tickets missing from the list
    csv = organizer.get(f"/events/{event.event_id}/export.csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert ticket in csv.text and "canceled" in csv.text


def test_reentry_needs_an_exit_in_between(server: LiveServer) -> None:
    event = seed_event(server.database_url, tickets_per_type=1, reentry=True)
    ticket = event.ticket_ids[0]
    with enroll(server, event, "gate") as gate:
        results = gate.upload(
            gate.entry(ticket, 0),
            gate.entry(ticket, 10, direction="exit", outcome="exited"),
            gate.entry(ticket, 20),
        )
        assert [r["status"] for r in results] == ["accepted"] * 3
        (again,) = gate.upload(gate.entry(ticket, 30))
        assert again["status"] == "conflict"
        assert again["server_reason"] == "already_checked_in"


def test_multi_day_tickets_enter_once_per_day(server: LiveServer) -> None:
    days = (date(2025, 6, 1), date(2025, 6, 2))
    event = seed_event(server.database_url, tickets_per_type=1, days=days, timezone="Europe/Berlin")
    ticket = event.ticket_ids[0]
    with enroll(server, event, "gate") as gate:
        day1 = gate.upload(gate.entry(ticket, 0))[0]
        day2 = gate.upload(gate.entry(ticket, 24 * 60))[0]
        assert (day1["status"], day2["status"]) == ("accepted", "accepted")
        assert gate.upload(gate.entry(ticket, 25 * 60))[0]["status"] == "conflict"
        outside = gate.upload(gate.entry(ticket, 5 * 24 * 60))[0]  # not an event day
        assert outside["status"] == "accepted"


def test_door_list_decides_the_server_reason(server: LiveServer) -> None:
    lists = (("vip-door", "VIP door", ("vip",)),)
    event = seed_event(server.database_url, tickets_per_type=1, checkin_lists=lists)
    ga_ticket = event.ticket_ids[0]
    with enroll(server, event, "vip", checkin_list="vip-door") as door:
        (result,) = door.upload(door.entry(ga_ticket))
    assert result["server_reason"] == "wrong_ticket_type"


def test_stats_count_admissions_per_door_and_type(
    server: LiveServer, device: Door, event: SeededEvent, organizer: httpx.Client
) -> None:
    device.upload(device.entry(event.ticket_ids[0]), device.entry(event.ticket_ids[-1]))
    device.upload(device.entry(event.ticket_ids[0], 5))  # a conflict counts the ticket once
    stats = organizer.get(f"/events/{event.event_id}/stats").json()
    assert stats["expected"] == len(event.ticket_ids) and stats["admitted"] == 2
    assert stats["by_door"] == [{"door": "north", "admitted": 3, "rejected": 0, "exited": 0}]
    by_type = {t["type"]: (t["expected"], t["admitted"]) for t in stats["by_type"]}
    assert by_type == {"ga": (10, 1), "vip": (10, 1)}
