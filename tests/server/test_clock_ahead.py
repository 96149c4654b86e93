"""A device whose clock runs ahead: the server keeps what it recorded, judges its scans' days by
its own receive time, and lists the device for the organizer (issue 21, item 1). Both backends."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from scanner.checkin.attendees import AttendeeRow
from server_stub.core.config import Settings
from server_stub.db import open_database
from server_stub.services.tickets import upsert_tickets
from server_stub.testing import LiveServer, SeededEvent, live_server, seed_event
from tests.server.helpers import T0, enroll

DAYS = (date(2025, 6, 1), date(2025, 6, 2))  # T0 is the evening of day 1 (Berlin)


@dataclass
class ServerClock:
    """The server's clock, moved by the test."""

    moment: datetime

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def clock() -> ServerClock:
    return ServerClock(T0)


@pytest.fixture
def server(any_db_url: str, clock: ServerClock) -> Iterator[LiveServer]:
    settings = Settings(
        any_db_url, enroll_per_minute=10**6, organizer_per_minute=10**6, clock=clock
    )
    with live_server(any_db_url, settings) as running:
        yield running


@pytest.fixture
def event(server: LiveServer) -> SeededEvent:
    return seed_event(server.database_url, days=DAYS, timezone="Europe/Berlin")


def day_two_ticket(server: LiveServer, event: SeededEvent) -> str:
    ticket = "day2-" + uuid.uuid4().hex[:6]
    db = open_database(server.database_url)
    try:
        with db.writing() as session:
            upsert_tickets(session, event.event_id, [AttendeeRow(ticket, "ga", days=(2,))])
    finally:
        db.dispose()
    return ticket


def organizer(server: LiveServer, event: SeededEvent) -> httpx.Client:
    headers = {"Authorization": f"Bearer {event.organizer_token}"}
    return httpx.Client(base_url=server.api, headers=headers, timeout=30)


def test_a_day_ahead_door_admission_is_not_stored_as_ok_for_day_two(
    server: LiveServer, event: SeededEvent, clock: ServerClock
) -> None:
    ticket = day_two_ticket(server, event)
    with enroll(server, event, "old door", name="Old laptop") as old:
        # An old door whose clock runs a day ahead admits the day-2 ticket on day 1.
        (answer,) = old.upload(old.entry(ticket, 24 * 60, day=2))
        assert answer["status"] == "accepted"  # a fact: stored, never bounced
        assert answer["server_reason"] == "wrong_day"  # judged by our receipt: day 1
        passage = next(r for r in old.changes()["records"] if r.get("entry_id") == answer["id"])
        assert passage["day"] == 1 and passage["at"] == (T0 + timedelta(days=1)).isoformat()
    clock.moment = T0 + timedelta(days=1)  # the real day 2
    with enroll(server, event, "gate") as gate:
        (day2,) = gate.upload(gate.entry(ticket, 24 * 60 + 5))
    assert (day2["status"], day2["server_reason"]) == ("accepted", "ok")  # not "already in"


def test_the_organizer_sees_which_device_had_its_clock_wrong(
    server: LiveServer, event: SeededEvent, tmp_path: Path
) -> None:
    ticket = event.ticket_ids[0]
    with enroll(server, event, "old door", name="Old laptop") as old:
        old.upload(old.entry(ticket, 24 * 60), old.entry(ticket, 24 * 60 + 10, outcome="rejected"))
    with enroll(server, event, "gate") as gate:
        gate.upload(gate.entry(event.ticket_ids[1], 3))  # a right clock (3 min early) is trusted
    with organizer(server, event) as client:
        listed = client.get(f"/events/{event.event_id}/conflicts").json()["clock_wrong"]
        report = client.get(f"/events/{event.event_id}/reports/summary.csv").text
        export = client.get(f"/events/{event.event_id}/export.csv").text
    (wrong,) = listed
    assert (wrong["device_name"], wrong["entries"]) == ("Old laptop", 2)
    assert wrong["ahead_s"] == 24 * 3600 + 600
    words = "clock wrong on device Old laptop: scan times up to 1450 min ahead of receipt"
    assert wrong["words"] == words
    assert "Clock wrong on device" in report and wrong["words"] in report
    assert export.splitlines()[0].endswith(",clock_ahead_s")
    assert sum(line.endswith(",86400") for line in export.splitlines()) == 1
