"""The self-service kiosk with real widgets offscreen and a real store: attendees cannot leave
it, staff can (PIN or staff QR), verdicts come and go by an injected clock, and it goes out of
order and back by itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from scanner.app import kiosk
from scanner.app.clock import FixedClock
from scanner.app.demo import DemoEvent
from scanner.app.kiosk import KioskSettings, PinCheck
from scanner.app.session import DoorSession
from scanner.camera.synthetic import SyntheticSource
from scanner.checkin.reasons import TicketStatus
from scanner.lang import current
from scanner.ui.kiosk_window import KioskWindow
from scanner.ui.verdict_style import Look
from tests.app.test_session import Flaky, valid_code
from tests.ui.kiosk_fixtures import PIN, MakeKiosk, Ticking, kiosk_session, make_kiosk, ticking

__all__ = ["kiosk_session", "make_kiosk", "ticking"]  # fixtures


def type_pin(window: KioskWindow, pin: str) -> PinCheck | None:
    window.open_pin_pad()
    for digit in pin:
        window.pin_pad.keys[digit].click()
    window.pin_pad.keys["ok"].click()
    return None


def test_every_way_of_closing_the_kiosk_is_refused_without_the_pin(
    qtbot: QtBot, make_kiosk: MakeKiosk, kiosk_session: DoorSession
) -> None:
    window = make_kiosk(kiosk_session)
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert window.cursor().shape() is Qt.CursorShape.BlankCursor
    assert window.close() is False
    qtbot.keyClick(window, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.keyClick(window.pin_pad, Qt.Key.Key_Escape)
    QApplication.closeAllWindows()
    assert window.isVisible() and window.page is window.attract
    # a wrong PIN: still no way out, and the staff menu stays shut
    type_pin(window, "0000")
    assert window.page is window.pin_pad and "Wrong PIN" in window.pin_pad.message.text()
    window.pin_pad.cancel.click()
    assert window.page is window.attract
    assert window.isVisible()
    # the right PIN opens the staff menu; leaving from there closes the kiosk
    left: list[bool] = []
    window.left.connect(lambda: left.append(True))
    type_pin(window, PIN)
    assert window.page is window.staff
    window.staff.leave_button.click()
    assert left == [True] and not window.isVisible()


def test_five_wrong_pins_lock_the_pin_for_a_minute(
    make_kiosk: MakeKiosk, kiosk_session: DoorSession, ticking: Ticking
) -> None:
    window = make_kiosk(kiosk_session)
    for _ in range(4):
        type_pin(window, "9999")
    assert "Tries left: 1" in window.pin_pad.message.text()
    type_pin(window, "9999")
    assert "locked for 60 s" in window.pin_pad.message.text()
    assert not window.pin_pad.keys["1"].isEnabled()
    assert window.pin_pad.submit(PIN) is PinCheck.LOCKED  # even the right one, while locked
    assert window.page is window.pin_pad
    ticking.step(30)
    window.tick()
    assert "locked for 30 s" in window.pin_pad.message.text()
    ticking.step(30)
    window.tick()
    type_pin(window, PIN)
    assert window.page is window.staff


def test_a_staff_qr_code_opens_the_menu_and_never_reaches_the_door(
    qtbot: QtBot, make_kiosk: MakeKiosk, kiosk_session: DoorSession
) -> None:
    staff = kiosk.staff_code(PIN)
    kiosk_session.camera.open(SyntheticSource([staff], paced=False))
    window = make_kiosk(kiosk_session)
    for _ in range(30):
        kiosk_session.camera.step()
        if window.page is window.staff:
            break
        qtbot.wait(10)
    qtbot.waitUntil(lambda: window.page is window.staff)
    assert kiosk_session.recent() == []  # not a scan: nothing in the journal
    window.staff.back_button.click()
    assert window.page is window.attract
    # by hand scanner, a wrong staff code counts as a wrong try
    for key in kiosk.staff_code("1111"):
        kiosk_session.feed_key(key, 1.0)
    kiosk_session.feed_key("Enter", 1.01)
    assert window.page is window.pin_pad
    assert "Staff code not accepted" in window.pin_pad.message.text()
    assert window.pin_pad.guard.tries_left == 4
    assert kiosk_session.recent() == []


def test_verdicts_go_back_to_the_attract_screen_after_3_s_and_refusals_after_5_s(
    make_kiosk: MakeKiosk, kiosk_session: DoorSession, demo_event: DemoEvent, ticking: Ticking
) -> None:
    window = make_kiosk(kiosk_session)
    kiosk_session.submit_code(valid_code(demo_event)[1])
    assert window.page is window.verdict and window.verdict.look is Look.ADMITTED
    assert window.verdict.next_step.text() == "Welcome, go ahead"
    assert window.sounds.requested == ["admit"]
    ticking.step(2.9)
    window.tick()
    assert window.page is window.verdict
    ticking.step(0.1)
    window.tick()
    assert window.page is window.attract
    canceled = next(r for r in demo_event.rows if r.status is TicketStatus.CANCELED)
    kiosk_session.submit_code(demo_event.codes[canceled.ticket_id])
    assert window.verdict.look is Look.REFUSED
    assert window.verdict.next_step.text() == "Please see the staff at the desk"
    assert window.verdict.reason.text() == "Ticket canceled or refunded"
    ticking.step(4.9)
    window.tick()
    assert window.page is window.verdict
    ticking.step(0.1)
    window.tick()
    assert window.page is window.attract


def test_out_of_order_when_the_camera_goes_away_and_back_by_itself(
    make_kiosk: MakeKiosk, kiosk_session: DoorSession, demo_event: DemoEvent
) -> None:
    source = Flaky(SyntheticSource([valid_code(demo_event)[1]], paced=False))
    kiosk_session.camera.open(source)
    window = make_kiosk(kiosk_session, expects_camera=True)
    assert window.page is window.out_of_order  # no picture yet
    kiosk_session.camera.step()
    assert window.page in (window.attract, window.verdict)
    window.show_idle()
    source.broken = True
    kiosk_session.camera.step()
    assert window.page is window.out_of_order
    said = window.out_of_order.words.text().split("<br>")
    assert said[0] == "Out of order, please use the staffed entrance"  # its language first
    kiosk_session.camera.step()  # reconnecting: still out of order
    assert window.page is window.out_of_order
    source.broken = False
    kiosk_session.camera.step()
    assert window.page in (window.attract, window.verdict)


def test_out_of_order_while_the_data_cannot_decide_and_back_after_an_import(
    make_kiosk: MakeKiosk,
    tmp_path: Path,
    clock: FixedClock,
    snapshot_file: Path,
    demo_event: DemoEvent,
    ticking: Ticking,
) -> None:
    session = DoorSession(tmp_path / "empty", clock=clock, synchronous=True)
    session.set_lead_pin(PIN)
    window = make_kiosk(session)
    assert window.page is window.out_of_order
    session.setup.import_snapshot(snapshot_file, demo_event.platform_fingerprint).result()
    ticking.step(5)
    window.tick()
    assert window.page is window.attract


def test_the_flag_switches_the_language_for_the_next_attendee_only(
    make_kiosk: MakeKiosk, kiosk_session: DoorSession, demo_event: DemoEvent, ticking: Ticking
) -> None:
    window = make_kiosk(kiosk_session)
    assert window.attract.words.text() == "Hold your ticket's QR code up to the camera"
    assert window.attract.flag.text() == "Deutsch"
    window.attract.flag.click()
    assert current() == "de"
    assert window.attract.words.text() == "Halten Sie den QR-Code Ihres Tickets vor die Kamera"
    assert window.attract.flag.text() == "English"
    kiosk_session.submit_code(valid_code(demo_event)[1])
    assert window.verdict.word.text() == "EINLASS"
    assert window.verdict.next_step.text() == "Willkommen, bitte eintreten"
    ticking.step(3)
    window.tick()
    assert window.page is window.attract and current() == "en"
    assert window.attract.words.text() == "Hold your ticket's QR code up to the camera"


def test_a_language_chosen_but_not_used_falls_back_after_a_while(
    make_kiosk: MakeKiosk, kiosk_session: DoorSession, ticking: Ticking
) -> None:
    window = make_kiosk(kiosk_session, KioskSettings(language="de"))
    assert window.attract.flag.text() == "English"
    window.attract.flag.click()
    assert current() == "en"
    ticking.step(30)
    window.tick()
    assert current() == "de"


@pytest.mark.parametrize(("names", "shown"), [("hidden", ""), ("first", "first")])
def test_names_are_hidden_or_first_name_only(
    make_kiosk: MakeKiosk,
    kiosk_session: DoorSession,
    demo_event: DemoEvent,
    names: str,
    shown: str,
) -> None:
    window = make_kiosk(kiosk_session, KioskSettings(names=names))
    ticket, code = valid_code(demo_event)
    holder = next(r for r in demo_event.rows if r.ticket_id == ticket).holder_name
    kiosk_session.submit_code(code)
    visible = [w.text() for w in window.verdict.findChildren(type(window.verdict.word))]
    surname = holder.split()[-1]
    assert all(surname not in text for text in visible)
    if shown == "first":
        assert window.verdict.name.text() == holder.split()[0]
    else:
        assert window.verdict.name.text() == "" and not window.verdict.name.isVisible()
    # staff-only things are not on the attendee's screens
    assert window.staff.isHidden() or not window.staff.isVisible()


def test_a_code_shown_while_staff_work_is_recorded_but_the_menu_stays(
    make_kiosk: MakeKiosk, kiosk_session: DoorSession, demo_event: DemoEvent
) -> None:
    window = make_kiosk(kiosk_session)
    type_pin(window, PIN)
    kiosk_session.submit_code(valid_code(demo_event)[1])
    assert window.page is window.staff
    assert len(kiosk_session.recent()) == 1
    assert "Admitted 1 /" in window.staff.counts.headline.text()


def test_the_staff_menu_switches_exit_mode_and_closes_when_left_open(
    make_kiosk: MakeKiosk, kiosk_session: DoorSession, ticking: Ticking
) -> None:
    window = make_kiosk(kiosk_session)
    type_pin(window, PIN)
    window.staff.direction.click()
    assert kiosk_session.exit_mode and window.staff.direction.text() == "Exit"
    ticking.step(60)
    window.tick()
    assert window.page is window.attract


def test_a_lock_outlives_the_kiosk_and_the_next_one_lasts_twice_as_long(
    make_kiosk: MakeKiosk,
    kiosk_session: DoorSession,
    data_dir: Path,
    clock: FixedClock,
    ticking: Ticking,
) -> None:
    """Issue 21, item 8: whoever kills the kiosk to be rid of a lock finds it locked again."""
    first = make_kiosk(kiosk_session)
    for _ in range(kiosk.MAX_TRIES):
        type_pin(first, "9999")
    assert "locked for 60 s" in first.pin_pad.message.text()
    ticking.step(10)
    restarted = DoorSession(data_dir, door="Main entrance", clock=clock, synchronous=True)
    again = make_kiosk(restarted)  # a new process's kiosk on the same data file
    type_pin(again, PIN)
    assert again.page is again.pin_pad and "locked for 50 s" in again.pin_pad.message.text()
    assert not again.pin_pad.keys["1"].isEnabled()
    ticking.step(50)
    again.tick()
    for _ in range(kiosk.MAX_TRIES):
        type_pin(again, "9999")
    assert "locked for 120 s" in again.pin_pad.message.text()


def test_a_kiosk_held_full_screen_takes_the_screen_back(
    qtbot: QtBot, make_kiosk: MakeKiosk, kiosk_session: DoorSession, ticking: Ticking
) -> None:
    window = make_kiosk(kiosk_session)
    window.hold_full_screen()
    screen = window.screen().geometry()

    def full() -> bool:
        return window.isVisible() and window.isFullScreen() and window.geometry() == screen

    qtbot.waitUntil(full)
    window.hide()  # as another program unmapping it
    ticking.step(1.1)
    window.tick()
    qtbot.waitUntil(full)
    window.showNormal()  # and resizing it
    window.setGeometry(10, 10, 300, 200)
    assert not full()
    ticking.step(1.1)
    window.tick()
    qtbot.waitUntil(full)
    window.showMinimized()
    qtbot.waitUntil(full)
