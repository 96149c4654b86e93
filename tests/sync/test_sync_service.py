"""The sync thread: backoff while failing, Retry-After on 429, clock warnings, stopping."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scanner.sync.backoff import Backoff
from scanner.sync.client import ApiClient
from scanner.sync.engine import Syncer
from scanner.sync.enrolment import enroll
from scanner.sync.service import SyncService
from scanner.sync.state import Link, SyncState
from tests.sync.conftest import Device, Platform, short_timeout_client


def test_backoff_grows_with_jitter_up_to_its_cap_and_resets() -> None:
    backoff = Backoff(base_s=1.0, cap_s=8.0, rng=random.Random(1))
    delays = [backoff.failed() for _ in range(6)]
    ceilings = [1, 2, 4, 8, 8, 8]
    assert all(c / 2 <= d <= c for d, c in zip(delays, ceilings, strict=True))
    backoff.succeeded()
    assert backoff.failed() <= 1.0


def test_429_waits_for_retry_after(platform: Platform, enrolled: Device) -> None:
    enrolled.scan(platform.event.codes[platform.event.ticket_ids[0]])
    platform.proxy.set("error429", path="/checkins")
    service = SyncService(enrolled.syncer, poll_s=0.1)
    state, delay = service.step()
    assert state.link is Link.FAILING and "slow down" in (state.last_error or "")
    assert delay >= 7.0 and state.waiting == 1


def test_a_clock_far_from_the_servers_is_warned_about(platform: Platform, enrolled: Device) -> None:
    skewed = Syncer(
        enrolled.store,
        lambda: datetime.now(UTC) - timedelta(minutes=5),
        short_timeout_client,
    )
    enrolled.scan(platform.event.codes[platform.event.ticket_ids[0]])
    state = skewed.run_once()
    skewed.close()
    assert state.clock_offset_s is not None and 280 < state.clock_offset_s < 320
    assert state.clock_warning is not None and "5 min behind" in state.clock_warning


def test_the_thread_syncs_when_woken_and_stops_cleanly(
    platform: Platform, enrolled: Device
) -> None:
    seen: list[SyncState] = []
    synced = threading.Event()
    service = SyncService(enrolled.syncer, poll_s=30)

    def listener(state: SyncState) -> None:
        seen.append(state)
        if state.waiting == 0 and len(seen) > 1:
            synced.set()

    service.subscribe(listener)
    service.start()
    enrolled.scan(platform.event.codes[platform.event.ticket_ids[0]])
    service.wake()  # a scan was just recorded: no waiting for the 30 s poll
    assert synced.wait(10)
    service.stop()
    assert not service._thread or not service._thread.is_alive()


def test_a_listener_that_raises_does_not_push_sync_into_backoff(
    platform: Platform, enrolled: Device
) -> None:
    service = SyncService(enrolled.syncer, poll_s=0.5, backoff=Backoff(base_s=5.0))

    def broken(state: SyncState) -> None:
        raise RuntimeError("window bug")

    service.subscribe(broken)
    for _ in range(3):
        state, delay = service.step()
        assert state.link is Link.ONLINE and delay == 0.5
    assert service.backoff.failures == 0


class SlowSyncer(Syncer):
    """A cycle stuck in a request until released; records whether close came under it."""

    def __init__(self, device: Device) -> None:
        super().__init__(device.store, lambda: datetime.now(UTC), short_timeout_client)
        self.in_cycle = threading.Event()
        self.release = threading.Event()
        self.busy = False
        self.closed_while_busy = False
        self.closed = threading.Event()

    def run_once(self, progress: object = None) -> SyncState:
        self.busy = True
        self.in_cycle.set()
        self.release.wait()
        self.busy = False
        return super().run_once()

    def close(self) -> None:
        self.closed_while_busy = self.closed_while_busy or self.busy
        self.closed.set()
        super().close()


def test_stop_never_closes_the_client_under_a_running_cycle(enrolled: Device) -> None:
    syncer = SlowSyncer(enrolled)
    service = SyncService(syncer, poll_s=30)
    service.start()
    assert syncer.in_cycle.wait(60)
    assert not service.stop(timeout=0.01)  # the cycle is stuck: no closing under it
    assert not syncer.closed.is_set()
    syncer.release.set()
    assert syncer.closed.wait(60) and not syncer.closed_while_busy


def test_store_and_client_are_context_managers(tmp_path: Path) -> None:
    from scanner.store.store import Store
    from scanner.sync.client import ApiClient

    closed: list[str] = []

    class Watched(Store):
        def close(self) -> None:
            closed.append("store")
            super().close()

    with (
        pytest.raises(RuntimeError, match="boom"),
        Watched(tmp_path / "door", synchronous=True) as store,
        ApiClient("http://x") as c,
    ):
        assert store.unsent_count() == 0  # open and readable
        raise RuntimeError("boom")
    assert closed == ["store"] and c._http.is_closed


def test_enrolment_closes_every_http_client_it_opens(
    platform: Platform, make_device: Callable[[str], Device]
) -> None:
    made: list[ApiClient] = []

    def factory(url: str, token: str | None) -> ApiClient:
        made.append(short_timeout_client(url, token))
        return made[-1]

    device = make_device("closing")
    code = platform.event.enrollment_code("north")
    state = enroll(
        device.store, platform.proxy.url, code, lambda: datetime.now(UTC), client_factory=factory
    )
    assert state.link is Link.ONLINE
    assert len(made) == 2 and all(client._http.is_closed for client in made)
