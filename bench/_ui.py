"""Shared by the door-window benchmarks: a Qt application, a window on a session, and a way to
run the GUI event loop for a while."""

from __future__ import annotations

import dataclasses
import os
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from scanner.app.session import DoorSession
from scanner.ui.door_window import DoorWindow


def application() -> QApplication:
    app = QApplication.instance()
    return app if isinstance(app, QApplication) else QApplication([])


def window_for(session: DoorSession, size: tuple[int, int] = (1280, 720)) -> DoorWindow:
    window = DoorWindow(session)
    # Nobody answers "close this door?" here: without this, app.quit() is refused by the
    # window's close question and the benchmark's event loop never ends.
    window.ask_before_closing = False
    window.resize(*size)
    window.show()
    return window


def run_for(seconds: float, until: object = None) -> None:
    """Run the GUI event loop, as the app does, for `seconds` (or until `until()` is true,
    checked every 20 ms)."""
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    check = QTimer()
    if callable(until):
        check.setInterval(20)
        check.timeout.connect(lambda: until() and loop.quit())
        check.start()
    loop.exec()
    check.stop()


def finish(window: DoorWindow, session: DoorSession) -> None:
    """Close the window and session and let Qt delete its objects before Python ends."""
    window.ask_before_closing = False
    window.close()
    window.deleteLater()
    session.close()
    run_for(0.3)


class LoopingVideo:
    """A paced video file played again and again (a camera that never ends)."""

    live = True
    finished = False

    def __init__(self, path: str) -> None:
        from scanner.camera.sources import VideoSource

        self._open = lambda: VideoSource(path, paced=True)
        self._video = self._open()
        self.name = f"loop:{path}"
        self._offset = 0.0  # media time keeps running across loops (repeats are judged by it)
        self._last = 0.0

    def read(self) -> object:
        frame = self._video.read()
        if frame is None and self._video.finished:
            self._video.close()
            self._video = self._open()
            self._offset = self._last + 1 / 30
            frame = self._video.read()
        if frame is None or frame.media_time is None:
            return frame
        self._last = frame.media_time + self._offset
        return dataclasses.replace(frame, media_time=self._last)

    def close(self) -> None:
        self.finished = True
        self._video.close()


class LoopTicks:
    """The GUI event loop's heartbeat: a 5 ms timer; the longest gap between its ticks is the
    longest time the window could not react."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.gaps: list[float] = []
        self._last = time.monotonic()
        self._timer = QTimer()
        self._timer.setInterval(5)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = time.monotonic()
        self.gaps.append(now - self._last)
        self._last = now

    def stop(self) -> None:
        self._timer.stop()
