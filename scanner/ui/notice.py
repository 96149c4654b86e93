"""The line under the door window for what staff should know now: a failure, a report written.

A message never outlives its truth: it goes when the thing it is about comes right (a task
that failed works the next time, the undo that lacked a reason is done) or, for news, after a
few seconds. Only a lasting condition (no audio output) stays.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

NOTICE_S = 8.0


class Notice(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setObjectName("notice")
        self.hold_s = NOTICE_S
        self.topic: str | None = None  # what the shown message is about
        self._lasting: tuple[str, str] | None = None  # (topic, text) shown when nothing else is
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._expire)

    def say(self, text: str, topic: str = "", lasting: bool = False) -> None:
        """Show `text` about `topic`: for a few seconds, or (`lasting`) until `settle(topic)`."""
        if lasting:
            self._lasting = (topic, text)
            self._timer.stop()
        else:
            self._timer.start(int(self.hold_s * 1000))
        self.topic = topic
        self.setText(text)

    def settle(self, topic: str) -> None:
        """The thing `topic` was about came right: its message goes."""
        if self._lasting is not None and self._lasting[0] == topic:
            self._lasting = None
        if self.topic == topic:
            self._timer.stop()
            self._expire()

    def _expire(self) -> None:
        topic, text = self._lasting or (None, "")
        self.topic = topic
        self.setText(text)
