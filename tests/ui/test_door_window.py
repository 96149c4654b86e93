"""The door window with real widgets: what door staff see and hear for each kind of scan."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from scanner.app.clock import FixedClock
from scanner.app.demo import DemoEvent
from scanner.app.events import CameraState
from scanner.app.session import DoorSession
from scanner.camera.synthetic import SyntheticSource
from scanner.checkin.reasons import TicketStatus
from scanner.store.store import Store
from scanner.ui.door_window import DoorWindow
from scanner.ui.reason_dialog import ReasonDialog
from scanner.ui.verdict_panel import WORD_SHARE
from scanner.ui.verdict_style import STYLES, Look
from tests.app.test_session import Flaky, valid_code
from tests.ui.keys import paced, send_keys, then

MakeWindow = Callable[..., DoorWindow]
LATER = timedelta(minutes=5)  # past "admitted here seconds ago": a plain "already used"


def test_a_valid_code_through_the_camera_turns_the_panel_green_with_the_admit_sound(
    qtbot: QtBot,
    make_window: MakeWindow,
    data_dir: Path,
    clock: FixedClock,
    demo_event: DemoEvent,
) -> None:
    # The real thing: camera and decoder threads, the door worker, the bridge's queued hop.
    session = DoorSession(data_dir, door="Main entrance", operator="tester", clock=clock)
    ticket, code = valid_code(demo_event)
    session.camera.open(SyntheticSource([code], paced=True, options="fps=30,hold=20,gap=10"))
    window = make_window(session)
    session.start()
    qtbot.waitUntil(lambda: window.panel.look is Look.ADMITTED, timeout=30_000)
    assert window.panel.word.text() == "ADMITTED"
    assert window.sounds.requested[0] == "admit"
    assert window.recent.events[0].verdict.ticket_id == ticket
    qtbot.waitUntil(lambda: window.camera.state.state is CameraState.RUNNING, timeout=10_000)
    # The preview's frames come on their own hop: a verdict may be shown before the first one.
    qtbot.waitUntil(lambda: window.camera.frame is not None, timeout=10_000)


def test_the_same_code_again_shows_amber_with_the_first_admission(
    qtbot: QtBot,
    make_window: MakeWindow,
    door_session: DoorSession,
    demo_event: DemoEvent,
    clock: FixedClock,
) -> None:
    window = make_window(door_session)
    code = valid_code(demo_event)[1]
    door_session.submit_code(code, "camera")
    clock.moment += LATER  # not the guest just let in
    door_session.submit_code(code, "camera")
    assert window.panel.look is Look.ALREADY_USED
    assert window.panel.word.text() == "ALREADY USED"
    # the fixed clock is 19:30 in the event's time zone (Europe/Berlin)
    assert "First admitted 19:30:00 at Main entrance" in window.panel.details.text()
    assert window.sounds.requested == ["admit", "refuse"]


@pytest.mark.parametrize("size", [(1366, 768), (1280, 720), (1920, 1080)])
def test_the_verdict_reads_from_two_metres_at_every_screen_size(
    qtbot: QtBot,
    make_window: MakeWindow,
    door_session: DoorSession,
    demo_event: DemoEvent,
    size: tuple[int, int],
    clock: FixedClock,
) -> None:
    window = make_window(door_session, size)
    code = valid_code(demo_event)[1]
    door_session.submit_code(code)
    clock.moment += LATER
    door_session.submit_code(code)  # ALREADY USED, a long word with the longest details
    word = window.panel.word
    qtbot.waitUntil(lambda: word.sizeHint().width() <= word.width() + 1)  # laid out, not cut
    assert word.font().pixelSize() >= 0.08 * window.height()
    panel = window.panel
    assert panel.details.geometry().bottom() <= panel.countdown.geometry().top()
    assert "First admitted" in panel.details.text()
    for widget in (window.sync_badge, window.bar.direction, window.recent.table):
        assert widget.isVisible() and widget.width() > 0
    assert WORD_SHARE >= 0.08


def test_refusals_say_why_in_words_and_offline_decisions_say_so(
    make_window: MakeWindow, door_session: DoorSession, demo_event: DemoEvent
) -> None:
    window = make_window(door_session)
    canceled = next(r for r in demo_event.rows if r.status is TicketStatus.CANCELED)
    door_session.submit_code(demo_event.codes[canceled.ticket_id])
    assert window.panel.look is Look.REFUSED
    assert window.panel.reason.text() == "Ticket canceled or refunded"
    assert window.panel.offline.isVisibleTo(window.panel)  # not enrolled: decided offline


def test_attention_blinks_blue(
    qtbot: QtBot, make_window: MakeWindow, door_session: DoorSession, demo_event: DemoEvent
) -> None:
    window = make_window(door_session)
    row = next(r for r in demo_event.rows if r.flags and r.status is TicketStatus.VALID)
    if row.ticket_type == "crew":
        pytest.skip("demo data: flagged ticket not admitted at this door")
    door_session.submit_code(demo_event.codes[row.ticket_id])
    assert window.panel.look is Look.ATTENTION and "Check ID" in window.panel.reason.text()
    blue = window.panel.background.name()
    qtbot.waitUntil(lambda: window.panel.background.name() != blue, timeout=5_000)
    assert blue == "#1846b8"


def test_a_wedge_scan_while_the_search_box_has_focus_never_lands_in_it(
    qtbot: QtBot, make_window: MakeWindow, door_session: DoorSession, demo_event: DemoEvent
) -> None:
    window = make_window(door_session)
    window.activateWindow()
    qtbot.waitActive(window)
    window.focus_search()
    qtbot.waitUntil(lambda: window.search.box.hasFocus())
    code = valid_code(demo_event, 4)[1]
    send_keys(then(paced(code, [3]), "Enter", 3))  # a scanner: 3 ms between keys
    assert window.panel.look is Look.ADMITTED
    assert window.recent.events[0].source == "wedge"
    assert window.search.box.text() == ""
    # a person typing (slower than any scanner) gets every letter, in the box
    send_keys(paced("Ada", [300], start_ms=2_000_000))
    qtbot.waitUntil(lambda: window.search.box.text() == "Ada", timeout=5_000)
    assert len(window.recent.events) == 1


def test_a_wedge_scan_works_while_a_dialog_is_open(
    qtbot: QtBot, make_window: MakeWindow, door_session: DoorSession, demo_event: DemoEvent
) -> None:
    from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QVBoxLayout

    window = make_window(door_session)
    dialog = QDialog(window)
    field = QLineEdit(dialog)
    QVBoxLayout(dialog).addWidget(field)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    field.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field)
    send_keys(then(paced(valid_code(demo_event, 5)[1], [3]), "Enter", 3))
    assert window.panel.look is Look.ADMITTED and field.text() == ""
    dialog.close()


def answer(dialog: ReasonDialog | None, reason: str, pin: str | None = None) -> None:
    """Type into the open reason dialog and press OK."""
    assert dialog is not None and dialog.isVisible()
    if pin is not None:
        dialog.pin.setText(pin)
    dialog.reason.setText(reason)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_search_and_admit_by_hand_with_the_keyboard(
    qtbot: QtBot, make_window: MakeWindow, door_session: DoorSession, demo_event: DemoEvent
) -> None:
    window = make_window(door_session)
    row = next(
        r for r in demo_event.rows if r.status is TicketStatus.VALID and "ü" in r.holder_name
    )
    window.focus_search()
    window.search.box.setText(row.holder_name.replace("ü", "u"))  # accents ignored
    qtbot.waitUntil(lambda: window.search.table.rowCount() > 0)
    names = [window.search.table.item(i, 0).text() for i in range(window.search.table.rowCount())]
    assert row.holder_name in names
    qtbot.keyClick(window.search.box, Qt.Key.Key_Down)
    window.search.table.selectRow(names.index(row.holder_name))
    qtbot.keyClick(window.search.table, Qt.Key.Key_Return)
    assert window.reason_dialog is not None
    assert window.reason_dialog.reason.text() == "phone not at hand"  # a default, to change
    answer(window.reason_dialog, "phone battery dead")
    assert window.panel.look is Look.ADMITTED
    assert window.panel.reason.text() == "Admitted by hand"
    assert "Reason: phone battery dead" in window.panel.details.text()
    assert window.recent.events[0].note == "phone battery dead"


def test_undo_from_recent_scans_with_a_reason(
    make_window: MakeWindow, door_session: DoorSession, demo_event: DemoEvent
) -> None:
    window = make_window(door_session)
    door_session.submit_code(valid_code(demo_event)[1])
    assert door_session.status().admitted == 1
    window.recent.table.selectRow(0)
    window.recent.undo_button.click()
    answer(window.reason_dialog, "wrong person")
    assert window.recent.table.item(0, 1).text() == "Admitted (undone)"
    assert door_session.status().admitted == 0
    assert window.counts.headline.text().startswith("Admitted 0 /")


def test_undo_needs_the_lead_pin_when_one_is_set(
    make_window: MakeWindow, door_session: DoorSession, demo_event: DemoEvent
) -> None:
    door_session.set_lead_pin("4711")
    window = make_window(door_session)
    door_session.submit_code(valid_code(demo_event)[1])
    window.recent.table.selectRow(0)
    window.recent.undo_button.click()
    dialog = window.reason_dialog
    answer(dialog, "wrong person", pin="1234")  # a wrong PIN: nothing undone, and it says so
    assert door_session.status().admitted == 1
    assert dialog is not None and dialog.isVisible()
    assert dialog.message.text() == "Wrong PIN." and dialog.pin.text() == ""
    answer(dialog, "wrong person", pin="4711")  # the lead's PIN, and the reason
    assert door_session.status().admitted == 0
    assert window.recent.table.item(0, 1).text() == "Admitted (undone)"


def test_exit_mode_is_visibly_different_and_records_exits(
    make_window: MakeWindow, door_session: DoorSession, demo_event: DemoEvent
) -> None:
    window = make_window(door_session)
    code = valid_code(demo_event)[1]
    door_session.submit_code(code)
    window.bar.direction.click()
    assert door_session.exit_mode and "EXIT" in window.bar.direction.text()
    assert "#5b2a86" in window.styleSheet()
    door_session.submit_code(code)
    assert window.panel.look is Look.EXIT and window.panel.word.text() == "EXIT"
    assert window.sounds.requested[-1] == "exit"
    assert window.panel.undo.text() == "Undo last exit (Ctrl+Z)"  # an exit undone, if wrong
    recent = window.recent.table
    assert [recent.item(0, c).text() for c in (1, 5)] == ["Exit", ""]  # no "Welcome" on an exit


def test_camera_lost_and_back(
    qtbot: QtBot,
    make_window: MakeWindow,
    data_dir: Path,
    clock: FixedClock,
    demo_event: DemoEvent,
) -> None:
    session = DoorSession(data_dir, clock=clock, synchronous=True)
    source = Flaky(SyntheticSource([valid_code(demo_event)[1]], paced=False))
    session.camera.open(source)
    window = make_window(session)
    session.camera.step()
    window.camera.poll()
    assert window.camera.state.state is CameraState.RUNNING and window.camera.frame is not None
    source.broken = True
    session.camera.step()
    session.camera.step()
    assert window.camera.state.state is CameraState.RECONNECTING
    assert window.camera.grab().toImage().pixelColor(5, 5).name() == "#101418"
    source.broken = False
    session.camera.step()
    assert window.camera.state.state is CameraState.RUNNING


def test_a_camera_whose_pictures_cannot_be_decoded_says_so_and_recovers(
    make_window: MakeWindow, data_dir: Path, clock: FixedClock, demo_event: DemoEvent
) -> None:
    broken = [True]

    def decoder(image: Any) -> list[Any]:
        if broken[0]:
            raise RuntimeError("a decoder bug")
        return []

    session = DoorSession(data_dir, clock=clock, synchronous=True)
    session.camera.open(SyntheticSource([valid_code(demo_event)[1]], paced=False), decoder)
    window = make_window(session)
    for _ in range(3):
        session.camera.step()
    assert window.camera.state.state is CameraState.FAILING
    assert "cannot be decoded" in window.camera.state.message
    broken[0] = False
    session.camera.step()
    assert window.camera.state.state is CameraState.RUNNING


def test_the_window_works_without_a_camera(
    make_window: MakeWindow, door_session: DoorSession, demo_event: DemoEvent
) -> None:
    door_session.camera.open("/dev/video-none-here")
    window = make_window(door_session)
    assert window.camera.state.state is CameraState.NONE
    door_session.submit_code(valid_code(demo_event)[1], "wedge")
    assert window.panel.look is Look.ADMITTED


def test_the_verdict_returns_to_ready_after_the_hold_time(
    qtbot: QtBot, make_window: MakeWindow, door_session: DoorSession, demo_event: DemoEvent
) -> None:
    window = make_window(door_session)
    window.bar.settings.click()
    dialog = window.settings_dialog
    assert dialog is not None
    dialog.hold.setValue(1.0)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    door_session.submit_code(valid_code(demo_event)[1])
    assert window.panel.countdown.isVisible()
    qtbot.waitUntil(lambda: window.panel.look is Look.READY, timeout=10_000)
    assert window.panel.word.text() == "READY"
    assert door_session.preferences().hold_s == 1.0


def test_sounds_say_once_when_there_is_no_audio(
    make_window: MakeWindow, door_session: DoorSession, tmp_path: Path
) -> None:
    window = make_window(door_session)
    if window.sounds.problem is None:
        pytest.skip("this machine has an audio output")
    assert window.notice.text() == window.sounds.problem


def _unused(*_args: Any) -> None:
    return None


def test_an_unpaid_ticket_is_refused_and_admitted_once_payment_is_taken(
    make_window: MakeWindow, door_session: DoorSession, demo_event: DemoEvent
) -> None:
    window = make_window(door_session)
    row = next(
        r
        for r in demo_event.rows
        if r.status is TicketStatus.UNPAID and r.ticket_type in ("ga", "vip")
    )
    door_session.submit_code(demo_event.codes[row.ticket_id])
    assert window.panel.look is Look.REFUSED and window.panel.reason.text() == "Ticket not paid"
    assert window.panel.pay.isVisibleTo(window.panel)
    window.panel.pay.click()
    assert window.panel.look is Look.ADMITTED
    assert window.recent.events[0].note == "paid at the door"
    assert not window.panel.pay.isVisibleTo(window.panel)


def test_the_door_menu_resets_with_a_warning_that_counts_unsent_scans(
    make_window: MakeWindow,
    door_session: DoorSession,
    demo_event: DemoEvent,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(door_session)
    door_session.submit_code(valid_code(demo_event)[1])
    asked: list[str] = []

    def answer(_parent: object, _title: str, text: str, *_a: object) -> object:
        asked.append(text)
        from PySide6.QtWidgets import QMessageBox

        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr("scanner.ui.door_window.QMessageBox.warning", answer)
    window.reset_door()
    assert "1 scans were never uploaded" in asked[0]
    assert door_session.has_event(), "canceled: nothing forgotten"


def test_a_reset_never_holds_the_window_and_opens_the_wizard_when_done(
    qtbot: QtBot,
    make_window: MakeWindow,
    data_dir: Path,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session = DoorSession(data_dir, door="Main entrance", operator="tester", clock=clock)
    window = make_window(session)
    gate = threading.Event()
    search = Store.search
    monkeypatch.setattr(
        Store, "search", lambda store, *args: gate.wait(30) and search(store, *args)
    )
    session.search("Ada")  # holds the jobs thread, where the reset will queue, till the gate opens
    monkeypatch.setattr(
        "scanner.ui.door_window.QMessageBox.warning",
        lambda *_args: QMessageBox.StandardButton.Reset,
    )
    wizards: list[bool] = []
    monkeypatch.setattr(window, "run_wizard", lambda: wizards.append(True) or False)
    window.reset_door()  # returns while the reset still waits: the GUI thread never blocks
    assert wizards == [] and session.has_event()
    gate.set()
    qtbot.waitUntil(lambda: wizards == [True], timeout=30_000)
    assert not session.has_event() and window.panel.shown is None


def test_the_camera_choice_is_kept_for_the_next_start(
    make_window: MakeWindow, door_session: DoorSession
) -> None:
    window = make_window(door_session)
    window.use_camera("/dev/video-none-here")
    assert window.camera.state.state is CameraState.NONE
    assert door_session.preferences().camera == "/dev/video-none-here"
    window.use_camera("")
    assert door_session.preferences().camera is None


def _share_in(widget: Any, colour: str) -> float:
    """The share of a widget's rendered pixels that are exactly `colour`."""
    from PySide6.QtGui import QColor

    image = widget.grab().toImage()
    wanted = QColor(colour).rgb()
    pixels = [
        image.pixel(x, y) for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)
    ]
    return sum(p == wanted for p in pixels) / max(1, len(pixels))


