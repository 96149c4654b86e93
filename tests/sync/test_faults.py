"""Faults between door and server. After each clears: every scan is on the server exactly once,
the door's ticket states equal the server's, and nothing was lost on the door."""

from __future__ import annotations

from typing import Any

import pytest

from scanner.sync.state import Link
from tests.store_jobs import write_sql
from tests.sync.conftest import Device, Platform


def _scan_some(device: Device, platform: Platform, count: int = 5) -> list[str]:
    event = platform.event
    for ticket_id in event.ticket_ids[:count]:
        device.scan(event.codes[ticket_id])
    return [row.id for row in device.journal()]


def _assert_all_there_once(device: Device, platform: Platform) -> None:
    state = device.sync()
    assert state.link is Link.ONLINE, state.last_error
    assert state.waiting == 0
    ids = [row.id for row in device.journal()]
    on_server = platform.entries_per_id()
    assert {entry: on_server.get(entry) for entry in ids} == dict.fromkeys(ids, 1)
    local = dict(device.journal("SELECT ticket_id, status FROM tickets"))
    remote = dict(
        platform.query(
            "SELECT id, status FROM tickets WHERE event_id = :e", e=platform.event.event_id
        )
    )
    assert local == remote


@pytest.mark.parametrize(
    ("mode", "options", "link", "words"),
    [
        ("down", {}, Link.FAILING, "connection to the server broke"),
        ("error500", {}, Link.FAILING, "the server failed (500"),
        ("slow", {"slow_s": 9.0}, Link.FAILING, "did not answer in time"),
        ("die_mid_request", {}, Link.FAILING, "connection to the server broke"),
        ("reset_after_commit", {}, Link.FAILING, "connection to the server broke"),
    ],
)
def test_upload_faults_then_recovery(
    platform: Platform, enrolled: Device, mode: str, options: dict[str, Any], link: Link, words: str
) -> None:
    ids = _scan_some(enrolled, platform)
    platform.proxy.set(mode, path="/checkins", **options)
    state = enrolled.sync()
    assert state.link is link and words in (state.last_error or "")
    assert state.waiting == len(ids)  # nothing marked sent that the door did not hear back about
    platform.proxy.set("pass")
    _assert_all_there_once(enrolled, platform)
    if mode == "reset_after_commit":  # the re-sent batch was recognised, not stored twice
        statuses = {r.upload_state for r in enrolled.journal()}
        assert statuses == {"duplicate"}


def test_server_down_at_start(platform: Platform, make_device: Any) -> None:
    device: Device = make_device("late")
    platform.proxy.set("down")
    with pytest.raises(Exception, match="connection to the server broke"):
        device.enroll(platform.proxy.url, platform.event.enrollment_code("west"))
    platform.proxy.set("pass")
    assert (
        device.enroll(platform.proxy.url, platform.event.enrollment_code("west")).link
        is Link.ONLINE
    )


def test_unreachable_server_is_offline(platform: Platform, enrolled: Device) -> None:
    write_sql(
        enrolled.store, "UPDATE settings SET value = 'http://127.0.0.1:9' WHERE key = 'server_url'"
    )
    _scan_some(enrolled, platform, 2)
    state = enrolled.sync()
    assert state.link is Link.OFFLINE and "cannot reach the server" in (state.last_error or "")
    assert state.waiting == 2


def test_a_snapshot_cut_half_way_leaves_the_previous_list(
    platform: Platform, enrolled: Device
) -> None:
    before = enrolled.journal("SELECT ticket_id, status FROM tickets ORDER BY 1")
    write_sql(enrolled.store, "UPDATE events SET cursor = NULL")
    platform.proxy.set("cut_body", path="/snapshot", cut_after=400)  # gzip: the body is small
    state = enrolled.sync()
    assert state.link is Link.FAILING
    assert enrolled.journal("SELECT ticket_id, status FROM tickets ORDER BY 1") == before
    platform.proxy.set("pass")
    _assert_all_there_once(enrolled, platform)
