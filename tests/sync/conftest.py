"""Sync tests run against the real companion API (uvicorn on 127.0.0.1), through a fault proxy."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from scanner.app.clock import SystemClock
from scanner.app.door import Door, door_settings
from scanner.store.store import Store
from scanner.sync.client import ApiClient
from scanner.sync.engine import Syncer
from scanner.sync.enrolment import enroll
from scanner.sync.state import SyncState
from server_stub.testing import LiveServer, SeededEvent, live_server, seed_event, sqlite_url
from tests.server_rows import server_rows
from tests.store_jobs import read_sql
from tests.sync.faultproxy import FaultProxy

# generous: a loaded CI machine must not turn a healthy answer into a timeout (the "slow" fault
# waits past it on purpose)
TIMEOUT = httpx.Timeout(8.0, connect=5.0)


def short_timeout_client(server_url: str, token: str | None) -> ApiClient:
    return ApiClient(server_url, token, timeout=TIMEOUT)


@dataclass
class Device:
    """One door: its own data directory, store, door and syncer."""

    directory: Path
    store: Store
    syncer: Syncer
    door: Door = field(init=False)

    def __post_init__(self) -> None:
        self.door = Door(self.store, door_settings(self.store, None))

    def enroll(self, url: str, code: str) -> SyncState:
        state = enroll(
            self.store, url, code, SystemClock().now, client_factory=short_timeout_client
        )
        self.door = Door(self.store, door_settings(self.store, None))  # the enrolled door's name
        return state

    def scan(self, code: str) -> str:
        return str(self.door.check(code, source="test").verdict.reason)

    def sync(self) -> SyncState:
        return self.syncer.run_once()

    def journal(self, sql: str = "SELECT id, upload_state FROM journal ORDER BY seq") -> list[Any]:
        return read_sql(self.store, sql)


@dataclass
class Platform:
    server: LiveServer
    event: SeededEvent
    proxy: FaultProxy

    def query(self, sql: str, **params: object) -> list[Any]:
        return server_rows(self.server.database_url, sql, **params)

    def entries_per_id(self) -> dict[str, int]:
        rows = self.query("SELECT entry_id, COUNT(*) FROM checkins GROUP BY entry_id")
        return {str(entry): int(count) for entry, count in rows}


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[Platform]:
    url = sqlite_url(tmp_path)
    event = seed_event(url, tickets_per_type=10, ticket_types=("ga", "vip"))
    with live_server(url) as server:
        port = int(server.url.rsplit(":", 1)[1])
        proxy = FaultProxy(port)
        try:
            yield Platform(server, event, proxy)
        finally:
            proxy.close()


@pytest.fixture
def make_device(tmp_path: Path) -> Iterator[Any]:
    made: list[Device] = []

    def make(name: str = "door") -> Device:
        store = Store(tmp_path / name, synchronous=True)
        made.append(
            Device(tmp_path / name, store, Syncer(store, SystemClock().now, short_timeout_client))
        )
        return made[-1]

    yield make
    for device in made:
        device.syncer.close()  # its kept connection (straight to the server, not the proxy)
        device.store.close()


@pytest.fixture
def enrolled(platform: Platform, make_device: Any) -> Device:
    device: Device = make_device()
    state = device.enroll(platform.proxy.url, platform.event.enrollment_code("north"))
    assert state.link == "online", state
    return device
