"""Four doors on one event, two of them offline; the same tickets scanned at several doors.
After reconnecting, both sides of every double entry show the conflict, and the server's count
of admitted tickets is right."""

from __future__ import annotations

from typing import Any

import httpx

from tests.sync.conftest import Device, Platform
from tests.sync.faultproxy import FaultProxy


def _conflicted(device: Device) -> dict[str, set[str]]:
    return {
        c.ticket_id: {c.first.door, *(a.door for a in c.others)} for c in device.store.conflicts()
    }


def test_double_entries_between_offline_doors(platform: Platform, make_device: Any) -> None:
    event = platform.event
    port = int(platform.server.url.rsplit(":", 1)[1])
    offline_link = FaultProxy(port)
    doors: dict[str, Device] = {}
    for name in ("north", "south", "east", "west"):
        doors[name] = make_device(name)
        url = offline_link.url if name in ("east", "west") else platform.proxy.url
        doors[name].enroll(url, event.enrollment_code(name))
    north, south, east, west = doors.values()
    t1, t2, t3, t4 = (event.codes[t] for t in event.ticket_ids[:4])

    offline_link.set("down")
    assert north.scan(t1) == "ok"
    north.sync()
    assert east.scan(t1) == "ok"  # east is offline: it cannot know north let t1 in
    assert east.scan(t2) == "ok"
    assert west.scan(t2) == "ok"  # both offline
    assert west.scan(t3) == "ok"
    assert south.scan(t4) == "ok"
    south.sync()
    north.sync()
    assert north.scan(t4) == "already_checked_in"  # online doors see each other at once

    assert east.sync().link == "failing" and west.sync().link == "failing"
    offline_link.set("pass")
    for device in (east, west, east, west, north, south):
        device.sync()
    offline_link.close()

    assert _conflicted(north) == {event.ticket_ids[0]: {"north", "east"}}
    assert _conflicted(east) == {
        event.ticket_ids[0]: {"north", "east"},
        event.ticket_ids[1]: {"east", "west"},
    }
    assert _conflicted(west) == {event.ticket_ids[1]: {"east", "west"}}
    assert _conflicted(south) == {}
    states = {row.upload_state for row in east.journal()}
    assert "conflict" in states  # the server flagged east's late uploads too

    stats = httpx.get(
        f"{platform.server.api}/events/{event.event_id}/stats",
        headers={"Authorization": f"Bearer {event.organizer_token}"},
    ).json()
    assert stats["admitted"] == 4
    server_conflicts = httpx.get(
        f"{platform.server.api}/events/{event.event_id}/conflicts",
        headers={"Authorization": f"Bearer {event.organizer_token}"},
    ).json()["conflicts"]
    assert {c["ticket_id"] for c in server_conflicts} == set(event.ticket_ids[:2])
