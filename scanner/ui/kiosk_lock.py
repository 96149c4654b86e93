"""The kiosk's lock: a PIN pad that staff use to reach the menu or leave the kiosk.

It sits in the kiosk's own screen (never a dialog an attendee could close), shows dots for the
digits, and says how many tries are left or how long the lock lasts. Checking is the
`PinGuard`'s (scanner.app.kiosk): scrypt hash, five wrong tries lock it for a minute.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from scanner.app.kiosk import PIN_DIGITS, PinCheck, PinGuard
from scanner.lang import _

PAD = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "ok")


class PinPad(QWidget):
    accepted = Signal()
    cancelled = Signal()

    def __init__(self, guard: PinGuard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pinPad")
        self.guard = guard
        self.digits = ""
        self.title = QLabel()
        self.title.setObjectName("pinTitle")
        self.dots = QLabel()
        self.dots.setObjectName("pinDots")
        self.message = QLabel()
        self.message.setObjectName("pinMessage")
        self.message.setWordWrap(True)
        self.keys: dict[str, QPushButton] = {}
        self.cancel = QPushButton()
        self.cancel.clicked.connect(self.close_pad)
        self._build()
        self.retranslate()

    def _build(self) -> None:
        grid = QGridLayout()
        for index, key in enumerate(PAD):
            button = QPushButton(key)
            button.setMinimumSize(110, 80)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _checked=False, k=key: self.press(k))
            grid.addWidget(button, index // 3, index % 3)
            self.keys[key] = button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 30, 40, 30)
        for widget in (self.title, self.dots, self.message):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(widget)
        layout.addLayout(grid)
        layout.addWidget(self.cancel)
        self.setStyleSheet(
            "#pinPad { background: #263238; } #pinPad QLabel { color: #eceff1; }"
            "#pinTitle { font-size: 30px; font-weight: bold; } #pinDots { font-size: 40px; }"
            "#pinMessage { font-size: 28px; font-weight: bold; color: #ffcc80; }"  # as the keys
            "#pinPad QPushButton { font-size: 28px; }"
        )

    def retranslate(self) -> None:
        self.title.setText(_("Staff only: enter the lead PIN"))
        self.keys["clear"].setText(_("Clear"))
        self.keys["ok"].setText(_("OK"))
        self.cancel.setText(_("Back to the attendee screen"))

    def open_pad(self, message: str = "") -> None:
        self.digits = ""
        self._show_dots()
        self.message.setText(message)
        self.refresh_lock()

    def press(self, key: str) -> None:
        if key == "clear":
            self.digits = ""
        elif key == "ok":
            self.submit(self.digits)
            return
        elif len(self.digits) < PIN_DIGITS[1]:
            self.digits += key
        self._show_dots()

    def submit(self, pin: str, staff_code: bool = False) -> PinCheck:
        """Check `pin` (typed, or from a staff QR code); `accepted` when it is right."""
        self.digits = ""
        self._show_dots()
        result = self.guard.check(pin)
        if result is PinCheck.OK:
            self.message.setText("")
            self.accepted.emit()
        elif result is PinCheck.WRONG:
            what = _("Staff code not accepted.") if staff_code else _("Wrong PIN.")
            left = _("Tries left: {n}").format(n=self.guard.tries_left)
            self.message.setText(f"{what} {left}")
        elif result is PinCheck.NOT_SET:
            self.message.setText(_("No lead PIN is set: scanner kiosk set-pin"))
        else:
            self.refresh_lock()
        return result

    def refresh_lock(self) -> None:
        """While locked, the pad says for how long and takes no digits."""
        left = self.guard.locked_for()
        for button in self.keys.values():
            button.setEnabled(left <= 0)
        if left > 0:
            text = _("Too many wrong tries: locked for {s} s").format(s=math.ceil(left))
            self.message.setText(text)
        elif self.message.text().startswith(_("Too many wrong tries: locked for {s} s")[:12]):
            self.message.setText("")

    def close_pad(self) -> None:
        self.digits = ""
        self._show_dots()
        self.cancelled.emit()

    def _show_dots(self) -> None:
        self.dots.setText("●" * len(self.digits) or " ")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text.isdigit():
            self.press(text)
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.press("ok")
        elif event.key() == Qt.Key.Key_Backspace:
            self.digits = self.digits[:-1]
            self._show_dots()
        else:
            event.accept()  # Escape and the rest: the kiosk never leaves by a key
