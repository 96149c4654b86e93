"""Door controls: which door (check-in list), entry or exit (exit looks different), operator,
a quick mute, and the way to the settings (camera, mirror, hold time, volume)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from scanner.app.door_data import type_names
from scanner.app.preferences import Preferences
from scanner.app.session import DoorSession
from scanner.lang import _


class DoorBar(QWidget):
    direction_changed = Signal(bool)  # True: exit
    operator_changed = Signal(str)
    mute_changed = Signal(bool)
    settings_asked = Signal()

    def __init__(self, session: DoorSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.event_name = QLabel("")  # the event's name: which attendee list this door checks
        self.event_name.setObjectName("eventName")
        self.event_name.setStyleSheet("#eventName { font-weight: bold; }")
        # Shown, not chosen here: name and check-in list change in the settings, on purpose.
        self.door = QLabel("")
        self.door.setObjectName("doorName")
        self.door.setStyleSheet("#doorName { font-weight: bold; }")
        self.admits = QLabel("")  # which ticket types get in here
        self.direction = QPushButton()
        self.direction.setObjectName("directionSwitch")
        self.direction.setCheckable(True)
        self.direction.setToolTip(_("Switch between recording entries and exits (F2)"))
        self.operator = QLineEdit()
        self.operator.setPlaceholderText(_("Operator"))
        self.operator.setMaximumWidth(140)
        self.mute = QCheckBox(_("Mute"))
        self.settings = QPushButton(_("Settings…"))
        self.settings.setToolTip(
            _("Camera, door name and check-in list, hold time, sounds (Ctrl+,)")
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        left: list[QWidget] = [
            self.event_name,
            QLabel(_("Door")),
            self.door,
            self.admits,
            self.direction,
            QLabel(_("Operator")),
        ]
        right: list[QWidget] = [self.mute, self.settings]
        for widget in [*left, self.operator]:
            layout.addWidget(widget)
        layout.addStretch(1)
        for widget in right:
            layout.addWidget(widget)
        self.reload()
        self.direction.toggled.connect(self._direction)
        self.operator.editingFinished.connect(
            lambda: self.operator_changed.emit(self.operator.text())
        )
        self.mute.toggled.connect(self.mute_changed.emit)
        self.settings.clicked.connect(self.settings_asked.emit)

    def reload(self, prefs: Preferences | None = None) -> None:
        """Fill the controls from the session (after start or enrolment), or from `prefs`
        just chosen (the store may not have them yet)."""
        prefs = prefs or self.session.preferences()
        settings = self.session.settings
        self.event_name.setText(self.session.names().event)
        self.event_name.setVisible(bool(self.event_name.text()))
        self.door.setText(settings.door)
        kinds = type_names(self.session, self.session.door_list())
        self.admits.setText(
            _("admits {types}").format(types=", ".join(kinds))
            if kinds
            else _("admits every ticket type")
        )
        self.operator.setText(settings.operator or "")
        self.mute.blockSignals(True)
        self.mute.setChecked(prefs.mute)
        self.mute.blockSignals(False)
        self.direction.blockSignals(True)
        self.direction.setChecked(self.session.exit_mode)
        self.direction.blockSignals(False)
        self._style_direction(self.session.exit_mode)

    def _direction(self, exit_mode: bool) -> None:
        self._style_direction(exit_mode)
        self.direction_changed.emit(exit_mode)

    def _style_direction(self, exit_mode: bool) -> None:
        self.direction.setText(_("◀ EXIT mode") if exit_mode else _("ENTRY mode ▶"))
        # A border of its own: in exit mode the window around it is the exit colour too, and
        # the switch must still read as a button.
        colour, edge = ("#5b2a86", "#ffffff") if exit_mode else ("#1b5e20", "#0b2e0e")
        self.direction.setStyleSheet(
            f"#directionSwitch {{ background: {colour}; color: white; font-weight: bold;"
            f" padding: 4px 12px; border-radius: 6px; border: 2px solid {edge}; }}"
        )
