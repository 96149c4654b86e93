"""A door whose clock runs a day ahead, from the command line (issue 21, item 1): enroll says
so, the door decides on the server's time while that measurement is fresh, doctor and status
say it in words, and the server keeps the right days."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from scanner.checkin.attendees import AttendeeRow
from scanner.cli import exits
from server_stub.core.config import Settings
from server_stub.db import open_database
from server_stub.services.issuing import issue_codes
from server_stub.services.tickets import upsert_tickets
from server_stub.testing import LiveServer, SeededEvent, live_server, seed_event, sqlite_url
from tests.cli.run import scanner
from tests.server_rows import server_rows

AHEAD = "this device's clock is 1440 min ahead of the server's"


def a_day_behind() -> datetime:
    """The server's clock: a day behind this machine's (so this door runs a day ahead)."""
    return datetime.now(UTC) - timedelta(days=1)


@dataclass
class Venue:
    server: LiveServer
    event: SeededEvent
    codes: dict[int, str]  # event day -> the code of a ticket valid on that day only

    def rows(self, sql: str) -> list[Any]:
        return server_rows(self.server.database_url, sql)


@pytest.fixture
def venue(tmp_path: Path) -> Iterator[Venue]:
    url = sqlite_url(tmp_path)
    today = a_day_behind().date()  # the server's today: day 1; this machine's: day 2
    event = seed_event(url, days=(today, today + timedelta(days=1)), timezone="UTC")
    db = open_database(url)
    try:
        with db.writing() as session:
            upsert_tickets(
                session, event.event_id, [AttendeeRow(f"day{d}", "ga", days=(d,)) for d in (1, 2)]
            )
            issued = issue_codes(session, event.event_id, ["day1", "day2"], "TK1")
    finally:
        db.dispose()
    codes = {int(i.ticket_id[-1]): i.code for i in issued}
    settings = Settings(url, enroll_per_minute=10**6, clock=a_day_behind)
    with live_server(url, settings) as server:
        yield Venue(server, event, codes)


def test_a_door_a_day_ahead_decides_on_the_servers_time_and_says_so(
    capsys: pytest.CaptureFixture[str], venue: Venue, tmp_path: Path
) -> None:
    door = tmp_path / "door"
    enrolled = scanner(capsys, door, "enroll", venue.server.url, venue.event.enrollment_code())
    assert enrolled.code == exits.OK, enrolled.err
    assert f"clock: WARNING: {AHEAD}: the door decides on the server's time" in enrolled.out
    assert "set the date, time and time zone right" in enrolled.out

    day2_only = scanner(capsys, door, "check", venue.codes[2])
    assert day2_only.code == exits.REFUSED, day2_only.out  # the server's day 1, not this one's 2
    assert "Ticket not valid today" in day2_only.out
    assert "Decided on the server's time: this device's clock is 1440 min ahead" in day2_only.out
    assert scanner(capsys, door, "check", venue.codes[1]).code == exits.OK

    status = scanner(capsys, door, "status")
    assert f"clock: WARNING: {AHEAD}" in status.out
    doctor = scanner(
        capsys, door, "doctor", "--skip", "camera", "--skip", "qt", "--skip", "decoders"
    )
    assert doctor.code == exits.DOCTOR_PROBLEM
    assert (
        f"PROBLEM  clock       {AHEAD}" in doctor.out and "a kiosk stays out of order" in doctor.out
    )

    synced = scanner(capsys, door, "sync")
    assert synced.code == exits.OK and AHEAD in synced.out
    stored = venue.rows(
        "SELECT ticket_id, day, server_reason, clock_ahead_s FROM checkins ORDER BY ticket_id"
    )
    assert [tuple(r) for r in stored] == [("day1", 1, "ok", None), ("day2", 1, "wrong_day", None)]


def test_a_door_never_measured_uses_its_own_clock_and_says_so(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    status = scanner(capsys, data_dir, "status")
    assert "clock: not checked against a server yet: this door uses its own clock" in status.out
    doctor = scanner(
        capsys, data_dir, "doctor", "--skip", "camera", "--skip", "qt", "--skip", "decoders"
    )
    assert "info     clock       not checked against a server yet" in doctor.out
