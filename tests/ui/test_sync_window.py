"""The window against the real companion API: enrolment, offline and back, conflicts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from scanner.app.clock import FixedClock
from scanner.app.session import DoorSession
from scanner.ui.door_window import DoorWindow
from scanner.ui.sync_badge import SyncDetails
from scanner.ui.verdict_style import Look
from scanner.ui.wizard import EnrolWizard, split_link
from tests.store_jobs import read_sql, store_of
from tests.ui.conftest import Server, enrolled_session

MakeWindow = Callable[..., DoorWindow]


def test_the_enrolment_wizard_downloads_the_list(
    qtbot: QtBot, make_window: MakeWindow, server: Server, tmp_path: Path
) -> None:
    session = DoorSession(tmp_path / "fresh")  # threaded: enrolment runs in the background
    window = make_window(session)
    assert not session.has_event()
    wizard = EnrolWizard(window.bridge, window)
    qtbot.addWidget(wizard)
    wizard.show()
    code = server.event.enrollment_code("north")
    wizard.code.setText(f"scanner://enrol?url={server.url}&code={code}")  # a pasted link
    assert wizard.url.text() == server.url and wizard.code.text() == code
    wizard.device_name.setText("  North gate laptop ")
    progress: list[tuple[int, int | None]] = []
    window.bridge.progress.connect(lambda e: progress.append((e.done, e.total)))
    wizard.start.click()
    qtbot.waitUntil(lambda: wizard.done_ok, timeout=30_000)
    assert session.has_event() and session.status().expected == 20
    assert progress[-1] == (0, None) or progress
    assert window.bar.door.text() == "north"
    assert session.about().device_name == "North gate laptop"  # what the other doors show


def test_a_wrong_enrolment_code_says_why(
    qtbot: QtBot, make_window: MakeWindow, server: Server, tmp_path: Path
) -> None:
    session = DoorSession(tmp_path / "fresh")
    window = make_window(session)
    wizard = EnrolWizard(window.bridge, window)
    qtbot.addWidget(wizard)
    wizard.url.setText(server.url)
    wizard.code.setText("not-a-code")
    wizard.start.click()
    qtbot.waitUntil(lambda: "Did not work" in wizard.status.text(), timeout=30_000)
    assert not wizard.done_ok and not session.has_event()


def test_an_enrolment_link_is_split_into_server_and_code() -> None:
    assert split_link("https://x.example/enrol?url=https://api.example&code=AB12") == (
        "https://api.example",
        "AB12",
    )
    assert split_link("AB12") is None


def test_the_sync_badge_goes_offline_and_back(
    make_window: MakeWindow, server: Server, tmp_path: Path
) -> None:
    session = enrolled_session(server, tmp_path / "door", "north")
    window = make_window(session)
    session.sync_now()
    badge = window.sync_badge
    assert badge.text().startswith("Online") and not badge.red
    server.stop()
    session.sync_now()
    assert badge.text().startswith("Offline since")
    session.submit_code(server.event.codes[server.event.ticket_ids[0]], "camera")
    session.sync_now()
    assert badge.text().startswith("Offline since") and "1 to send" in badge.text()
    assert not badge.red, "offline is a normal way of working, not an error"
    assert window.panel.offline.isVisibleTo(window.panel)
    server.start()
    session.sync_now()
    assert badge.text().startswith("Online") and "to send" not in badge.text()


def test_a_conflict_shows_after_two_offline_doors_sync(
    make_window: MakeWindow, server: Server, tmp_path: Path
) -> None:
    north = enrolled_session(server, tmp_path / "north", "north", "North gate laptop")
    south_clock = FixedClock(datetime.now(UTC))
    south = enrolled_session(
        server, tmp_path / "south", "south", "South gate kiosk", clock=south_clock
    )
    window = make_window(north)
    south_window = make_window(south)
    code = server.event.codes[server.event.ticket_ids[3]]
    server.stop()
    assert north.submit_code(code).result().verdict.admitted
    assert south.submit_code(code).result().verdict.admitted
    server.start()
    south.sync_now()
    north.sync_now()
    assert "1 conflict" in window.sync_badge.text() and "conflicts" not in window.sync_badge.text()
    assert window.sync_badge.amber, "online, but someone must look at a double entry"
    details = SyncDetails(north, window.sync_badge.state_event, window)
    assert details.conflicts.rowCount() == 1
    assert details.conflicts.item(0, 0).text() == server.event.ticket_ids[3]  # (no name known)
    both = details.conflicts.item(0, 1).text() + details.conflicts.item(0, 2).text()
    assert "north" in both and "south" in both and "(this door)" in both
    assert "North gate laptop" in both and "South gate kiosk" in both  # names, not device ids
    details.close()
    south_clock.moment += timedelta(minutes=5)  # not the guest it just let in
    south.submit_code(code)  # the other door's admission, by the name given at enrolment
    assert south_window.panel.look is Look.ALREADY_USED
    assert "(device South gate kiosk)" in south_window.panel.details.text()
    other = server.event.codes[server.event.ticket_ids[4]]
    assert north.submit_code(other).result().verdict.admitted
    north.sync_now()
    south.sync_now()
    south.submit_code(other)
    assert "at north (device North gate laptop)" in south_window.panel.details.text()


def test_before_the_first_sync_a_verdict_is_offline_only_when_the_list_is_old(
    make_window: MakeWindow, server: Server, tmp_path: Path
) -> None:
    clock = FixedClock(datetime.now(UTC))
    session = enrolled_session(server, tmp_path / "door", "north", clock=clock)
    window = make_window(session)  # no sync cycle yet in this session: the list is seconds old
    codes = [server.event.codes[t] for t in server.event.ticket_ids[:3]]
    session.submit_code(codes[0], "camera")
    assert window.panel.look is Look.ADMITTED
    assert not window.panel.offline.isVisibleTo(window.panel)
    clock.moment += timedelta(minutes=5)  # still no word from the server, and the list aged
    session.submit_code(codes[1], "camera")
    assert window.panel.offline.isVisibleTo(window.panel)
    session.sync_now()  # the server answers
    session.submit_code(codes[2], "camera")
    assert not window.panel.offline.isVisibleTo(window.panel)


def test_the_sync_badge_shows_the_doors_nearby_while_offline(
    make_window: MakeWindow,
    server: Server,
    tmp_path: Path,
    qtbot: QtBot,
    loopback_multicast: None,
) -> None:
    """Two door sessions on this machine (discovery on loopback): with the server stopped, the
    window's badge says the other door is near, and a screenshot of a ticket it let in is
    refused here in words naming it."""
    doors = []
    for folder, door, name in (("north", "north", "North gate"), ("south", "south", None)):
        setup = enrolled_session(server, tmp_path / folder, door, name)
        setup.change_peer_settings(port=0)
        setup.close()
        doors.append(DoorSession(tmp_path / folder, sync_poll_s=0.2))
    north, south = doors
    window = make_window(south)
    make_window(north)  # (closed with it)
    server.stop()
    for session in doors:
        session.start()
    qtbot.waitUntil(lambda: "· 1 door nearby" in window.sync_badge.text(), timeout=30_000)
    assert window.sync_badge.text().startswith("Offline")
    code = server.event.codes[server.event.ticket_ids[0]]
    admitted = north.submit_code(code, "camera").result()
    assert admitted.verdict.reason == "ok"
    known = "SELECT 1 FROM remote_passages WHERE entry_id = ?"
    qtbot.waitUntil(lambda: bool(read_sql(store_of(south), known, admitted.entry_id)), timeout=2000)
    screenshot = south.submit_code(code, "camera").result()
    assert screenshot.verdict.reason == "already_checked_in"
    qtbot.waitUntil(
        lambda: any("North gate" in label.text() for label in window.panel.findChildren(QLabel))
    )
