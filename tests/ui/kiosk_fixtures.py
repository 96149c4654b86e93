"""The kiosk's test fixtures: a kiosk on a real store with a lead PIN and a stepped clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from scanner.app.clock import FixedClock
from scanner.app.kiosk import KioskSettings
from scanner.app.session import DoorSession
from scanner.lang import set_language
from scanner.ui.kiosk_window import KioskWindow
from tests.ui.conftest import QuietSounds

PIN = "4711"
MakeKiosk = Callable[..., KioskWindow]


class Ticking:
    """A monotonic clock that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def step(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def ticking() -> Ticking:
    return Ticking()


@pytest.fixture
def kiosk_session(data_dir: Path, clock: FixedClock) -> DoorSession:
    session = DoorSession(data_dir, door="Main entrance", clock=clock, synchronous=True)
    session.set_lead_pin(PIN)
    return session


@pytest.fixture
def make_kiosk(qtbot: QtBot, tmp_path: Path, ticking: Ticking) -> Iterator[MakeKiosk]:
    made: list[tuple[KioskWindow, DoorSession]] = []

    def make(
        session: DoorSession,
        settings: KioskSettings | None = None,
        size: tuple[int, int] = (1280, 720),
        expects_camera: bool = False,
    ) -> KioskWindow:
        guard = session.pin_guard(clock=ticking)
        window = KioskWindow(
            session,
            guard,
            settings or KioskSettings(),
            clock=ticking,
            expects_camera=expects_camera,
            sounds=QuietSounds(tmp_path / "sounds"),
        )
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        made.append((window, session))
        return window

    yield make
    for window, session in made:
        window.leave()
        session.close()
    set_language("en")