def test_each_verdict_is_drawn_in_its_own_colours_after_exit_mode_comes_and_goes(
    qtbot: QtBot,
    make_window: MakeWindow,
    door_session: DoorSession,
    demo_event: DemoEvent,
    clock: FixedClock,
) -> None:
    window = make_window(door_session)
    first, second = valid_code(demo_event, 0)[1], valid_code(demo_event, 3)[1]
    seen = []
    steps = [(False, first), (False, first), (True, first), (False, second), (False, second)]
    for exit_mode, code in steps:
        window.set_exit_mode(exit_mode)
        clock.moment += LATER
        door_session.submit_code(code, "camera")
        panel = window.panel
        style = STYLES[panel.look]
        seen.append(panel.look)
        assert _share_in(panel.word, style.text) > 0.05, panel.look  # the word in its colour
        assert _share_in(panel.name, style.text) > 0.01, panel.look
        assert _share_in(panel.countdown, style.text) > 0.5, panel.look  # the bar too
        window.set_exit_mode(not exit_mode)  # switched while the verdict is still shown
        assert _share_in(panel.word, style.text) > 0.05, panel.look
    assert seen == [Look.ADMITTED, Look.ALREADY_USED, Look.EXIT, Look.ADMITTED, Look.ALREADY_USED]
