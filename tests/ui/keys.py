"""Key presses as the platform delivers them: each event carries the time its key was pressed
(QKeyEvent.timestamp, in milliseconds), whenever the program gets round to handling it.

`bunched=True` posts every event before any is handled, as a GUI thread held up by a repaint
finds them queued: their handling is a blink apart, their own times keep the typist's pace.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

NAMED = {"Enter": Qt.Key.Key_Return, "Tab": Qt.Key.Key_Tab, "Backspace": Qt.Key.Key_Backspace}


def key_events(key: str, at_ms: int) -> list[QKeyEvent]:
    """Press and release of one key ("a", "A", "." or a name in NAMED) at `at_ms`."""
    if key in NAMED:
        code, text = NAMED[key], "\r" if key == "Enter" else ("\t" if key == "Tab" else "\b")
    else:
        code, text = (Qt.Key(ord(key.upper())) if key.isascii() else Qt.Key.Key_unknown), key
    shift = key.isalpha() and key.isupper()
    modifiers = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    events = []
    for kind, at in ((QEvent.Type.KeyPress, at_ms), (QEvent.Type.KeyRelease, at_ms + 1)):
        event = QKeyEvent(kind, code, modifiers, text)
        event.setTimestamp(at)
        events.append(event)
    return events


def paced(text: str, gaps_ms: Iterable[int], start_ms: int = 1_000_000) -> list[tuple[str, int]]:
    """(key, time) for each character of `text`; `gaps_ms` gives the pause before each
    key after the first (cycled), e.g. [45, 85, 60]."""
    gaps = list(gaps_ms)
    timed, at = [], start_ms
    for index, key in enumerate(text):
        if index:
            at += gaps[(index - 1) % len(gaps)]
        timed.append((key, at))
    return timed


def then(timed: list[tuple[str, int]], key: str, gap_ms: int) -> list[tuple[str, int]]:
    return [*timed, (key, timed[-1][1] + gap_ms)]


def send_keys(timed: list[tuple[str, int]], bunched: bool = False) -> None:
    """Deliver each key to whichever widget has focus when it comes (as the platform does)."""
    for key, at in timed:
        for event in key_events(key, at):
            target = QApplication.focusWidget() or QApplication.activeWindow()
            assert isinstance(target, QWidget), "nothing has the keyboard focus"
            if bunched:
                QCoreApplication.postEvent(target, event)
            else:
                QCoreApplication.sendEvent(target, event)
    if bunched:
        QCoreApplication.processEvents()
