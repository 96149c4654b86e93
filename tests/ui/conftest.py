"""Door window tests: real widgets offscreen, a real store, the real companion API."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from scanner.app.clock import FixedClock
from scanner.app.session import DoorSession
from scanner.ui.door_window import DoorWindow
from scanner.ui.sounds import Sounds
from server_stub.testing import (
    LiveServer,
    SeededEvent,
    free_port,
    live_server,
    seed_event,
    sqlite_url,
)


class QuietSounds(Sounds):
    """Real sound objects, asked for like in production; nothing needs a sound card."""


@pytest.fixture
def make_window(qtbot: QtBot, tmp_path: Path) -> Iterator[Callable[..., DoorWindow]]:
    sessions: list[DoorSession] = []
    windows: list[DoorWindow] = []

    def make(session: DoorSession, size: tuple[int, int] = (1280, 720)) -> DoorWindow:
        sessions.append(session)
        window = DoorWindow(session, QuietSounds(tmp_path / "sounds"))
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.ask_before_closing = False  # a test's end is no door staff's Alt+F4
        window.close()
    for session in sessions:
        session.close()


@pytest.fixture
def door_session(data_dir: Path, clock: FixedClock) -> DoorSession:
    """A synchronous session on the demo event (closed by make_window)."""
    return DoorSession(
        data_dir, door="Main entrance", operator="tester", clock=clock, synchronous=True
    )


@dataclass
class Server:
    """The companion API at a fixed address, which tests stop and start again."""

    database_url: str
    port: int
    event: SeededEvent
    running: AbstractContextManager[LiveServer] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.running = live_server(self.database_url, port=self.port)
        self.running.__enter__()

    def stop(self) -> None:
        if self.running is not None:
            self.running.__exit__(None, None, None)
            self.running = None


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    url = sqlite_url(tmp_path)
    event = seed_event(url, tickets_per_type=10, ticket_types=("ga", "vip"))
    running = Server(url, free_port(), event)
    running.start()
    yield running
    running.stop()


def enrolled_session(
    server: Server, folder: Path, door: str, name: str | None = None, **options: Any
) -> DoorSession:
    session = DoorSession(folder, synchronous=True, **options)
    state = session.setup.enroll(server.url, server.event.enrollment_code(door), name).result()
    assert state.link == "online", state
    return session
