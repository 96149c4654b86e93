"""Hand scanners anywhere in the application: an application-wide key filter.

Every printable key press is held back for a moment and fed to the session's wedge assembler,
timed by the key event's own timestamp (when the key was pressed), never by when this thread
got round to it: keys queued behind a repaint arrive bunched, and would look like a scanner's.
When the keys turn out to be a scan (a fast burst ended by Enter/Tab, or by silence for
scanners without a suffix) they are swallowed and the scan submitted, whatever widget or
dialog has focus. Held keys the assembler has given up on (a person's pace) go on at once, in
order, to the widget they were meant for; the last one follows after a moment of quiet. So a
scan never lands in the search box, and a person's typing never becomes a scan.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from scanner.app.session import DoorSession

TERMINATORS = {Qt.Key.Key_Return: "Enter", Qt.Key.Key_Enter: "Enter", Qt.Key.Key_Tab: "Tab"}
MODIFIERS = {
    Qt.Key.Key_Shift,
    Qt.Key.Key_Control,
    Qt.Key.Key_Alt,
    Qt.Key.Key_AltGr,
    Qt.Key.Key_Meta,
    Qt.Key.Key_CapsLock,
}
# How long this thread waits without a key before it ends a burst. Longer than any gap within
# a scan: a GUI thread held up for a moment finds the rest of a burst queued, not missing.
QUIET_MS = 120


class WedgeFilter(QObject):
    def __init__(
        self,
        session: DoorSession,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        # For key events that carry no timestamp (made up by a program): when handled.
        self.clock = clock
        # Where a finished scan goes instead of the door (e.g. the enrolment wizard's code).
        self.capture: Callable[[str], None] | None = None
        self._held: list[tuple[QObject, QKeyEvent]] = []
        self._replaying = False
        self._handled = 0  # key presses taken so far (a quiet moment checks for new ones)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(QUIET_MS)
        self._timer.timeout.connect(self._quiet)
        self.scans = 0

    def install(self) -> None:
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def remove(self) -> None:
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, target: QObject, event: QEvent) -> bool:
        if self._replaying or event.type() != QEvent.Type.KeyPress:
            return False
        if not target.isWidgetType() or target is not QApplication.focusWidget():
            # Qt delivers one key press to the focus widget and, unhandled, to its parents:
            # take each press once, where it starts (or the window, when nothing has focus).
            focus = QApplication.focusWidget()
            if focus is not None or not target.isWidgetType():
                return False
        key_event: QKeyEvent = event  # type: ignore[assignment]
        if key_event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        ):
            return False  # shortcuts are never part of a scan
        self._handled += 1
        key = Qt.Key(key_event.key())
        name = TERMINATORS.get(key)
        text = key_event.text()
        at = self._time_of(key_event)
        if name is not None:
            if self._feed(name, at):
                return True
            self._replay()
            return False
        if len(text) != 1 or not text.isprintable():
            if key not in MODIFIERS:  # an arrow, Backspace, Escape: a person, not a scanner
                self.session.wedge.reset()
                self._replay()
            return False
        self._held.append((target, QKeyEvent(key_event)))
        if self._feed(text, at):
            return True
        self._replay(len(self._held) - self.session.wedge.pending)
        self._timer.start()
        return True

    def _time_of(self, event: QKeyEvent) -> float:
        """When the key was pressed, in seconds (the platform's event time)."""
        stamp = event.timestamp()
        return stamp / 1000 if stamp else self.clock()

    def _feed(self, key: str, at: float) -> bool:
        capture = self.capture
        if capture is not None:
            scan = self.session.wedge.feed(key, at)
            if scan is None:
                return False
            self._held.clear()
            capture(scan.text)
            return True
        if self.session.feed_key(key, at):
            self._held.clear()
            self.scans += 1
            return True
        return False

    def _quiet(self) -> None:
        """No key for a while: a scanner without suffix has finished, or a person typed."""
        handled = self._handled
        QCoreApplication.processEvents()  # keys queued behind a busy moment come first
        if self._handled != handled or self._timer.isActive():
            return  # the burst went on: its keys restarted the wait
        if self.capture is None and self.session.end_wedge():
            self._held.clear()
            self.scans += 1
            return
        self.session.wedge.reset()
        self._replay()

    def _replay(self, count: int | None = None) -> None:
        """Send the oldest `count` held keys (all: None) on to the widgets they were for."""
        count = len(self._held) if count is None else max(0, count)
        if not count:
            return
        held, self._held = self._held[:count], self._held[count:]
        self._replaying = True
        try:
            for target, event in held:
                try:
                    QCoreApplication.sendEvent(target, event)
                except RuntimeError:  # a dialog closed meanwhile takes its keys with it
                    continue
        finally:
            self._replaying = False
