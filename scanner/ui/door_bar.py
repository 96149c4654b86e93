"""Door controls: which door (check-in list), entry or exit (exit looks different), operator,
sound, mirror and hold time."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QWidget,
)

from scanner.app.door_data import door_choices
from scanner.app.preferences import Preferences
from scanner.app.session import DoorSession
from scanner.lang import _


class DoorBar(QWidget):
    direction_changed = Signal(bool)  # True: exit
    door_changed = Signal(str)
    operator_changed = Signal(str)
    mirror_changed = Signal(bool)
    mute_changed = Signal(bool)
    volume_changed = Signal(float)
    hold_changed = Signal(float)

    def __init__(self, session: DoorSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.door = QComboBox()
        self.door.setEditable(True)
        self.door.setToolTip(_("Door / check-in list"))
        self.direction = QPushButton()
        self.direction.setObjectName("directionSwitch")
        self.direction.setCheckable(True)
        self.direction.setToolTip(_("Switch between recording entries and exits (F2)"))
        self.operator = QLineEdit()
        self.operator.setPlaceholderText(_("Operator"))
        self.operator.setMaximumWidth(140)
        self.mute = QCheckBox(_("Mute"))
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(0, 100)
        self.volume.setMaximumWidth(90)
        self.mirror = QCheckBox(_("Mirror"))
        self.hold = QDoubleSpinBox()
        self.hold.setRange(1.0, 60.0)
        self.hold.setSuffix(" s")
        self.hold.setToolTip(_("How long a verdict stays before Ready"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        left: list[QWidget] = [QLabel(_("Door")), self.door, self.direction, QLabel(_("Operator"))]
        right: list[QWidget] = [self.mirror, self.mute, self.volume, QLabel(_("Hold")), self.hold]
        for widget in [*left, self.operator]:
            layout.addWidget(widget)
        layout.addStretch(1)
        for widget in right:
            layout.addWidget(widget)
        self.reload()
        self.direction.toggled.connect(self._direction)
        self.door.activated.connect(lambda _i: self.door_changed.emit(self.door.currentText()))
        typed = self.door.lineEdit()
        if typed is not None:
            typed.editingFinished.connect(lambda: self.door_changed.emit(self.door.currentText()))
        self.operator.editingFinished.connect(
            lambda: self.operator_changed.emit(self.operator.text())
        )
        self.mirror.toggled.connect(self.mirror_changed.emit)
        self.mute.toggled.connect(self.mute_changed.emit)
        self.volume.valueChanged.connect(lambda v: self.volume_changed.emit(v / 100))
        self.hold.valueChanged.connect(self.hold_changed.emit)

    def reload(self, prefs: Preferences | None = None) -> None:
        """Fill the controls from the session (after start or enrolment), or from `prefs`
        just chosen (the store may not have them yet)."""
        prefs = prefs or self.session.preferences()
        settings = self.session.settings
        self.door.blockSignals(True)
        self.door.clear()
        self.door.addItems(door_choices(self.session))
        self.door.setCurrentText(settings.door)
        self.door.blockSignals(False)
        self.operator.setText(settings.operator or "")
        for widget, value in (
            (self.mirror, prefs.mirror),
            (self.mute, prefs.mute),
        ):
            widget.blockSignals(True)
            widget.setChecked(value)
            widget.blockSignals(False)
        self.volume.blockSignals(True)
        self.volume.setValue(int(prefs.volume * 100))
        self.volume.blockSignals(False)
        self.hold.blockSignals(True)
        self.hold.setValue(prefs.hold_s)
        self.hold.blockSignals(False)
        self.direction.blockSignals(True)
        self.direction.setChecked(self.session.exit_mode)
        self.direction.blockSignals(False)
        self._style_direction(self.session.exit_mode)

    def _direction(self, exit_mode: bool) -> None:
        self._style_direction(exit_mode)
        self.direction_changed.emit(exit_mode)

    def _style_direction(self, exit_mode: bool) -> None:
        self.direction.setText(_("◀ EXIT mode") if exit_mode else _("ENTRY mode ▶"))
        colour = "#5b2a86" if exit_mode else "#1b5e20"
        self.direction.setStyleSheet(
            f"#directionSwitch {{ background: {colour}; color: white; font-weight: bold;"
            " padding: 6px 14px; border-radius: 6px; }"
        )
