"""A busy door (issue 24): staff are never misled and never slowed. Real widgets offscreen, a
real store, and key presses timed by their own timestamps (tests/ui/keys.py), so nothing here
depends on how fast the machine handles them."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QMessageBox,
    QSplitter,
    QWidget,
)
from pytestqt.qtbot import QtBot

from scanner.app.clock import FixedClock
from scanner.app.demo import DemoEvent
from scanner.app.events import CameraState, Link, SyncState, SyncStateChanged
from scanner.app.session import DoorSession
from scanner.camera.synthetic import SyntheticSource
from scanner.checkin.reasons import TicketStatus
from scanner.ui.door_window import DoorWindow
from scanner.ui.sync_badge import SyncDetails
from scanner.ui.verdict_style import Look
from tests.app.test_session import valid_code
from tests.store_jobs import read_sql, store_of, write_sql
from tests.ui.conftest import Server, enrolled_session
from tests.ui.keys import paced, send_keys, then
from tests.ui.kiosk_fixtures import MakeKiosk, kiosk_session, make_kiosk, ticking

__all__ = ["kiosk_session", "make_kiosk", "ticking"]  # fixtures
MakeWindow = Callable[..., DoorWindow]
PEOPLE = {"45 ms": [45], "60 ms": [60], "85 ms": [85], "45-85 ms": [45, 85, 52, 70, 61, 48]}
SCANNERS = {"1 ms": [1], "3 ms": [3], "30 ms": [30], "1-30 ms": [12, 1, 30, 4, 22]}


def at_the_door(qtbot: QtBot, make_window: MakeWindow, session: DoorSession) -> DoorWindow:
    """The window, active, with the keyboard focus in the search box (as staff leave it)."""
    window = make_window(session)
    window.activateWindow()
    qtbot.waitActive(window)
    window.focus_search()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.search.box)
    return window


def journal(session: DoorSession) -> list[tuple[str, str, str]]:
    """(source, outcome, reason) of every journal entry, oldest first."""
    rows = read_sql(store_of(session), "SELECT source, outcome, reason FROM journal ORDER BY seq")
    return [tuple(row) for row in rows]


# -- 1. typing is never a scan; a scanner is never missed --------------------------------------


@pytest.mark.parametrize("bunched", [True, False], ids=["queued", "one-by-one"])
@pytest.mark.parametrize("pace", PEOPLE.values(), ids=PEOPLE.keys())
def test_a_person_typing_into_the_search_box_is_never_a_scan(
    qtbot: QtBot,
    make_window: MakeWindow,
    door_session: DoorSession,
    pace: list[int],
    bunched: bool,
) -> None:
    window = at_the_door(qtbot, make_window, door_session)
    send_keys(paced("ana smith", pace), bunched)
    qtbot.waitUntil(lambda: window.search.box.text() == "ana smith", timeout=5_000)
    assert journal(door_session) == []
    assert window.panel.look is Look.READY
    # ...nor with Enter at the end (the box takes it: into the results)
    window.search.box.clear()
    send_keys(then(paced("wrong person", pace), "Enter", pace[0]), bunched)
    qtbot.waitUntil(lambda: window.search.box.text() == "wrong person", timeout=5_000)
    assert journal(door_session) == [] and window.panel.look is Look.READY


@pytest.mark.parametrize("bunched", [True, False], ids=["queued", "one-by-one"])
@pytest.mark.parametrize("pace", SCANNERS.values(), ids=SCANNERS.keys())
def test_a_hand_scanner_is_never_missed_however_late_its_keys_are_handled(
    qtbot: QtBot,
    make_window: MakeWindow,
    door_session: DoorSession,
    demo_event: DemoEvent,
    pace: list[int],
    bunched: bool,
) -> None:
    window = at_the_door(qtbot, make_window, door_session)
    handled = itertools.count()
    window.wedge.clock = lambda: next(handled) * 0.2  # a GUI thread far behind the keys
    send_keys(then(paced(valid_code(demo_event, 4)[1], pace), "Enter", pace[0]), bunched)
    assert window.panel.look is Look.ADMITTED
    assert journal(door_session) == [("wedge", "admitted", "ok")]
    assert window.search.box.text() == ""  # not a key of it in the box


def test_a_scanner_without_enter_ends_on_quiet_and_typing_goes_on_in_order(
    qtbot: QtBot, make_window: MakeWindow, door_session: DoorSession, demo_event: DemoEvent
) -> None:
    window = at_the_door(qtbot, make_window, door_session)
    send_keys(paced(valid_code(demo_event, 6)[1], [3], start_ms=5_000))
    qtbot.waitUntil(lambda: window.panel.look is Look.ADMITTED, timeout=5_000)
    # a person corrects a typo: letters and Backspace reach the box in the order typed
    send_keys([("A", 9_000), ("x", 9_050), ("Backspace", 9_100), ("d", 9_160), ("a", 9_230)])
    qtbot.waitUntil(lambda: window.search.box.text() == "Ada", timeout=5_000)
    assert [source for source, _o, _r in journal(door_session)] == ["wedge"]


# -- 2. a scanner's double read --------------------------------------------------------------


def test_a_double_read_admits_once_and_a_later_repeat_says_admitted_here(
    qtbot: QtBot,
    make_window: MakeWindow,
    door_session: DoorSession,
    demo_event: DemoEvent,
    clock: FixedClock,
) -> None:
    window = at_the_door(qtbot, make_window, door_session)
    code, other = valid_code(demo_event, 7)[1], valid_code(demo_event, 8)[1]

    def scan(text: str, at_ms: int) -> None:
        send_keys(then(paced(text, [3], start_ms=at_ms), "Enter", 3))

    scan(code, 10_000)
    clock.moment += timedelta(seconds=0.8)
    scan(code, 10_800)  # the scanner read it again 0.8 s later
    assert window.panel.look is Look.ADMITTED and window.sounds.requested == ["admit"]
    assert journal(door_session) == [("wedge", "admitted", "ok")]
    clock.moment += timedelta(seconds=1)
    scan(other, 11_800)  # the next guest
    assert window.panel.look is Look.ADMITTED
    assert window.recent.events[0].verdict.ticket_id == valid_code(demo_event, 8)[0]
    # the first guest's ticket again, 12 s after it was admitted here: no alarm, in words
    clock.moment += timedelta(seconds=10.2)
    scan(code, 22_000)
    assert window.panel.look is Look.JUST_ADMITTED
    assert window.panel.reason.text() == "Admitted here 12 s ago"
    assert window.panel.word.text() == "JUST ADMITTED"
    assert window.recent.table.item(0, 5).text() == "Admitted here 12 s ago"
    # long after, it is the plain amber, with where and when it was first used
    clock.moment += timedelta(minutes=5)
    scan(code, 322_000)
    assert window.panel.look is Look.ALREADY_USED
    assert "First admitted" in window.panel.details.text()
    reasons = [reason for _s, _o, reason in journal(door_session)]
    assert reasons == ["ok", "ok", "already_checked_in", "already_checked_in"]


def test_a_code_the_camera_just_read_is_not_read_again_by_hand(
    qtbot: QtBot, make_window: MakeWindow, door_session: DoorSession, demo_event: DemoEvent
) -> None:
    code = valid_code(demo_event, 9)[1]
    door_session.camera.open(SyntheticSource([code], paced=False))
    window = at_the_door(qtbot, make_window, door_session)
    for _ in range(50):
        door_session.camera.step()
        if journal(door_session):
            break
    send_keys(then(paced(code, [3]), "Enter", 3))  # and the hand scanner too, at once
    assert window.panel.look is Look.ADMITTED
    assert journal(door_session) == [("camera", "admitted", "ok")]


# -- 3. a dialog never covers the verdict ------------------------------------------------------


def open_settings(window: DoorWindow, qtbot: QtBot, event: DemoEvent) -> QWidget | None:
    window.bar.settings.click()
    return window.settings_dialog


def open_undo(window: DoorWindow, qtbot: QtBot, event: DemoEvent) -> QWidget | None:
    window.session.submit_code(valid_code(event, 10)[1])
    window.recent.table.selectRow(0)
    window.recent.undo_button.click()
    return window.reason_dialog


def open_admit(window: DoorWindow, qtbot: QtBot, event: DemoEvent) -> QWidget | None:
    ticket = valid_code(event, 11)[0]
    window.focus_search()
    window.search.box.setText(ticket)
    qtbot.waitUntil(lambda: window.search.table.rowCount() == 1)
    window.search.table.selectRow(0)
    window.search.admit_button.click()
    return window.reason_dialog


DIALOGS = {"settings": open_settings, "undo": open_undo, "admit by hand": open_admit}


def covers_the_verdict(window: DoorWindow, dialog: QWidget) -> bool:
    panel = window.panel
    verdict = QRect(panel.mapToGlobal(QPoint(0, 0)), panel.size())
    return dialog.frameGeometry().intersects(verdict)


@pytest.mark.parametrize("size", [(1366, 768), (1280, 720), (1920, 1080)])
@pytest.mark.parametrize("opening", DIALOGS.values(), ids=DIALOGS.keys())
def test_a_dialog_open_leaves_the_whole_verdict_in_sight(
    qtbot: QtBot,
    make_window: MakeWindow,
    door_session: DoorSession,
    demo_event: DemoEvent,
    opening: Callable[[DoorWindow, QtBot, DemoEvent], QWidget | None],
    size: tuple[int, int],
) -> None:
    window = make_window(door_session, size)
    dialog = opening(window, qtbot, demo_event)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    door_session.submit_code(valid_code(demo_event, 12)[1])  # the queue goes on meanwhile
    assert window.panel.look is Look.ADMITTED
    assert not covers_the_verdict(window, dialog), (dialog.frameGeometry(), window.panel.geometry())
    assert dialog.width() >= dialog.minimumSizeHint().width()  # shrunk, never cut
    dialog.close()


# -- 5. undo within reach --------------------------------------------------------------------


def test_undo_last_admission_from_the_verdict_panel_or_ctrl_z_and_a_reason_is_required(
    qtbot: QtBot, make_window: MakeWindow, door_session: DoorSession, demo_event: DemoEvent
) -> None:
    window = at_the_door(qtbot, make_window, door_session)
    assert not window.panel.undo.isVisibleTo(window.panel)  # nothing admitted yet
    door_session.submit_code(valid_code(demo_event, 13)[1])
    assert window.panel.undo.isVisibleTo(window.panel)
    window.panel.undo.click()
    dialog = window.reason_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.reject()
    QTest.keyClick(window.search.box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    dialog = window.reason_dialog
    assert dialog is not None and dialog.isVisible(), "Ctrl+Z asks too (focus in the search box)"
    assert "Undo the scan of" in dialog.question.text()
    dialog.reason.setText("   ")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()  # an empty reason:
    assert dialog.isVisible() and "Say why first" in dialog.message.text()  # stays open
    assert door_session.status().admitted == 1
    QTest.keyClicks(dialog.reason, "wrong person")
    QTest.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert door_session.status().admitted == 0
    assert window.recent.table.item(0, 1).text() == "Admitted (undone)"
    assert not window.panel.undo.isVisibleTo(window.panel)


def test_recent_scans_come_back_from_the_journal_after_a_restart_and_undo_from_there(
    qtbot: QtBot,
    make_window: MakeWindow,
    data_dir: Path,
    clock: FixedClock,
    demo_event: DemoEvent,
) -> None:
    before = DoorSession(data_dir, door="Main entrance", clock=clock, synchronous=True)
    first = before.submit_code(valid_code(demo_event, 14)[1]).result()
    before.admit_by_hand(valid_code(demo_event, 15)[0], "phone battery dead").result()
    before.submit_code("not a ticket at all").result()
    before.undo(first.entry_id, "wrong person").result()
    before.close()
    session = DoorSession(data_dir, door="Main entrance", clock=clock, synchronous=True)
    window = at_the_door(qtbot, make_window, session)
    table = window.recent.table
    rows = [[table.item(r, c).text() for c in (1, 4, 5)] for r in range(table.rowCount())]
    assert rows == [
        ["Refused", "typed", "Not a ticket code"],
        ["Admitted", "by hand", "phone battery dead"],
        ["Admitted (undone)", "typed", ""],
    ]
    holder = next(r for r in demo_event.rows if r.ticket_id == valid_code(demo_event, 15)[0])
    assert table.item(1, 2).text() == holder.holder_name
    window.undo_last()  # the hand admission, the last one not undone
    answer = window.reason_dialog
    assert answer is not None and "Undo the scan of" in answer.question.text()
    answer.reason.setText("admitted the wrong guest")
    answer.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert session.status().admitted == 0
    assert table.item(1, 1).text() == "Admitted (undone)"


# -- 4. search results stay true ---------------------------------------------------------------


def search_for(qtbot: QtBot, window: DoorWindow, text: str) -> None:
    window.focus_search()
    window.search.box.setText(text)
    qtbot.waitUntil(lambda: window.search.table.rowCount() >= 1)


def cell(window: DoorWindow, ticket_id: str, column: int) -> str:
    table = window.search.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 5).text() == ticket_id)
    return table.item(row, column).text()


def test_search_results_follow_scans_hand_admissions_and_undos(
    qtbot: QtBot, make_window: MakeWindow, door_session: DoorSession, demo_event: DemoEvent
) -> None:
    window = make_window(door_session)
    (scanned, code), (by_hand, _code) = valid_code(demo_event, 16), valid_code(demo_event, 17)
    search_for(qtbot, window, scanned)
    assert cell(window, scanned, 3) == "no"
    window.search.table.selectRow(0)
    door_session.submit_code(code, "camera")
    qtbot.waitUntil(lambda: cell(window, scanned, 3) == "19:30:00")
    assert window.search.table.selectionModel().isRowSelected(0)  # the pick stays
    window.undo_last()
    assert window.reason_dialog is not None
    window.reason_dialog.reason.setText("wrong person")
    window.reason_dialog.accept()
    qtbot.waitUntil(lambda: cell(window, scanned, 3) == "no")
    search_for(qtbot, window, by_hand)
    door_session.admit_by_hand(by_hand, "phone battery dead")
    qtbot.waitUntil(lambda: cell(window, by_hand, 3) == "19:30:00")


def test_a_ticket_this_door_does_not_admit_says_so_in_the_list(
    qtbot: QtBot, make_window: MakeWindow, door_session: DoorSession, demo_event: DemoEvent
) -> None:
    assert door_session.settings.admits_types is not None, "the demo's Main entrance list"
    window = make_window(door_session)
    crew = next(
        r for r in demo_event.rows if r.ticket_type not in door_session.settings.admits_types
    )
    guest = valid_code(demo_event, 18)[0]
    search_for(qtbot, window, crew.ticket_id)
    assert cell(window, crew.ticket_id, 2).startswith("Not at this door")
    search_for(qtbot, window, guest)
    assert cell(window, guest, 2) == "valid"


def test_search_results_follow_another_doors_admission_once_synced(
    qtbot: QtBot, make_window: MakeWindow, server: Server, tmp_path: Path
) -> None:
    north = enrolled_session(server, tmp_path / "north", "north")
    south = enrolled_session(server, tmp_path / "south", "south")
    try:
        window = make_window(north)
        ticket = server.event.ticket_ids[2]
        search_for(qtbot, window, ticket)
        assert cell(window, ticket, 3) == "no"
        assert south.submit_code(server.event.codes[ticket]).result().verdict.admitted
        south.sync_now()
        north.sync_now()  # the south door's admission arrives
        qtbot.waitUntil(lambda: cell(window, ticket, 3) != "no")
    finally:
        south.close()


# -- 6. messages that outlive their truth --------------------------------------------------------


def test_an_enrolment_failure_goes_when_enrolment_works(
    qtbot: QtBot, make_window: MakeWindow, server: Server, tmp_path: Path
) -> None:
    session = DoorSession(tmp_path / "door", synchronous=True)
    window = make_window(session)
    window.notice.hold_s = 3600  # only the enrolment's own outcome may take it away
    with pytest.raises(Exception, match="enrolment code"):
        session.setup.enroll(server.url, "NO-SUCH-CODE").result()
    qtbot.waitUntil(lambda: window.notice.text().startswith("Enrol did not work"))
    state = session.setup.enroll(server.url, server.event.enrollment_code("north")).result()
    assert state.link == "online"
    qtbot.waitUntil(lambda: "did not work" not in window.notice.text())
    assert window.notice.text() == "Enrolled at north for Test event: 20 tickets"


def test_the_set_up_checks_the_server_before_the_code_is_typed(
    qtbot: QtBot, make_window: MakeWindow, server: Server, tmp_path: Path
) -> None:
    from scanner.ui.wizard import EnrolWizard

    session = DoorSession(tmp_path / "door", synchronous=True)
    window = make_window(session)
    wizard = EnrolWizard(window.bridge, window)
    qtbot.addWidget(wizard)
    wizard.url.setText(server.url)
    wizard.url.editingFinished.emit()
    qtbot.waitUntil(lambda: wizard.reach.text().startswith("The server answers"))
    server.stop()
    wizard.url.editingFinished.emit()
    qtbot.waitUntil(lambda: wizard.reach.text().startswith("Cannot reach the server"))
    wizard.url.setText("checkin.example.org")
    wizard.url.editingFinished.emit()
    qtbot.waitUntil(lambda: "http://" in wizard.reach.text())


def test_undo_needs_a_reason_goes_when_the_undo_is_done_and_news_goes_after_a_while(
    qtbot: QtBot, make_window: MakeWindow, door_session: DoorSession, demo_event: DemoEvent
) -> None:
    window = make_window(door_session)
    window.notice.hold_s = 3600
    entry = door_session.submit_code(valid_code(demo_event, 19)[1]).result().entry_id
    window.undo(entry, "  ")
    assert window.notice.text() == "Undo needs a reason"
    window.undo(entry, "wrong person")
    assert door_session.status().admitted == 0
    assert "Undo needs a reason" not in window.notice.text()
    window.notice.hold_s = 0.05  # news: gone after a few seconds (here: a blink)
    window.say("Report written to /tmp/report.xlsx")
    qtbot.waitUntil(lambda: "Report written" not in window.notice.text(), timeout=5_000)


# -- minors ----------------------------------------------------------------------------------------


def test_the_event_and_its_ticket_types_are_named_not_given_as_ids(
    qtbot: QtBot, make_window: MakeWindow, door_session: DoorSession, demo_event: DemoEvent
) -> None:
    window = make_window(door_session)
    assert window.windowTitle() == "Spring Ball (demo) · Door scanner"
    assert window.bar.event_name.text() == "Spring Ball (demo)"
    ticket, code = valid_code(demo_event, 21)  # a "ga" ticket
    door_session.submit_code(code)
    assert window.panel.details.text().splitlines()[0] == "General admission"
    assert window.recent.table.item(0, 3).text() == "General admission"
    search_for(qtbot, window, ticket)
    assert cell(window, ticket, 1) == "General admission"
    labels = [label.text() for label in window.counts.findChildren(QLabel)]
    assert "General admission" in labels and "ga" not in labels


def test_the_verdict_keeps_its_width_and_its_word_clear_of_its_shape(
    qtbot: QtBot,
    make_window: MakeWindow,
    door_session: DoorSession,
    demo_event: DemoEvent,
    clock: FixedClock,
) -> None:
    window = make_window(door_session, (1366, 768))
    widths = {(window.panel.width(), window.camera.width())}
    code = valid_code(demo_event, 22)[1]
    unpaid = next(r for r in demo_event.rows if r.status is TicketStatus.UNPAID)
    for text in (code, code, "not a ticket", demo_event.codes[unpaid.ticket_id]):
        door_session.submit_code(text)
        QApplication.processEvents()
        widths.add((window.panel.width(), window.camera.width()))
        clock.moment += timedelta(minutes=5)
    assert len(widths) == 1, widths  # the camera view never jumps
    splitter = window.panel.parentWidget()
    assert isinstance(splitter, QSplitter)
    splitter.setSizes([window.width(), 10])  # dragged as far as it goes
    QApplication.processEvents()
    panel = window.panel
    for text in (code, "not a ticket"):
        door_session.submit_code(text)
        QApplication.processEvents()
        word = panel.word
        needed = word.fontMetrics().horizontalAdvance(word.text())
        assert panel.icon.geometry().right() < word.geometry().left()
        assert needed <= word.width(), (word.text(), needed, word.width())


@pytest.mark.parametrize("tab", ["recent", "search"])
def test_a_laptop_screen_shows_at_least_6_rows_of_recent_scans_and_search(
    qtbot: QtBot, make_window: MakeWindow, door_session: DoorSession, tab: str
) -> None:
    window = make_window(door_session, (1366, 768))
    table = window.recent.table if tab == "recent" else window.search.table
    window.tabs.setCurrentWidget(window.recent if tab == "recent" else window.search)
    QApplication.processEvents()
    rows = table.viewport().height() // table.verticalHeader().defaultSectionSize()
    assert rows >= 6, rows


def test_recent_scans_give_the_reason_room(
    make_window: MakeWindow, door_session: DoorSession, demo_event: DemoEvent
) -> None:
    window = make_window(door_session, (1366, 768))
    canceled = next(r for r in demo_event.rows if r.status is TicketStatus.CANCELED)
    door_session.submit_code(demo_event.codes[canceled.ticket_id])
    QApplication.processEvents()
    table = window.recent.table
    reason = table.item(0, 5).text()
    assert reason == "Ticket canceled or refunded"
    assert table.fontMetrics().horizontalAdvance(reason) < table.columnWidth(5)
    assert table.columnWidth(2) < 0.45 * table.viewport().width()


def test_the_camera_menu_reopens_whole_and_names_the_camera_in_use(
    qtbot: QtBot, make_window: MakeWindow, door_session: DoorSession
) -> None:
    door_session.camera.open("synthetic:loop=1")
    window = make_window(door_session)
    menu = window.camera_menu
    for _ in range(3):  # opened again and again
        menu.aboutToShow.emit()
        QApplication.processEvents()
        texts = [action.text() for action in menu.actions() if not action.isSeparator()]
        assert "Settings…" in texts, texts
        checked = [action.text() for action in menu.actions() if action.isChecked()]
        assert len(checked) == 1 and "Synthetic" in checked[0], texts


def test_quit_is_in_the_file_menu_and_closing_a_door_asks_first(
    qtbot: QtBot, make_window: MakeWindow, door_session: DoorSession
) -> None:
    window = at_the_door(qtbot, make_window, door_session)
    file_menu = window.menuBar().actions()[0].menu()
    assert isinstance(file_menu, QMenu)
    quit_action = next(a for a in file_menu.actions() if a.text() == "&Quit")
    assert quit_action.shortcut().toString() == "Ctrl+Q"
    QTest.keyClick(window.search.box, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    question = window.close_question
    assert question is not None and question.isVisible() and window.isVisible()
    assert not covers_the_verdict(window, question)
    question.button(QMessageBox.StandardButton.Cancel).click()  # a stray key: the door stays
    assert window.isVisible() and window.close_question is None
    window.close()  # Alt+F4, the window manager's close button: the same question
    question = window.close_question
    assert question is not None and question.isVisible()
    question.button(QMessageBox.StandardButton.Close).click()
    assert not window.isVisible()


def test_a_door_without_a_server_shows_how_old_its_attendee_list_is(
    qtbot: QtBot, make_window: MakeWindow, door_session: DoorSession, clock: FixedClock
) -> None:
    window = make_window(door_session)
    door_session.submit_code("not a ticket")  # counts come after a scan
    window.sync_badge.set_state(SyncStateChanged(SyncState(Link.NOT_ENROLLED), None))
    assert "list 0 s old" in window.sync_badge.text()
    clock.moment += timedelta(hours=3)
    qtbot.waitUntil(lambda: "list 3 h 0 min old" in window.sync_badge.text(), timeout=5_000)


def test_the_conflict_list_names_the_guest(
    make_window: MakeWindow, door_session: DoorSession, demo_event: DemoEvent
) -> None:
    window = make_window(door_session)
    ticket, code = valid_code(demo_event, 23)
    door_session.submit_code(code)  # here, and (synced later) at another door before
    write_sql(
        store_of(door_session),
        "INSERT INTO remote_passages (entry_id, event_id, ticket_id, direction, at, door,"
        " device_id, day, annulled) SELECT '6b0c3c52-5a3e-4d7e-9d0e-2f1f7e0c0a02', event_id,"
        " ticket_id, 'entry', '2026-05-01T17:29:00+00:00', 'north', 'dev-north', 1, 0"
        " FROM tickets WHERE ticket_id = ?",
        ticket,
    )
    holder = next(r.holder_name for r in demo_event.rows if r.ticket_id == ticket)
    details = SyncDetails(door_session, None, window)
    assert details.conflicts.item(0, 0).text() == f"{holder} ({ticket})"
    details.close()


def test_exit_mode_keeps_its_switch_a_button_and_its_words_exits(
    qtbot: QtBot, make_window: MakeWindow, door_session: DoorSession, demo_event: DemoEvent
) -> None:
    window = make_window(door_session)
    window.bar.direction.click()
    QApplication.processEvents()
    switch = window.bar.direction
    picture = window.grab().toImage()
    inside = switch.mapTo(window, QPoint(switch.width() // 2, 1))  # its edge
    outside = switch.mapTo(window, QPoint(switch.width() // 2, -3))  # the frame around it
    assert picture.pixelColor(inside) != picture.pixelColor(outside)
    assert window.search.admit_button.text() == "Record exit by hand… (Enter)"
    assert window.panel.reason.text() == "Scan the ticket with the hand scanner (exit)"
    ticket = valid_code(demo_event, 24)[0]
    search_for(qtbot, window, ticket)
    window.search.table.selectRow(0)
    window.search.admit_button.click()
    assert window.reason_dialog is not None
    assert window.reason_dialog.windowTitle() == "Exit by hand"


def test_how_a_code_came_in_and_how_to_scan_are_in_staffs_words(
    make_window: MakeWindow, door_session: DoorSession, demo_event: DemoEvent
) -> None:
    door_session.camera.open("/dev/video-none-here")  # no camera at this door
    window = make_window(door_session)
    assert window.panel.reason.text() == "Scan the ticket with the hand scanner"
    send_keys(then(paced(valid_code(demo_event, 25)[1], [3]), "Enter", 3))
    assert window.recent.table.item(0, 4).text() == "hand scanner"


def test_an_out_of_order_kiosk_speaks_every_language_and_used_reads_plainly(
    qtbot: QtBot,
) -> None:
    from scanner.lang import _, set_language
    from scanner.ui.kiosk_pages import OutOfOrderPage

    try:
        set_language("de")
        page = OutOfOrderPage()
        qtbot.addWidget(page)
        german, english = page.words.text().split("<br>")
        assert german == "Außer Betrieb, bitte den besetzten Eingang benutzen"
        assert english.endswith(">Out of order, please use the staffed entrance</span>")
        assert _("ALREADY USED") == "BEREITS BENUTZT"
    finally:
        set_language("en")


def test_a_kiosk_whose_recording_or_stream_ends_goes_out_of_order(
    make_kiosk: MakeKiosk, kiosk_session: DoorSession, demo_event: DemoEvent
) -> None:
    kiosk_session.camera.open(SyntheticSource([valid_code(demo_event)[1]], paced=False))
    window = make_kiosk(kiosk_session, expects_camera=True)
    for _ in range(500):
        kiosk_session.camera.step()
        if kiosk_session.camera.state.state is CameraState.ENDED:
            break
    assert kiosk_session.camera.state.state is CameraState.ENDED
    window.show_idle()  # the guest's verdict has had its time
    assert window.page is window.out_of_order


def test_a_kiosk_says_refusals_and_wrong_pins_large(
    make_kiosk: MakeKiosk, kiosk_session: DoorSession, demo_event: DemoEvent
) -> None:
    from tests.ui.test_kiosk import type_pin

    window = make_kiosk(kiosk_session)
    canceled = next(r for r in demo_event.rows if r.status is TicketStatus.CANCELED)
    kiosk_session.submit_code(demo_event.codes[canceled.ticket_id])
    reason = window.verdict.reason
    assert reason.text() == "Ticket canceled or refunded"
    assert reason.font().pixelSize() >= 0.055 * window.height()  # staff read it from metres
    window.show_idle()
    type_pin(window, "0000")
    pad = window.pin_pad
    assert pad.message.text().startswith("Wrong PIN")
    key = pad.keys["1"]
    assert QFontInfo(pad.message.font()).pixelSize() >= QFontInfo(key.font()).pixelSize()


def test_door_name_and_check_in_list_are_two_choices_the_list_changed_only_on_purpose(
    make_window: MakeWindow, door_session: DoorSession, demo_event: DemoEvent
) -> None:
    window = make_window(door_session)
    assert window.bar.door.text() == "Main entrance"
    assert window.bar.admits.text() == "admits General admission, VIP"
    assert not isinstance(window.bar.door, QComboBox)  # nothing to type into by mistake
    crew = next(r for r in demo_event.rows if r.ticket_type == "crew" and not r.flags)
    dialog = window.open_settings()
    dialog.door.setText("Backstage")  # a door renamed like another list...
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert door_session.settings.door == "Backstage"
    assert window.bar.admits.text() == "admits General admission, VIP"  # ...keeps its list
    assert door_session.submit_code(demo_event.codes[crew.ticket_id]).result().verdict.reason == (
        "wrong_ticket_type"
    )
    dialog = window.open_settings()
    dialog.checkin_list.setCurrentIndex(dialog.checkin_list.findData("backstage"))  # on purpose
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert window.bar.admits.text() == "admits Crew, VIP"
    assert door_session.submit_code(demo_event.codes[crew.ticket_id]).result().verdict.admitted
