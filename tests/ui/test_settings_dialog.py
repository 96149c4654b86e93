"""Settings and About with real widgets: the camera list and its live preview, every setting
kept for the next start on OK, nothing changed on Cancel."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from scanner.app.clock import FixedClock
from scanner.app.demo import DemoEvent
from scanner.app.events import CameraState
from scanner.app.session import DoorSession
from scanner.app.version import build_version, schema_revision
from scanner.ui.door_window import DoorWindow
from scanner.ui.settings_dialog import SettingsDialog
from tests.app.test_session import valid_code

MakeWindow = Callable[..., DoorWindow]
SYNTHETIC = "synthetic:fps=30,hold=10,gap=5,loop=1"


def labels(dialog: SettingsDialog) -> list[str]:
    return [dialog.cameras.item(row).text() for row in range(dialog.cameras.count())]


Ok, Cancel = QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Cancel


def tab_order(first: QWidget, among: list[QWidget]) -> list[QWidget]:
    """The widgets of `among` in the order Tab reaches them, from `first`."""
    order, widget = [first], first.nextInFocusChain()
    while widget is not first:
        if widget in among and widget not in order:
            order.append(widget)
        widget = widget.nextInFocusChain()
    return order


def press(dialog: SettingsDialog, button: QDialogButtonBox.StandardButton) -> None:
    dialog.buttons.button(button).click()


def test_pick_the_synthetic_camera_see_it_live_and_ok_keeps_every_setting_for_the_next_start(
    qtbot: QtBot,
    make_window: MakeWindow,
    data_dir: Path,
    clock: FixedClock,
    demo_event: DemoEvent,
) -> None:
    # Real threads: the camera probe, the preview's own capture, the door's camera.
    session = DoorSession(data_dir, door="Main entrance", operator="tester", clock=clock)
    session.camera.open(SYNTHETIC, codes=[valid_code(demo_event)[1]])  # as --demo does
    session.camera.close()  # known to this door, but not running: the preview opens its own
    window = make_window(session)
    session.start()
    dialog = window.open_settings()
    assert labels(dialog) == ["Looking for cameras…"]  # until the probe answers
    qtbot.waitUntil(lambda: dialog.selected_camera() is not None, timeout=20_000)
    assert labels(dialog)[0] == "No camera (hand scanner and search)"
    assert "Synthetic camera (demo tickets)" in labels(dialog)
    assert dialog.selected_camera() == ""  # what the door runs now: no camera

    dialog.select_camera(SYNTHETIC)
    qtbot.waitUntil(lambda: dialog.preview.painted > 0, timeout=20_000)
    assert dialog.caption.text() == "1280 × 720"
    dialog.resolution.setCurrentIndex(dialog.resolution.findData("640x480"))
    qtbot.waitUntil(lambda: dialog.caption.text() == "640 × 480", timeout=20_000)
    assert session.camera.spec is None, "a preview never starts the door's camera"

    dialog.mirror.setChecked(True)
    dialog.hold.setValue(2.5)
    dialog.mute.setChecked(True)
    dialog.volume.setValue(30)
    dialog.test_sound.click()
    assert window.sounds.requested[-1] == "admit"
    assert dialog.checkin_list.findData("backstage") >= 0  # the event's check-in lists
    dialog.door.setText("Backstage")
    dialog.checkin_list.setCurrentIndex(dialog.checkin_list.findData("backstage"))
    dialog.operator.setText("Kim")
    press(dialog, Ok)

    assert not dialog.isVisible()
    assert window.camera.mirror and window.panel.hold_s == 2.5
    assert window.sounds.muted and window.sounds.volume == 0.3
    assert window.bar.door.text() == "Backstage" and window.bar.operator.text() == "Kim"
    assert session.settings.door == "Backstage" and session.settings.operator == "Kim"
    # the door's camera opens at the chosen resolution
    qtbot.waitUntil(
        lambda: (
            window.camera.frame is not None and window.camera.frame.image.shape[:2] == (480, 640)
        ),
        timeout=20_000,
    )
    assert session.camera.spec == SYNTHETIC

    session.close()
    restarted = DoorSession(data_dir, clock=clock, synchronous=True)
    try:
        prefs = restarted.preferences()
        assert (prefs.camera, prefs.resolution) == (SYNTHETIC, "640x480")
        assert (prefs.mirror, prefs.hold_s, prefs.mute, prefs.volume) == (True, 2.5, True, 0.3)
        assert (prefs.door, prefs.operator) == ("Backstage", "Kim")
        assert restarted.settings.door == "Backstage" and restarted.settings.operator == "Kim"
    finally:
        restarted.close()


def test_cancel_leaves_everything_as_it_was_and_the_door_camera_running(
    qtbot: QtBot, make_window: MakeWindow, door_session: DoorSession, demo_event: DemoEvent
) -> None:
    door_session.camera.open(SYNTHETIC, codes=[valid_code(demo_event)[1]])
    window = make_window(door_session)
    before = door_session.preferences()
    dialog = window.open_settings()
    qtbot.waitUntil(lambda: dialog.selected_camera() is not None)
    in_use = [label for label in labels(dialog) if label.endswith("(in use)")]
    assert in_use == ["Synthetic camera (demo tickets)  (in use)"]
    assert dialog.selected_camera() == SYNTHETIC
    door_session.camera.step()  # the running camera's own frames, shared with the preview
    qtbot.waitUntil(lambda: dialog.preview.frame is not None)
    assert dialog.caption.text() == "1280 × 720, as the door uses it now"

    dialog.select_camera("")
    dialog.resolution.setCurrentIndex(dialog.resolution.findData("1920x1080"))
    dialog.mirror.setChecked(True)
    dialog.hold.setValue(9)
    dialog.mute.setChecked(True)
    dialog.volume.setValue(5)
    dialog.test_sound.click()
    dialog.door.setText("Backstage")
    dialog.checkin_list.setCurrentIndex(dialog.checkin_list.findData("backstage"))
    dialog.operator.setText("Somebody else")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    assert not dialog.isVisible()
    assert door_session.preferences() == before
    assert door_session.settings.door == "Main entrance"
    assert door_session.settings.operator == "tester"
    assert not window.camera.mirror and window.panel.hold_s == before.hold_s
    assert not window.sounds.muted and window.sounds.volume == before.volume
    assert door_session.camera.spec == SYNTHETIC
    door_session.camera.step()
    assert door_session.camera.state.state is CameraState.RUNNING


def test_settings_by_keyboard_alone(
    qtbot: QtBot, make_window: MakeWindow, door_session: DoorSession
) -> None:
    window = make_window(door_session)
    assert window.settings_action.shortcut().toString() == "Ctrl+,"
    window.settings_action.trigger()
    dialog = window.settings_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.selected_camera() is not None)
    ok, cancel = (dialog.buttons.button(b) for b in (Ok, Cancel))
    expected = [dialog.cameras, dialog.resolution, dialog.mirror, dialog.hold, dialog.mute]
    expected += [dialog.volume, dialog.test_sound, dialog.door, dialog.operator, ok, cancel]
    assert tab_order(dialog.cameras, expected) == expected  # Tab goes top to bottom
    assert dialog.selected_camera() == ""
    dialog.hold.setFocus()
    qtbot.keyClick(dialog.hold, Qt.Key.Key_Up)  # one step: half a second more
    qtbot.keyClick(dialog.hold, Qt.Key.Key_Return)  # the default button: OK
    assert not dialog.isVisible()
    assert door_session.preferences().hold_s == 4.5
    assert window.panel.hold_s == 4.5


def test_about_shows_the_build_version_and_the_data_schema(
    make_window: MakeWindow, door_session: DoorSession, data_dir: Path
) -> None:
    window = make_window(door_session)
    titles = [action.text() for action in window.menuBar().actions()]
    assert "&Help" in titles
    about = window.open_about()
    text = about.text()
    assert build_version() in about.rows["version"].text()
    assert about.rows["schema"].text() == f"{schema_revision()} (the newest this build knows)"
    assert door_session.about().device_id in about.rows["device"].text()
    assert about.rows["data"].text() == str(data_dir)
    assert "PySide6" in about.rows["qt"].text() and "." in about.rows["python"].text()
    assert "from source" in text
    about.close()
