"""Pushed, not polled: a door hears another door's admission through a long-poll on the changes
feed, falls back to the poll when a proxy cuts held connections or the server is older, and
picks up again after a server restart (docs/sync.md). Conditions are waited for, never times."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from scanner.sync.service import SyncService
from scanner.sync.watch import RETRY_PUSH_S, ChangeWatch, Heard, default_waiter
from server_stub.testing import live_server, seed_event, sqlite_url
from tests.conditions import until
from tests.store_jobs import read_sql
from tests.sync.conftest import Device, Platform

ALREADY = "already_checked_in"


def knows(device: Device, entry_id: str) -> bool:
    """The door holds another door's passage (it would refuse that ticket now)."""
    sql = "SELECT 1 FROM remote_passages WHERE entry_id = ?"
    return bool(read_sql(device.store, sql, entry_id))


def admit(device: Device, code: str) -> str:
    """Admit a code at `device` and upload it at once (as a door does after each scan)."""
    result = device.door.check(code, source="test")
    assert str(result.verdict.reason) == "ok"
    device.sync()
    return result.entry_id


@pytest.fixture
def doors(platform: Platform, make_device: Any) -> tuple[Device, Device]:
    """north talks through the fault proxy; south straight to the server."""
    north, south = make_device("north"), make_device("south")
    north.enroll(platform.proxy.url, platform.event.enrollment_code("north"))
    south.enroll(platform.server.url, platform.event.enrollment_code("south"))
    return north, south


@pytest.fixture
def watch(doors: tuple[Device, Device]) -> Iterator[ChangeWatch]:
    north, _ = doors
    made = ChangeWatch(north.store, north.sync, retry_push_s=RETRY_PUSH_S)
    yield made
    made.stop()


def test_a_waiting_door_hears_an_admission_at_once(
    platform: Platform, doors: tuple[Device, Device], watch: ChangeWatch
) -> None:
    north, south = doors
    code = platform.event.codes[platform.event.ticket_ids[0]]
    with ThreadPoolExecutor(1) as pool:
        heard = pool.submit(watch.step)
        until(lambda: platform.server.signal.waiting() == 1, "north's long-poll is held")
        entry = admit(south, code)
        assert heard.result(timeout=60) == (Heard.CHANGED, 0.0)
    assert knows(north, entry) and watch.live
    assert north.scan(code) == ALREADY  # the screenshot at the next door is refused


def test_a_proxy_that_cuts_held_connections_leaves_the_poll(
    platform: Platform, doors: tuple[Device, Device], watch: ChangeWatch
) -> None:
    north, south = doors
    platform.proxy.set("cut_held", path="wait=", slow_s=0.2)
    heard = [watch.step() for _ in range(3)]
    assert [h for h, _ in heard] == [Heard.CUT] * 3 and not watch.live
    assert heard[-1][1] == RETRY_PUSH_S  # the poll alone, for a while; then it tries again
    entry = admit(south, platform.event.codes[platform.event.ticket_ids[1]])
    north.sync()  # the poll still delivers (through the same proxy)
    assert knows(north, entry)
    platform.proxy.set("pass")
    with ThreadPoolExecutor(1) as pool:  # tried again later, it holds and hears
        again = pool.submit(watch.step)
        until(lambda: platform.server.signal.waiting() == 1, "the long-poll is held again")
        admit(south, platform.event.codes[platform.event.ticket_ids[2]])
        assert again.result(timeout=60)[0] is Heard.CHANGED and watch.live


def test_a_server_without_long_polls_is_polled(
    platform: Platform, doors: tuple[Device, Device], watch: ChangeWatch
) -> None:
    north, south = doors
    platform.proxy.set("old_server")  # answers at once, without Changes-Wait
    assert watch.step() == (Heard.OLD_SERVER, RETRY_PUSH_S) and not watch.live
    entry = admit(south, platform.event.codes[platform.event.ticket_ids[3]])
    assert watch.step()[0] is Heard.OLD_SERVER and knows(north, entry)  # pulled, all the same


def test_the_sync_thread_falls_back_to_the_poll_and_returns_to_push(
    platform: Platform, doors: tuple[Device, Device]
) -> None:
    """The threads as the door runs them: every long-poll cut, the 2 s poll still brings the
    admission; once the proxy lets them through, pushed ones arrive again."""
    north, south = doors
    platform.proxy.set("cut_held", path="wait=", slow_s=0.2)
    service = SyncService(north.syncer, poll_s=0.2, push=default_waiter)
    assert service.watch is not None
    service.watch.retry_push_s = 0.5
    service.start()
    try:
        until(lambda: service.watch is not None and service.watch.cuts >= 1, "a long-poll cut")
        entry = admit(south, platform.event.codes[platform.event.ticket_ids[4]])
        until(lambda: knows(north, entry), "north polls the admission in")
        platform.proxy.set("pass")
        until(lambda: platform.server.signal.waiting() == 1, "north's long-poll is held again")
        entry = admit(south, platform.event.codes[platform.event.ticket_ids[5]])
        until(lambda: knows(north, entry), "north hears the admission")
    finally:
        assert service.stop()


def test_a_server_restart_while_waiting(tmp_path: Path, make_device: Any) -> None:
    """The server stops under a held long-poll and comes back at the same address: the door
    listens again, and hears the next admission pushed (its poll is ten minutes here)."""
    url = sqlite_url(tmp_path)
    event = seed_event(url)
    north, south = make_device("north"), make_device("south")
    with ExitStack() as running:
        server = running.enter_context(live_server(url))
        port = int(server.url.rsplit(":", 1)[1])
        north.enroll(server.url, event.enrollment_code("north"))
        south.enroll(server.url, event.enrollment_code("south"))
        service = SyncService(north.syncer, poll_s=600, push=default_waiter)
        service.start()
        try:
            until(lambda: server.signal.waiting() == 1, "north's long-poll is held")
            running.close()  # the server stops under it
            with live_server(url, port=port) as again:
                until(lambda: again.signal.waiting() == 1, "north's long-poll is held again")
                entry = admit(south, event.codes[event.ticket_ids[0]])
                until(lambda: knows(north, entry), "north hears the admission")
        finally:
            assert service.stop()
