"""A door whose clock runs a day ahead, in the window and at the kiosk, against the real
companion API (issue 21, item 1): the window warns until the clock is right, each verdict says
it was decided on the server's time, and the kiosk admits nobody until a lead confirms."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scanner.app import kiosk
from scanner.app.clock import FixedClock
from scanner.app.session import DoorSession
from scanner.lang import set_language
from scanner.ui.door_window import DoorWindow
from scanner.ui.verdict_style import Look
from tests.ui.conftest import Server, enrolled_session
from tests.ui.kiosk_fixtures import PIN, MakeKiosk, Ticking, make_kiosk, ticking

__all__ = ["make_kiosk", "ticking"]  # fixtures
MakeWindow = Callable[..., DoorWindow]


def a_day_ahead(server: Server, folder: Path) -> tuple[DoorSession, FixedClock]:
    clock = FixedClock(datetime.now(UTC) + timedelta(days=1))
    return enrolled_session(server, folder, "north", clock=clock), clock


def test_the_window_warns_until_the_clock_is_right(
    make_window: MakeWindow, server: Server, tmp_path: Path
) -> None:
    session, clock = a_day_ahead(server, tmp_path / "door")
    window = make_window(session)
    banner = window.clock_banner
    assert banner.isVisibleTo(window) and banner.wrong
    assert "This device's clock is 1440 min ahead of the server's" in banner.text()
    session.submit_code(server.event.codes[server.event.ticket_ids[0]], "camera")
    assert window.panel.look is Look.ADMITTED
    note = window.panel.clock_note
    assert note.isVisibleTo(window.panel)
    assert note.text() == "Decided on the server's time: this device's clock is 1440 min ahead"
    set_language("de")
    try:
        session.submit_code(server.event.codes[server.event.ticket_ids[1]], "camera")
        assert note.text() == (
            "Nach der Zeit des Servers entschieden: die Uhr dieses Geräts geht 1440 Min. vor"
        )
    finally:
        set_language("en")
    window.panel.show_ready()
    assert not note.isVisibleTo(window.panel)
    clock.set_to(datetime.now(UTC))  # someone sets the clock: the old correction no longer holds
    banner.refresh()
    assert banner.wrong and "when last checked and cannot be corrected now" in banner.text()
    session.sync_now()  # measured again: right
    assert not banner.isVisibleTo(window) and not banner.wrong


def test_a_never_measured_door_says_it_uses_its_own_clock(
    make_window: MakeWindow, door_session: DoorSession
) -> None:
    window = make_window(door_session)
    assert window.clock_banner.text() == (
        "Clock not checked against a server yet: this door uses its own clock."
    )
    assert not window.clock_banner.wrong


def test_the_kiosk_admits_nobody_on_a_wrong_clock_until_a_lead_confirms(
    make_kiosk: MakeKiosk, server: Server, tmp_path: Path, ticking: Ticking
) -> None:
    session, _clock = a_day_ahead(server, tmp_path / "kiosk")
    session.set_lead_pin(PIN)
    window = make_kiosk(session)
    assert window.page is window.out_of_order
    why = window.out_of_order.why.text()
    assert why.startswith("This kiosk's clock is 1440 min ahead of the server's")
    code = server.event.codes[server.event.ticket_ids[0]]
    for key in code:
        session.feed_key(key, 1.0)
    session.feed_key("Enter", 1.01)
    session.drain()
    assert session.recent() == [] and window.page is window.out_of_order  # nobody admitted
    ticking.step(10)
    window.tick()
    assert window.page is window.out_of_order  # it does not go away by itself
    window.staff_code(PIN)  # a lead shows the staff code
    assert window.page is window.staff and window.staff.confirm_clock.isVisibleTo(window)
    window.staff.confirm_clock.click()
    window.staff.back_button.click()
    assert window.page is window.attract
    session.submit_code(code)
    assert window.page is window.verdict and window.verdict.look is Look.ADMITTED
    kiosk_restarted = DoorSession(tmp_path / "kiosk", clock=_clock, synchronous=True)
    try:  # the lead's word is kept with the data: a restarted kiosk admits too
        assert kiosk_restarted.clock_trouble() is None
    finally:
        kiosk_restarted.close()
    assert kiosk.clock_trouble(session.clock_reading(), None) is kiosk.Trouble.CLOCK
