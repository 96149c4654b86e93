"""What arrives at the edge: strict types, the shared id rule, scan facts stored as recorded,
and no input that makes a 500 (issue 13 items 3 and 4, issue 8 item 4, issue 9 item 1)."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest

from server_stub.testing import LiveServer, SeededEvent, seed_event
from tests.server.helpers import Door, enroll


def _post(door: Door, *entries: dict[str, Any]) -> httpx.Response:
    return door.client.post(f"/events/{door.event_id}/checkins", json={"entries": list(entries)})


def _problem(answer: httpx.Response) -> str:
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["reason"] == "invalid_request"
    return " ".join(f"{'.'.join(p['loc'])}: {p['msg']}" for p in body["detail"])


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("scanned_at", 1748797200),  # a bare number is no scan time
        ("scanned_at", "1748797200"),
        ("scanned_at", "2025-06-01T19:00:00"),  # no offset
        ("scanned_at", "2025-06-01"),
        ("device_seq", "7"),
        ("device_seq", True),
        ("device_seq", 7.5),
    ],
)
def test_loose_types_are_refused_with_a_reason(
    device: Door, event: SeededEvent, field: str, value: object
) -> None:
    entry = device.entry(event.ticket_ids[0], **{field: value})
    assert field in _problem(_post(device, entry))


@pytest.mark.parametrize("bad", [" evil", "evil ", "   ", "", "x" * 65, "a\x00b"])
def test_ids_follow_the_scanners_rule(device: Door, bad: str) -> None:
    problem = _problem(_post(device, device.entry(bad)))
    assert "ticket_id" in problem and "id " in problem


def test_leading_space_id_is_refused_in_words(device: Door) -> None:
    assert "leading or trailing spaces" in _problem(_post(device, device.entry(" evil")))


@pytest.mark.parametrize(
    "scanned_at",
    [
        "0001-01-01T00:00:00+00:00",
        "0001-01-01T00:30:00+05:00",
        "9999-12-31T23:59:59+00:00",
        "9999-12-31T23:30:00-12:00",
    ],
)
def test_scan_times_at_the_ends_of_the_calendar_are_stored(
    server: LiveServer, scanned_at: str
) -> None:
    days = (date(2025, 6, 1), date(2025, 6, 2))  # event days: scan times convert to Tokyo's
    event = seed_event(server.database_url, tickets_per_type=1, days=days, timezone="Asia/Tokyo")
    with enroll(server, event, "east") as door:
        (result,) = door.upload(door.entry(event.ticket_ids[0], scanned_at=scanned_at))
        assert result["status"] == "accepted"
        later = door.entry(event.ticket_ids[0], scanned_at="2025-06-01T20:00:00+09:00")
        assert door.upload(later)[0]["status"] in ("accepted", "conflict")


def test_what_a_door_recorded_is_stored_as_recorded(
    device: Door, event: SeededEvent, organizer: httpx.Client
) -> None:
    door_name = "Haupteingang Nord, Tor 3 (links neben der Garderobe) " * 3  # 165 characters
    operator = "O" * 300
    note = "reason " * 400  # 2,800 characters
    scan = device.entry(event.ticket_ids[0], door=door_name, operator=operator)
    undo = device.entry(
        event.ticket_ids[0], 1, kind="undo", annuls=scan["id"], outcome="rejected", note=note
    )
    assert [r["status"] for r in device.upload(scan, undo)] == ["accepted", "accepted"]
    export = organizer.get(f"/events/{event.event_id}/export.csv").text
    assert door_name in export and operator in export and note in export
