"""Settings: camera (the attached ones, with a live preview), resolution, mirror, how long a
verdict stays, sounds, door and operator. OK keeps them in the store and puts them to work;
Cancel leaves everything as it was, the running camera included (the preview never touches it).
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from scanner.app import settings_change
from scanner.app.camera_choice import RESOLUTIONS, CameraKind, CameraOption
from scanner.app.camera_feed import PreviewFrame
from scanner.app.camera_preview import CameraPreview
from scanner.app.door_data import list_choices, type_names
from scanner.app.events import CameraState
from scanner.app.preferences import Preferences
from scanner.app.session import DoorSession
from scanner.lang import _
from scanner.ui.camera_view import CameraView
from scanner.ui.sounds import Sounds

SPEC = Qt.ItemDataRole.UserRole
TEST_SOUND = "admit"


def resolution_label(resolution: str) -> str:
    if "x" not in resolution:
        return _("Camera default")
    width, height = resolution.split("x")
    return f"{width} × {height}"


def camera_label(option: CameraOption) -> str:
    if option.kind is CameraKind.NONE:
        return _("No camera (hand scanner and search)")
    if option.kind is CameraKind.SYNTHETIC:
        return _("Synthetic camera (demo tickets)")
    if option.kind is CameraKind.OTHER:
        return _("Video or images: {source}").format(source=option.spec)
    return f"{option.name} ({option.spec})"


class SettingsDialog(QDialog):
    probed = Signal(object)  # list[CameraOption], or the exception the probe raised
    applied = Signal(object)  # Preferences, after OK

    def __init__(self, session: DoorSession, sounds: Sounds, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.sounds = sounds
        self.before = settings_change.current(session)
        self.chosen: Preferences | None = None
        self.setWindowTitle(_("Settings"))
        self.feed: CameraPreview = CameraPreview()
        self.cameras = QListWidget()
        self.preview = CameraView(session, frames=self._preview_frame)
        self.preview.setMinimumSize(320, 180)
        self.caption = QLabel("")
        self.caption.setWordWrap(True)
        self.resolution = QComboBox()
        for resolution in RESOLUTIONS:
            self.resolution.addItem(resolution_label(resolution), resolution)
        self.mirror = QCheckBox(_("&Mirror the picture"))
        self.hold = QDoubleSpinBox()
        self.hold.setRange(1.0, 60.0)
        self.hold.setSingleStep(0.5)
        self.hold.setSuffix(" s")
        self.mute = QCheckBox(_("M&ute"))
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(0, 100)
        self.test_sound = QPushButton(_("&Test sound"))
        self.door = QLineEdit()  # the door's name: what the journal and other doors read
        self.checkin_list = QComboBox()  # which ticket types get in: chosen on purpose
        self.list_note = QLabel(_("Which ticket types get in at this door"))
        self.list_note.setWordWrap(True)
        self.operator = QLineEdit()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._build()
        self._fill(self.before)
        self._connect()
        self._probe()

    def _build(self) -> None:
        camera_box = QGroupBox(_("Camera"))
        camera = QVBoxLayout(camera_box)
        camera.addWidget(self.cameras, 1)
        camera.addWidget(self.preview, 2)
        camera.addWidget(self.caption)
        camera_form = QFormLayout()
        camera_form.addRow(_("&Resolution"), self.resolution)
        camera_form.addRow("", self.mirror)
        camera.addLayout(camera_form)
        verdict_box = QGroupBox(_("Verdict and sounds"))
        verdict = QFormLayout(verdict_box)
        verdict.addRow(_("&Hold a verdict for"), self.hold)
        verdict.addRow("", self.mute)
        volume = QHBoxLayout()
        volume.addWidget(self.volume, 1)
        volume.addWidget(self.test_sound)
        volume_label = QLabel(_("&Volume"))
        volume_label.setBuddy(self.volume)  # a row of two: the form cannot set it by itself
        verdict.addRow(volume_label, volume)
        door_box = QGroupBox(_("Door"))
        door = QFormLayout(door_box)
        door.addRow(_("&Door name"), self.door)
        door.addRow(_("&Check-in list"), self.checkin_list)
        door.addRow("", self.list_note)
        door.addRow(_("&Operator"), self.operator)
        # One column, narrow enough to stand beside the verdict (over the door's camera view).
        layout = QVBoxLayout(self)
        layout.addWidget(camera_box, 1)
        layout.addWidget(verdict_box)
        layout.addWidget(door_box)
        layout.addWidget(self.buttons)
        self.cameras.setAccessibleName(_("Camera"))
        self.cameras.setMinimumHeight(60)
        self.caption.setMinimumHeight(self.caption.fontMetrics().height())  # never squeezed
        self.resize(540, 780)  # where the screen has room; shrunk beside the verdict if not

    def _fill(self, prefs: Preferences) -> None:
        self.resolution.setCurrentIndex(max(0, self.resolution.findData(prefs.resolution)))
        self.mirror.setChecked(prefs.mirror)
        self.preview.set_mirror(prefs.mirror)
        self.hold.setValue(prefs.hold_s)
        self.mute.setChecked(prefs.mute)
        self.volume.setValue(round(prefs.volume * 100))
        self.door.setText(prefs.door or "")
        for list_id, checkin_list in list_choices(self.session):
            kinds = ", ".join(type_names(self.session, checkin_list))
            label = (
                _("Every ticket type") if checkin_list is None else f"{checkin_list.name} ({kinds})"
            )
            self.checkin_list.addItem(label, list_id)
        self.checkin_list.setCurrentIndex(max(0, self.checkin_list.findData(prefs.checkin_list)))
        self.operator.setText(prefs.operator or "")

    def _connect(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        # queued even when the probe answers on this thread: "looking…" is always seen first
        self.probed.connect(self._list_cameras, Qt.ConnectionType.QueuedConnection)
        self.cameras.currentItemChanged.connect(lambda *_a: self._show_camera())
        self.resolution.currentIndexChanged.connect(lambda _i: self._show_camera())
        self.mirror.toggled.connect(self.preview.set_mirror)
        self.test_sound.clicked.connect(
            lambda: self.sounds.try_out(TEST_SOUND, self.volume.value() / 100)
        )

    # -- cameras -------------------------------------------------------------------------

    def _probe(self) -> None:
        """List the cameras in the background: "probing…" until the answer comes back."""
        probing = QListWidgetItem(_("Looking for cameras…"))
        probing.setFlags(Qt.ItemFlag.NoItemFlags)
        self.cameras.addItem(probing)
        self.caption.setText(_("Looking for cameras…"))

        def done(future: Future[list[CameraOption]]) -> None:
            error = future.exception()  # on the jobs thread: hop to the dialog's by a signal
            try:
                self.probed.emit(error if error is not None else future.result())
            except RuntimeError:  # the dialog was closed and deleted before the answer came
                return

        self.session.camera.options().add_done_callback(done)

    def _list_cameras(self, options: list[CameraOption] | Exception) -> None:
        self.cameras.clear()
        if isinstance(options, Exception):
            self.caption.setText(_("Could not list the cameras: {error}").format(error=options))
            options = [CameraOption("", CameraKind.NONE, "")]
        wanted = self.before.camera or ""
        for option in options:
            label = camera_label(option)
            if option.spec and option.spec == self.session.camera.spec:
                label += "  " + _("(in use)")
            item = QListWidgetItem(label)
            item.setData(SPEC, option.spec)
            self.cameras.addItem(item)
            if option.spec == wanted:
                self.cameras.setCurrentItem(item)
        if self.cameras.currentItem() is None:
            self.cameras.setCurrentRow(0)

    def selected_camera(self) -> str | None:
        item = self.cameras.currentItem()
        return None if item is None else str(item.data(SPEC) or "")

    def select_camera(self, spec: str) -> None:
        for row in range(self.cameras.count()):
            if (self.cameras.item(row).data(SPEC) or "") == spec:
                self.cameras.setCurrentRow(row)
                return
        raise KeyError(spec)

    def _show_camera(self) -> None:
        """Preview the selected camera at the selected resolution."""
        spec = self.selected_camera()
        if spec is None:
            return
        self.feed.stop()
        self.feed = self.session.camera.preview_of(spec, self.resolution.currentData())
        self.preview.frame = None
        self.feed.start()
        self._preview_frame()

    def _preview_frame(self) -> PreviewFrame | None:
        """What the preview paints (polled by it), keeping its state and caption current."""
        frame = self.feed.latest()
        state = self.feed.state
        if state != self.preview.state:
            self.preview.set_state(state)
        self.caption.setText(self._caption(frame))
        return frame

    def _caption(self, frame: PreviewFrame | None) -> str:
        state = self.feed.state
        if state.state is CameraState.NONE:
            return "" if not self.selected_camera() else state.message
        if frame is None:
            return _("Starting camera…")
        height, width = frame.image.shape[:2]
        size = f"{width} × {height}"
        if self.feed.shares_the_door_camera:
            return _("{size}, as the door uses it now").format(size=size)
        return size

    # -- ending --------------------------------------------------------------------------

    def choice(self) -> Preferences:
        return replace(
            self.before,
            camera=self.selected_camera() or "",
            resolution=str(self.resolution.currentData()),
            mirror=self.mirror.isChecked(),
            hold_s=self.hold.value(),
            mute=self.mute.isChecked(),
            volume=self.volume.value() / 100,
            door=self.door.text().strip() or self.before.door,
            checkin_list=str(self.checkin_list.currentData()),
            operator=self.operator.text().strip(),
        )

    def accept(self) -> None:
        self.chosen = self.choice()
        self.feed.stop()  # the camera is free before the door opens it
        settings_change.apply(self.session, self.chosen)
        self.applied.emit(self.chosen)
        super().accept()

    def done(self, result: int) -> None:
        self.feed.stop()
        self.sounds.set_volume(self.sounds.volume)  # the test button's volume was a trial
        super().done(result)
