"""The change log prunes itself on a schedule, keeping what enrolled doors still need
(issue 13 item 9)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from server_stub.core.config import Settings
from server_stub.models import Event
from server_stub.services.devices import revoke_device
from server_stub.services.pruning import prune_all
from server_stub.testing import LiveServer, live_server, seed_event
from tests.server.helpers import Door, enroll


def _wait_for(condition: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition never came true"
        time.sleep(0.02)


def _floor(server: LiveServer, event_id: str) -> int:
    with server.db.reading() as session:
        event = session.get(Event, event_id)
        assert event is not None
        return event.changes_floor


@pytest.fixture
def pruning_server(any_db_url: str) -> Iterator[LiveServer]:
    with live_server(any_db_url, Settings(any_db_url, prune_interval_s=0.05)) as running:
        yield running


def _admit(door: Door, ticket: str, minutes: float, since: str | None = None) -> str:
    """Admit a ticket; the new cursor, read from `since` (a door always sends the one it has)."""
    door.upload(door.entry(ticket, minutes))
    return str(door.changes(since)["cursor"])


def test_the_log_prunes_itself_down_to_the_slowest_active_door(
    pruning_server: LiveServer,
) -> None:
    event = seed_event(pruning_server.database_url, tickets_per_type=5)
    with (
        enroll(pruning_server, event, "north") as north,
        enroll(pruning_server, event, "south") as south,
    ):
        for door in (north, south):  # as every door does after enrolling
            snapshot = door.client.get(f"/events/{event.event_id}/snapshot")
            start = json.loads(snapshot.text.splitlines()[0])["cursor"]
        early = _admit(north, event.ticket_ids[0], 0, start)
        assert south.changes(early)["records"] == []  # south holds `early`
        late = _admit(north, event.ticket_ids[1], 5, early)
        north.changes(late)  # north holds `late`
        _admit(north, event.ticket_ids[2], 10, late)
        _wait_for(lambda: _floor(pruning_server, event.event_id) == int(early))
        # What south still needs is kept; what nobody needs is gone.
        assert [r["ticket_id"] for r in south.changes(early)["records"]] == event.ticket_ids[1:3]
        gone = south.client.get(f"/events/{event.event_id}/changes", params={"since": "1"})
        assert gone.status_code == 410


def test_silent_and_revoked_doors_hold_nothing_back(server: LiveServer) -> None:
    event = seed_event(server.database_url, tickets_per_type=5)
    with enroll(server, event, "north") as north, enroll(server, event, "south") as south:
        early = _admit(north, event.ticket_ids[0], 0)
        south.changes(early)
        late = _admit(north, event.ticket_ids[1], 5, early)
        north.changes(late)
        now = datetime.now(UTC)
        with server.db.writing() as session:
            assert revoke_device(session, event.event_id, south.device_id)
        assert prune_all(server.db, now, timedelta(days=7)) == {event.event_id: int(late)}
        # A week on, even north's cursor is stale: the whole log may go.
        _admit(north, event.ticket_ids[2], 10, late)
        moved = prune_all(server.db, now + timedelta(days=8), timedelta(days=7))
        assert moved[event.event_id] > int(late)
