"""Authority over undo: a device annuls only its own admissions; organizers annul any; every
other undo is stored as a fact, flagged, and changes nothing (issue 13 item 1)."""

from __future__ import annotations

import csv
import io

import httpx

from server_stub.testing import LiveServer, SeededEvent
from tests.server.helpers import Door, enroll


def _undo(door: Door, target: dict[str, object], minutes: float = 1) -> dict[str, object]:
    ticket = target["ticket_id"]
    return door.entry(ticket, minutes, kind="undo", annuls=target["id"], outcome="rejected")  # type: ignore[arg-type]


def _export(organizer: httpx.Client, event: SeededEvent) -> dict[str, dict[str, str]]:
    text = organizer.get(f"/events/{event.event_id}/export.csv").text
    return {row["entry_id"]: row for row in csv.DictReader(io.StringIO(text))}


def test_another_device_cannot_annul_an_admission(
    server: LiveServer, event: SeededEvent, device: Door, organizer: httpx.Client
) -> None:
    ticket = event.ticket_ids[0]
    admission = device.entry(ticket)
    device.upload(admission)
    cursor = device.changes()["cursor"]
    with enroll(server, event, "south") as south:
        stranger = _undo(south, admission)
        (result,) = south.upload(stranger)
        assert result["status"] == "accepted" and result["server_reason"] == "undo_not_allowed"
        (again,) = south.upload(south.entry(ticket, 5))
    assert again["status"] == "conflict" and again["conflict"]["entry_id"] == admission["id"]
    assert not [r for r in device.changes(cursor)["records"] if r["k"] == "annulment"]
    assert organizer.get(f"/events/{event.event_id}/stats").json()["admitted"] == 1
    assert len(organizer.get(f"/events/{event.event_id}/conflicts").json()["conflicts"]) == 1
    rows = _export(organizer, event)
    assert rows[stranger["id"]]["server_reason"] == "undo_not_allowed"  # type: ignore[index]
    assert rows[admission["id"]]["annulled_by"] == ""


def test_an_undo_that_came_first_from_another_device_is_not_applied(
    server: LiveServer, event: SeededEvent, device: Door, organizer: httpx.Client
) -> None:
    ticket = event.ticket_ids[1]
    admission = device.entry(ticket)
    with enroll(server, event, "south") as south:
        stranger = _undo(south, admission)
        south.upload(stranger)  # names an entry the server has not seen yet
    device.upload(admission)
    (later,) = device.upload(device.entry(ticket, 10))
    assert later["status"] == "conflict"  # the admission stands
    rows = _export(organizer, event)
    assert rows[stranger["id"]]["server_reason"] == "undo_not_allowed"  # type: ignore[index]
    # The recording device's own undo still works.
    device.upload(_undo(device, admission, 11))
    assert organizer.get(f"/events/{event.event_id}/conflicts").json()["conflicts"] == []


def test_an_organizer_annuls_any_admission(
    event: SeededEvent, device: Door, organizer: httpx.Client
) -> None:
    ticket = event.ticket_ids[2]
    admission = device.entry(ticket)
    device.upload(admission, device.entry(ticket, 5))
    url = f"/events/{event.event_id}/checkins/{admission['id']}/annul"
    answer = organizer.post(url, json={"reason": "scanned the wrong wristband"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["server_reason"] is None
    records = device.changes()["records"]
    assert {"k": "annulment", "entry_id": admission["id"], "ticket_id": ticket} in records
    assert organizer.get(f"/events/{event.event_id}/conflicts").json()["conflicts"] == []
    assert device.client.post(url, json={"reason": "x"}).status_code == 403
    unknown = f"/events/{event.event_id}/checkins/{'0' * 8}-0000-4000-8000-{'0' * 12}/annul"
    assert organizer.post(unknown, json={"reason": "x"}).json()["reason"] == "entry_unknown"
