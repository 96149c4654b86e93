"""Passages name the device that recorded them by its enrolment name (issue 8, item 8), so staff
at another door read "first in at ... (north, device North gate)": in the snapshot, in the change
feed, in conflict answers and in the organizer's conflict list. A device without a name sends
null; check-ins stored before the name travelled get it when the server is upgraded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from alembic import command
from sqlalchemy import inspect

from server_stub.db import migrate, migration_config
from server_stub.services.journal import import_journal
from server_stub.testing import LiveServer, SeededEvent
from tests.server.helpers import Door, enroll
from tests.server.test_snapshot_changes import fetch_snapshot


def _names(records: list[dict[str, Any]]) -> dict[str, str | None]:
    """door -> the device name its passages carry."""
    return {r["door"]: r["device_name"] for r in records if r["k"] == "passage"}


def test_passages_and_conflicts_carry_the_enrolment_name(
    server: LiveServer, event: SeededEvent, organizer: httpx.Client
) -> None:
    ticket, other = event.ticket_ids[:2]
    with (
        enroll(server, event, "north", name="North gate") as north,
        enroll(server, event, "south", name="  South gate ") as south,
        enroll(server, event, "east", name=None) as east,
    ):
        north.upload(north.entry(ticket))
        (answer,) = south.upload(south.entry(ticket, minutes=5))
        east.upload(east.entry(other))

        assert answer["status"] == "conflict"
        assert answer["conflict"]["device_id"] == north.device_id
        assert answer["conflict"]["device_name"] == "North gate"
        expected = {"north": "North gate", "south": "South gate", "east": None}
        assert _names(south.changes()["records"]) == expected
        _, records = fetch_snapshot(east)
        assert _names(records) == expected

    (group,) = organizer.get(f"/events/{event.event_id}/conflicts").json()["conflicts"]
    assert group["first"]["device_name"] == "North gate"
    assert [o["device_name"] for o in group["others"]] == ["South gate"]


def test_a_journal_file_of_a_named_device_is_imported_with_its_name(
    server: LiveServer, event: SeededEvent, tmp_path: Path
) -> None:
    with enroll(server, event, "north", name="North gate") as north:
        entry = north.entry(event.ticket_ids[3])
        path = tmp_path / "journal.jsonl"
        path.write_text(json.dumps({"k": "journal", "device_id": north.device_id}) + "\n")
        with path.open("a") as out:
            out.write(json.dumps(entry) + "\n")
        assert import_journal(server.db, event.event_id, path).counts["accepted"] == 1
        assert _names(north.changes()["records"]) == {"north": "North gate"}


def _check_in_before_the_upgrade(server: LiveServer, north: Door, ticket: str) -> None:
    """An admission stored as a server without device names held it: the column is gone."""
    north.upload(north.entry(ticket))
    with server.db.engine.begin() as connection:
        command.downgrade(migration_config(connection), "0003")
    columns = {c["name"] for c in inspect(server.db.engine).get_columns("checkins")}
    assert "device_name" not in columns and "device_id" in columns


def test_an_upgraded_server_names_the_devices_of_earlier_check_ins(
    server: LiveServer, event: SeededEvent
) -> None:
    with enroll(server, event, "north", name="North gate") as north:
        _check_in_before_the_upgrade(server, north, event.ticket_ids[0])
        migrate(server.db)  # what `scanner-server` does when it starts on an old database
        _, records = fetch_snapshot(north)
        assert _names(records) == {"north": "North gate"}
        (answer,) = north.upload(north.entry(event.ticket_ids[0], minutes=1))
        assert answer["conflict"]["device_name"] == "North gate"
