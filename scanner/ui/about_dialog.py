"""Help → About: which build this is, which schema the data file has (and the newest this build
knows), this device, where its data lives, and the Qt and Python underneath. Technicians read it
out on the phone, so every line can be selected and copied."""

from __future__ import annotations

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from scanner.app.about import About
from scanner.app.session import DoorSession
from scanner.lang import N_, _

FROM_SOURCE = N_("from source")  # About.build when not a packaged build


def schema_words(info: About) -> str:
    if info.schema_problem is not None:
        return _("unreadable: {problem}").format(problem=info.schema_problem)
    if info.schema_file is None:
        return _("no data file yet (this build writes {build})").format(build=info.schema_build)
    if info.schema_current:
        return _("{revision} (the newest this build knows)").format(revision=info.schema_file)
    return _("{revision} (this build knows up to {build})").format(
        revision=info.schema_file, build=info.schema_build
    )


class AboutDialog(QDialog):
    def __init__(self, session: DoorSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.info = session.about()
        self.setWindowTitle(_("About door scanner"))
        info = self.info
        device = info.device_id + (f" ({info.device_name})" if info.device_name else "")
        self.rows: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, label, value in (
            ("version", _("Version"), f"{info.version} ({_(info.build)})"),
            ("schema", _("Data schema"), schema_words(info)),
            ("device", _("Device"), device),
            ("data", _("Data folder"), str(info.data_folder)),
            ("qt", _("Qt"), f"{qVersion()} (PySide6 {PySide6.__version__})"),
            ("python", _("Python"), info.python),
        ):
            shown = QLabel(value)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setWordWrap(True)
            self.rows[key] = shown
            form.addRow(label, shown)
        title = QLabel(_("Door scanner"))
        title.setStyleSheet("font-size: 18pt; font-weight: bold;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)
        self.adjustSize()

    def text(self) -> str:
        """Everything shown, one line a row (tests, and for copying)."""
        return "\n".join(label.text() for label in self.rows.values())
