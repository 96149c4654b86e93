"""Black box (issue 21, item 8): the kiosk on a real X server, and another program on that
display doing what anyone with the display may (as xdotool would): unmap it, resize it, take
the focus, destroy its window. The kiosk takes the screen and the focus back, and when its window
is gone for good it exits non-zero, for its unit (Restart=always) to start it again."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from scanner.app.session import DoorSession
from scanner.ui.kiosk_main import WINDOW_LOST
from tests.ui.x_server import X11, XVFB, OtherProgram, x_display

__all__ = ["x_display"]  # the fixture
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (XVFB and X11), reason="needs Xvfb and libX11"),
]
ROOT = Path(__file__).resolve().parents[2]
TITLE = "Door scanner kiosk"


def until(what: Callable[[], object], kiosk: subprocess.Popen[str], seconds: float = 60) -> None:
    """Wait on a condition (the kiosk works at its own pace), failing if the kiosk ends."""
    deadline = time.monotonic() + seconds
    while not what():
        assert kiosk.poll() is None, kiosk.communicate()[1]
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        time.sleep(0.05)


@pytest.fixture
def kiosk_on_x(x_display: str, data_dir: Path) -> Iterator[subprocess.Popen[str]]:
    session = DoorSession(data_dir, synchronous=True)
    session.set_lead_pin("4711")
    session.close()
    env = {**os.environ, "DISPLAY": x_display, "QT_QPA_PLATFORM": "xcb"}
    command = [sys.executable, "-m", "scanner", "--data-dir", str(data_dir), "window", "--kiosk"]
    with subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    ) as kiosk:
        try:
            yield kiosk
        finally:
            if kiosk.poll() is None:
                kiosk.terminate()
            kiosk.communicate(timeout=60)


def test_the_kiosk_takes_its_screen_back_and_exits_when_its_window_is_destroyed(
    x_display: str, kiosk_on_x: subprocess.Popen[str]
) -> None:
    other = OtherProgram(x_display)
    try:
        until(lambda: other.find(TITLE), kiosk_on_x)
        window = other.find(TITLE)
        assert window is not None
        until(lambda: other.full_screen(window) and other.focus() == window, kiosk_on_x)

        other.unmap(window)  # xdotool windowunmap
        assert not other.full_screen(window)
        until(lambda: other.full_screen(window) and other.focus() == window, kiosk_on_x)

        other.resize(window, 320, 200)  # xdotool windowsize
        until(lambda: other.full_screen(window), kiosk_on_x)

        other.take_focus()  # another program takes the keyboard
        assert other.focus() != window
        until(lambda: other.focus() == window, kiosk_on_x)

        other.destroy(window)  # xdotool windowclose
        assert kiosk_on_x.wait(60) == WINDOW_LOST
        assert "taken away" in (kiosk_on_x.stderr.read() if kiosk_on_x.stderr else "")
    finally:
        other.close()
