"""The streamed, signed snapshot and the change feed after its cursor."""

from __future__ import annotations

import gzip
import json
from datetime import datetime
from typing import Any

import httpx
import pytest

from scanner.checkin.keyring import b64u_decode
from scanner.checkin.reasons import TicketStatus
from scanner.checkin.snapshot_file import SnapshotError, SnapshotHeader, read_snapshot
from server_stub.services import tickets
from server_stub.services.changes import prune_changes
from server_stub.testing import LiveServer, SeededEvent
from tests.server.helpers import Door


def fetch_snapshot(door: Door) -> tuple[SnapshotHeader, list[dict[str, Any]]]:
    trusted = b64u_decode(door.platform_public_b64u)

    def trust(header: SnapshotHeader) -> None:
        if header.signer_public != trusted:
            raise SnapshotError("untrusted signer")

    with door.client.stream("GET", f"/events/{door.event_id}/snapshot") as answer:
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("application/x-ndjson")
        lines = [line + b"\n" for line in answer.read().split(b"\n") if line]
    items = list(read_snapshot(lines, trust))
    header = items[0]
    assert isinstance(header, SnapshotHeader)
    return header, [obj for _, obj in items[1:]]  # type: ignore[misc]


def test_snapshot_is_signed_and_complete(device: Door, event: SeededEvent) -> None:
    device.upload(device.entry(event.ticket_ids[0]))
    header, records = fetch_snapshot(device)
    assert header.event["id"] == event.event_id
    assert {k.kid for k in header.keyring.keys.values()} == {"E1"}
    assert header.keyring.seed_json_secret is None  # the platform secret stays on the server
    ticket_ids = [r["id"] for r in records if r["k"] == "ticket"]
    assert sorted(ticket_ids) == sorted(event.ticket_ids)
    passages = [r for r in records if r["k"] == "passage"]
    assert [p["ticket_id"] for p in passages] == [event.ticket_ids[0]]
    assert device.changes(header.cursor)["records"] == []


def test_changes_carry_what_happened_after_the_cursor(
    server: LiveServer, device: Door, event: SeededEvent
) -> None:
    header, _ = fetch_snapshot(device)
    with server.db.writing() as session:
        tickets.set_status(session, event.event_id, [event.ticket_ids[5]], TicketStatus.BLOCKED)
    entry = device.entry(event.ticket_ids[6])
    device.upload(entry)
    page = device.changes(header.cursor)
    kinds = [(r["k"], r.get("id") or r.get("entry_id")) for r in page["records"]]
    assert kinds == [("ticket", event.ticket_ids[5]), ("passage", entry["id"])]
    assert page["records"][0]["status"] == "blocked"
    again = device.changes(page["cursor"])
    assert datetime.fromisoformat(again.pop("server_time")).tzinfo is not None  # doors read it
    assert again == {"cursor": page["cursor"], "records": [], "more": False}


def test_changes_come_in_pages(device: Door) -> None:
    first = device.client.get(f"/events/{device.event_id}/changes", params={"limit": 5}).json()
    assert len(first["records"]) == 5 and first["more"] is True
    rest = device.changes(first["cursor"])
    assert rest["more"] is False and rest["records"]


@pytest.mark.parametrize("cursor", ["abc", "-1", "1.5", "9" * 30])
def test_bad_cursors_are_400(device: Door, cursor: str) -> None:
    answer = device.client.get(f"/events/{device.event_id}/changes", params={"since": cursor})
    assert answer.status_code in (400, 422)
    assert answer.json()["reason"] in ("bad_cursor", "invalid_request")


def test_old_or_foreign_cursor_asks_for_a_snapshot(
    server: LiveServer, device: Door, event: SeededEvent
) -> None:
    with server.db.writing() as session:
        floor = prune_changes(session, event.event_id, keep_last=3)
    for cursor in ("0", str(floor - 1), "999999"):
        answer = device.client.get(f"/events/{event.event_id}/changes", params={"since": cursor})
        assert (answer.status_code, answer.json()["reason"]) == (410, "snapshot_required")
    assert len(device.changes(str(floor))["records"]) == 3
    header, _ = fetch_snapshot(device)
    assert device.changes(header.cursor)["records"] == []


def test_organizer_may_read_the_snapshot(organizer: httpx.Client, event: SeededEvent) -> None:
    answer = organizer.get(f"/events/{event.event_id}/snapshot")
    assert answer.status_code == 200 and answer.text.endswith("\n")


def test_snapshot_is_gzip_compressed_when_the_client_accepts_it(
    device: Door, event: SeededEvent
) -> None:
    url = f"/events/{event.event_id}/snapshot"
    with device.client.stream("GET", url, headers={"Accept-Encoding": "gzip"}) as packed:
        assert packed.headers.get("content-encoding") == "gzip"
        wire = b"".join(packed.iter_raw())
    plain = device.client.get(url, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert len(wire) < len(plain.content) / 2
    unpacked = gzip.decompress(wire).splitlines()
    # The header's time may differ by a second, and the end record signs the header too.
    lines = plain.content.splitlines()
    assert unpacked[1:-1] == lines[1:-1]
    assert json.loads(unpacked[-1])["records"] == json.loads(lines[-1])["records"]
