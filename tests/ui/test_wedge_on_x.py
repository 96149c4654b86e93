"""Black box (issue 24): the door window on Xvfb, keys pressed through the X server's XTEST
extension, so each carries the server's own time, as a USB keyboard's or scanner's would. The
X server spaces them (XTestFakeKeyEvent's delay), however busy this machine is."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scanner.app.demo import DemoEvent
from scanner.checkin.reasons import TicketStatus
from scanner.store.store import Store
from tests.store_jobs import read_sql
from tests.ui.x_server import x_display

ROOT = Path(__file__).resolve().parents[2]
XVFB = shutil.which("Xvfb")
XTST = ctypes.util.find_library("Xtst")
X11 = ctypes.util.find_library("X11")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (XVFB and XTST and X11), reason="needs Xvfb, libX11 and libXtst"),
]
__all__ = ["x_display"]  # the fixture
SYMBOLS = {".": "period", ",": "comma", ":": "colon", " ": "space", "\n": "Return"}


class XKeyboard:
    """Key presses through XTEST: each press `delay_ms` after the one before, in server time."""

    def __init__(self, display: str) -> None:
        self.x11 = ctypes.cdll.LoadLibrary(X11 or "")
        self.xtst = ctypes.cdll.LoadLibrary(XTST or "")
        self.x11.XOpenDisplay.restype = ctypes.c_void_p
        self.x11.XStringToKeysym.restype = ctypes.c_ulong
        self.x11.XKeysymToKeycode.restype = ctypes.c_ubyte
        self.x11.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        self.x11.XFlush.argtypes = [ctypes.c_void_p]
        self.x11.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
        self.x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self.xtst.XTestFakeKeyEvent.argtypes = [
            ctypes.c_void_p,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_ulong,
        ]
        self.display = self.x11.XOpenDisplay(display.encode())
        assert self.display, f"cannot open display {display}"
        self.shift = self._code("Shift_L")

    def _code(self, name: str) -> int:
        code = int(self.x11.XKeysymToKeycode(self.display, self.x11.XStringToKeysym(name.encode())))
        assert code, f"no key for {name!r}"
        return code

    def type(self, text: str, delay_ms: int, first_delay_ms: int = 0) -> None:
        delay = first_delay_ms
        for char in text:
            shifted = char.isupper() or char in ':"{}'
            code = self._code(SYMBOLS.get(char, char.lower() if char.isalpha() else char))
            if shifted:
                self.xtst.XTestFakeKeyEvent(self.display, self.shift, 1, delay)
                delay = 0
            self.xtst.XTestFakeKeyEvent(self.display, code, 1, delay)
            self.xtst.XTestFakeKeyEvent(self.display, code, 0, 0)
            if shifted:
                self.xtst.XTestFakeKeyEvent(self.display, self.shift, 0, 0)
            delay = delay_ms
        self.x11.XSync(self.display, 0)  # returns when the server has played them all

    def close(self) -> None:
        self.x11.XCloseDisplay(self.display)


def tk1_codes(event: DemoEvent, count: int) -> list[str]:
    rows = [
        r
        for r in event.rows
        if r.status is TicketStatus.VALID and r.ticket_type == "ga" and not r.flags
    ]
    return [event.codes[r.ticket_id] for r in rows if event.codes[r.ticket_id].startswith("TK1")][
        :count
    ]


def journal(data_dir: Path) -> list[tuple[str, str, str]]:
    store = Store(data_dir, synchronous=True)
    try:
        rows = read_sql(store, "SELECT source, outcome, reason FROM journal ORDER BY seq")
    finally:
        store.close()
    return [tuple(r) for r in rows]


def test_typing_is_never_a_scan_and_a_double_read_admits_once_on_a_real_x_server(
    x_display: str, data_dir: Path, demo_event: DemoEvent, tmp_path: Path
) -> None:
    stop = tmp_path / "stop"
    env = {**os.environ, "DISPLAY": x_display, "QT_QPA_PLATFORM": "xcb"}
    errors = tmp_path / "door.log"
    admitted = [("wedge", "admitted", "ok")] * 2
    with (
        errors.open("w") as log,
        subprocess.Popen(
            [sys.executable, "-m", "tests.ui.xvfb_door", str(data_dir), str(stop)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        ) as door,
    ):
        type_at_the_door(door, errors, x_display, demo_event, data_dir, stop, admitted)
    assert journal(data_dir) == admitted


def type_at_the_door(
    door: subprocess.Popen[str],
    errors: Path,
    x_display: str,
    demo_event: DemoEvent,
    data_dir: Path,
    stop: Path,
    admitted: list[tuple[str, str, str]],
) -> None:
    try:
        assert door.stdout is not None
        line = door.stdout.readline()  # blocks until the window is up, with the focus
        assert line.strip() == "ready", errors.read_text()
        keys = XKeyboard(x_display)
        try:
            keys.type("ana smith", 45)  # a person, into the search box, no Enter
            keys.type("wrong person\n", 60, first_delay_ms=400)  # ...and with Enter
            keys.type("ada lovelace\n", 45, first_delay_ms=400)
            first, second = tk1_codes(demo_event, 2)
            keys.type(first + "\n", 3, first_delay_ms=400)  # a hand scanner: 3 ms a key
            keys.type(first + "\n", 3, first_delay_ms=800)  # its double read, 0.8 s later
            keys.type(second + "\n", 3, first_delay_ms=1500)  # the next guest
        finally:
            keys.close()
        deadline = time.monotonic() + 60
        while journal(data_dir) != admitted and time.monotonic() < deadline:
            time.sleep(0.1)  # the door works at its own pace: wait for its journal
    finally:
        stop.touch()
        door.wait(60)
