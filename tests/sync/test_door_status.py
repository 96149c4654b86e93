"""A door's uploads tell the organizer's device list how it is doing: its build, the entries it
still holds and its clock (the Date header), with nothing else to set up."""

from __future__ import annotations

from scanner.sync.client import user_agent
from tests.sync.conftest import Device, Platform


def test_an_upload_tells_the_server_the_doors_version_backlog_and_clock(
    platform: Platform, enrolled: Device
) -> None:
    event = platform.event
    for ticket in event.ticket_ids[:3]:
        assert enrolled.scan(event.codes[ticket]) == "ok"
    assert enrolled.sync().link == "online"
    ((version, waiting, offset),) = platform.query(
        "SELECT app_version, waiting, clock_offset_s FROM devices"
    )
    assert user_agent() == f"door-scanner/{version}" and version
    assert waiting == 0  # all three went in this upload
    assert abs(offset) <= 2  # the same machine's clock, to the second
