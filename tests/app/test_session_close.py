"""Closing a door whose sync cycle is stuck (a server that stopped answering mid-request)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scanner.app.session import DoorSession
from scanner.sync.client import ApiClient
from server_stub.testing import free_port, live_server, seed_event, sqlite_url


class GatedClient:
    """The real API client, whose calls wait at a gate once `hold` is set (a request that
    hangs); `entered` says a call is waiting there."""

    hold = threading.Event()
    gate = threading.Event()
    entered = threading.Event()

    def __init__(self, url: str, token: str | None) -> None:
        self._client = ApiClient(url, token)

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._client, name)
        if not callable(attribute) or name == "close":
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            if self.hold.is_set():
                self.entered.set()
                self.gate.wait(60)
            return attribute(*args, **kwargs)

        return call


@pytest.fixture
def server_url(tmp_path: Path) -> Iterator[tuple[str, str]]:
    url = sqlite_url(tmp_path)
    event = seed_event(url, tickets_per_type=5, ticket_types=("ga",))
    with live_server(url, port=free_port()) as server:
        yield server.url, event.enrollment_code("north")


def test_a_door_closed_while_sync_hangs_keeps_its_store_for_that_cycle(
    tmp_path: Path, server_url: tuple[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    GatedClient.hold.clear(), GatedClient.gate.clear(), GatedClient.entered.clear()
    session = DoorSession(tmp_path / "door", client_factory=GatedClient)  # type: ignore[arg-type]
    session.setup.enroll(*server_url).result(timeout=60)
    GatedClient.hold.set()
    session.start()
    assert GatedClient.entered.wait(30), "the sync cycle never reached the server"
    thread = session.sync._thread
    caplog.set_level(logging.WARNING)
    session.close(sync_timeout=0.2)  # the cycle is stuck: the store must stay open for it
    assert "sync did not stop" in caplog.text
    GatedClient.gate.set()  # the server answers at last
    assert thread is not None
    thread.join(30)
    assert not thread.is_alive()
    assert session.sync_state.link == "online"  # the cycle ended well on an open store
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    # and the file was closed after it: the writer thread is gone (the fixture checks)
