"""The door's clock in the door window, when it needs saying (docs/wrong-clock.md).

A clock the last measurement found wrong beyond the tolerance gets a red line across the window
that stays until a measurement finds it right (no toast: staff must not miss it). A clock never
measured against a server, or measured too long ago, gets a quiet grey note.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from scanner.app.door_clock import ClockReading, ClockState
from scanner.app.session import DoorSession
from scanner.lang import _

REFRESH_MS = 5000  # a measurement also goes stale by itself
WRONG_STYLE = "#clockBanner { background: #b71c1c; color: white; font-weight: bold; padding: 6px; }"
QUIET_STYLE = "#clockBanner { color: #607d8b; }"


def banner_text(reading: ClockReading) -> str:
    """What the window says of the clock ('' when nothing)."""
    minutes, ahead = reading.minutes, reading.ahead
    if reading.wrong and reading.state is ClockState.CORRECTED:
        text = (
            _("This device's clock is {n} min ahead of the server's. The door decides on the "
              "server's time until it is set right: set the date and time.")
            if ahead
            else _("This device's clock is {n} min behind the server's. The door decides on "
                   "the server's time until it is set right: set the date and time.")
        )  # fmt: skip
        return text.format(n=minutes)
    if reading.wrong:
        text = (
            _("This device's clock was {n} min ahead of the server's when last checked and "
              "cannot be corrected now: set the date and time, then sync.")
            if ahead
            else _("This device's clock was {n} min behind the server's when last checked and "
                   "cannot be corrected now: set the date and time, then sync.")
        )  # fmt: skip
        return text.format(n=minutes)
    if reading.state is ClockState.UNMEASURED:
        return _("Clock not checked against a server yet: this door uses its own clock.")
    if reading.state is ClockState.STALE:
        return _("Clock last checked against the server too long ago: this door uses its own.")
    return ""


class ClockBanner(QLabel):
    def __init__(self, session: DoorSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("clockBanner")
        self.setWordWrap(True)
        self.wrong = False
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    def refresh(self) -> None:
        reading = self.session.clock_reading()
        text = banner_text(reading)
        if reading.wrong != self.wrong or not self.styleSheet():
            self.setStyleSheet(WRONG_STYLE if reading.wrong else QUIET_STYLE)
        self.wrong = reading.wrong
        self.setText(text)
        self.setVisible(bool(text))
