"""Asking staff why (an undo, an admission by hand), and for the lead PIN where one is set.

Window-modal and never blocking: scans go on while it is open, and the window acts when the
answer is given (`answered`). OK with an empty reason, or a wrong PIN, keeps the dialog open
with a line saying what is missing: staff type on instead of starting again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from scanner.lang import _

# Checks a PIN: None when it opens the way, else what to tell staff (and whether to give up).
PinCheck = Callable[[str], tuple[str | None, bool]]


class ReasonDialog(QDialog):
    answered = Signal(str)  # the reason given (stripped, never empty)

    def __init__(
        self,
        title: str,
        question: str,
        parent: QWidget | None = None,
        *,
        default: str = "",
        check_pin: PinCheck | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("reasonDialog")
        self.check_pin = check_pin
        self.question = QLabel(question)
        self.question.setWordWrap(True)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText(_("Staff only: the lead PIN"))
        self.reason = QLineEdit(default)
        self.reason.setPlaceholderText(_("Say why, in a few words"))
        self.reason.selectAll()
        self.message = QLabel("")
        self.message.setObjectName("reasonMessage")
        self.message.setStyleSheet("#reasonMessage { color: #a11a1a; font-weight: bold; }")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        if check_pin is not None:
            form.addRow(_("Lead PIN"), self.pin)
        form.addRow(_("Reason"), self.reason)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(460, self.sizeHint().height())
        (self.pin if check_pin is not None else self.reason).setFocus()

    def accept(self) -> None:
        if self.check_pin is not None and not self._pin_opens():
            return
        why = self.reason.text().strip()
        if not why:
            self.message.setText(_("Say why first: the reason is kept in the journal."))
            self.reason.setFocus()
            return
        self.answered.emit(why)
        super().accept()

    def _pin_opens(self) -> bool:
        assert self.check_pin is not None
        problem, give_up = self.check_pin(self.pin.text())
        if problem is None:
            self.check_pin = None  # once is enough: a missing reason does not ask again
            self.pin.setEnabled(False)
            return True
        self.message.setText(problem)
        self.pin.clear()
        self.pin.setFocus()
        if give_up:
            self.reject()
        return False
