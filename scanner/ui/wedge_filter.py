"""Hand scanners anywhere in the application: an application-wide key filter.

Every printable key press is held back for a moment and fed to the session's wedge assembler.
When the keys turn out to be a scan (a fast burst ended by Enter/Tab, or by silence for
scanners without a suffix) they are swallowed and the scan submitted, whatever widget or
dialog has focus; when no scan completes within the burst gap, the held keys are replayed to
the widget they were meant for. So a scan never lands in the search box, and a person typing
(far slower than a scanner) is never taken for one: their keys arrive a few milliseconds late.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from scanner.app.session import DoorSession

TERMINATORS = {Qt.Key.Key_Return: "Enter", Qt.Key.Key_Enter: "Enter", Qt.Key.Key_Tab: "Tab"}


class WedgeFilter(QObject):
    def __init__(
        self,
        session: DoorSession,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.clock = clock
        # Where a finished scan goes instead of the door (e.g. the enrolment wizard's code).
        self.capture: Callable[[str], None] | None = None
        self._held: list[tuple[QObject, QKeyEvent]] = []
        self._replaying = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(1, int(session.wedge.max_gap_s * 1000)))
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
        name = TERMINATORS.get(Qt.Key(key_event.key()))
        text = key_event.text()
        now = self.clock()
        if name is not None:
            if self._feed(name, now):
                return True
            self._replay()
            return False
        if len(text) != 1 or not text.isprintable():
            return False
        self._held.append((target, QKeyEvent(key_event)))
        if self._feed(text, now):
            return True
        self._timer.start()
        return True

    def _feed(self, key: str, now: float) -> bool:
        capture = self.capture
        if capture is not None:
            scan = self.session.wedge.feed(key, now)
            if scan is None:
                return False
            self._held.clear()
            capture(scan.text)
            return True
        if self.session.feed_key(key, now):
            self._held.clear()
            self.scans += 1
            return True
        return False

    def _quiet(self) -> None:
        """No key for a burst gap: a scanner without suffix has finished, or a person typed."""
        if self.capture is None and self.session.poll_wedge(self.clock() + 1.0):
            self._held.clear()
            self.scans += 1
            return
        self._replay()

    def _replay(self) -> None:
        held, self._held = self._held, []
        self._replaying = True
        try:
            for target, event in held:
                QCoreApplication.sendEvent(target, event)
        finally:
            self._replaying = False
