"""Languages: every visible string goes through the catalogue and has German; German text fits
its widgets at 1280x720; the command line says its verdicts in German too."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from scanner.app.demo import DemoEvent
from scanner.app.kiosk import KioskSettings
from scanner.app.session import DoorSession
from scanner.checkin.reasons import TicketStatus
from scanner.lang import LOCALE_DIR, PSEUDO_MARKS, local_datetime, local_time, set_language
from tests.app.test_session import valid_code
from tests.ui.kiosk_fixtures import PIN, MakeKiosk, kiosk_session, make_kiosk, ticking
from tests.ui.languages import cut_off, visible_texts
from tests.ui.test_kiosk import type_pin

__all__ = ["kiosk_session", "make_kiosk", "ticking"]  # fixtures

ROOT = Path(__file__).resolve().parents[2]
# Texts that are data or deliberately the same in every language.
HOLDERS: set[str] = set()  # the demo attendees' names (data, not words)
NOT_WORDS = {"Main entrance", "tester", "ga", "vip", "crew", "Deutsch", "English", "·", "OK"}
NOT_WORDS |= {"Cancel"}  # Qt's standard buttons: Qt's own catalogue says them (qt_language)


def untranslated(root: QWidget) -> list[str]:
    found = []
    for widget, text in visible_texts(root):
        if not re.search(r"[A-Za-z]{2,}", text) or text in NOT_WORDS | HOLDERS:
            continue
        if PSEUDO_MARKS[0] not in text:
            found.append(f"{type(widget).__name__}: {text!r}")
    return found


def cut(root: QWidget) -> list[str]:
    for _round in range(5):  # laid out as a person would see it
        QApplication.processEvents()
    return [
        f"{type(widget).__name__}: {text!r} ({widget.width()}x{widget.height()})"
        for widget, text in visible_texts(root)
        if text and cut_off(widget, text)
    ]


def walk_kiosk(
    make_kiosk: MakeKiosk,
    session: DoorSession,
    event: DemoEvent,
    check: Callable[[QWidget], list[str]],
    language: str,
) -> list[str]:
    HOLDERS.update(session.names().ticket_types.values())  # the event's words, not ours
    window = make_kiosk(session, KioskSettings(language=language), size=(1280, 720))
    problems = check(window)  # attract
    session.submit_code(valid_code(event)[1])
    problems += check(window)  # admitted
    canceled = next(r for r in event.rows if r.status is TicketStatus.CANCELED)
    session.submit_code(event.codes[canceled.ticket_id])
    problems += check(window)  # refused
    window.show_idle()
    window.trouble = window._data_trouble = window._camera_trouble = None
    window._camera_trouble = "camera"  # type: ignore[assignment]
    window._update_trouble()
    problems += check(window)  # out of order
    type_pin(window, "0000")
    problems += check(window)  # PIN pad with a message
    type_pin(window, PIN)
    problems += check(window)  # staff menu
    return problems


def test_every_visible_kiosk_string_goes_through_the_catalogue(
    make_kiosk: MakeKiosk, kiosk_session: DoorSession, demo_event: DemoEvent
) -> None:
    problems = walk_kiosk(make_kiosk, kiosk_session, demo_event, untranslated, "pseudo")
    assert problems == [], "\n".join(problems)


def test_german_kiosk_text_fits_at_1280x720(
    make_kiosk: MakeKiosk, kiosk_session: DoorSession, demo_event: DemoEvent
) -> None:
    problems = walk_kiosk(make_kiosk, kiosk_session, demo_event, cut, "de")
    assert problems == [], "\n".join(problems)


def test_every_message_has_german_and_the_catalogue_is_compiled() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "translations.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    from babel.messages.pofile import read_po

    with (LOCALE_DIR / "de" / "LC_MESSAGES" / "scanner.po").open("rb") as handle:
        catalog = read_po(handle)
    missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert missing == []
    placeholders = re.compile(r"\{\w*\}")
    for message in catalog:
        if message.id and isinstance(message.id, str):
            assert sorted(placeholders.findall(message.id)) == sorted(
                placeholders.findall(str(message.string))
            ), message.id


def test_times_are_written_in_the_event_zone_as_each_language_writes_them() -> None:
    moment = datetime(2026, 5, 1, 17, 30, 5, tzinfo=UTC)
    try:
        set_language("de")
        assert local_time(moment, "Europe/Berlin") == "19:30:05"
        assert local_datetime(moment, "Europe/Berlin") == "01.05.2026, 19:30:05"
        set_language("en")
        assert local_time(moment, "Europe/Berlin") == "19:30:05"
        assert local_datetime(moment, "America/New_York") == "1 May 2026, 13:30:05"
    finally:
        set_language("en")


def test_the_command_line_says_its_verdicts_in_german(
    data_dir: Path, demo_event: DemoEvent
) -> None:
    # The command line reads the real clock: the demo event (May 2026) is over by now, which
    # the door says in words of their own.
    code = valid_code(demo_event)[1]
    env = {**os.environ, "SCANNER_LANGUAGE": "de"}
    command = [sys.executable, "-m", "scanner", "--data-dir", str(data_dir), "check", code]
    german = subprocess.run(command, capture_output=True, text=True, env=env)
    assert german.stdout.startswith("ABGELEHNT · Heute nicht gültig: die Veranstaltung ist vorbei")
    assert "Außerhalb der Veranstaltungstage" in german.stdout
    english = subprocess.run(
        command, capture_output=True, text=True, env={**env, "SCANNER_LANGUAGE": "en"}
    )
    assert english.stdout.startswith("REFUSED · Not valid today: the event is over")


@pytest.mark.parametrize(
    ("tag", "language"),
    [("de_DE.UTF-8", "de"), ("de_AT", "de"), ("fr_FR.UTF-8", "en"), ("C", "en")],
)
def test_the_language_follows_the_system_locale(
    monkeypatch: pytest.MonkeyPatch, tag: str, language: str
) -> None:
    from scanner.lang import system_language

    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", tag)
    monkeypatch.setattr("locale.getlocale", lambda: (None, None))
    assert system_language() == language


def walk_window(
    make_window: Callable[..., QWidget],
    session: DoorSession,
    event: DemoEvent,
    check: Callable[[QWidget], list[str]],
) -> list[str]:
    from scanner.ui.door_window import DoorWindow

    HOLDERS.update(row.holder_name for row in event.rows)
    HOLDERS.update(session.names().ticket_types.values())  # the event's words, not ours
    HOLDERS.add(session.names().event)
    window = make_window(session, (1280, 720))
    assert isinstance(window, DoorWindow)
    problems = check(window)  # ready
    code = valid_code(event)[1]
    session.submit_code(code)
    problems += check(window)  # admitted
    session.submit_code(code)
    problems += check(window)  # just admitted here (a repeat seconds later)
    session.clock.moment += timedelta(minutes=5)
    session.submit_code(code)
    problems += check(window)  # already used, with the first admission
    for tab in range(window.tabs.count()):
        window.tabs.setCurrentIndex(tab)
        problems += check(window)
    asked = window.undo_last()
    assert asked is not None
    asked.accept()  # no reason given: it says what is missing
    problems += check(asked)
    asked.close()
    return problems


@pytest.fixture
def window_language() -> Iterator[Callable[[str], None]]:
    yield set_language
    set_language("en")


def test_every_visible_window_string_goes_through_the_catalogue(
    make_window: Callable[..., QWidget],
    door_session: DoorSession,
    demo_event: DemoEvent,
    window_language: Callable[[str], None],
) -> None:
    window_language("pseudo")
    problems = walk_window(make_window, door_session, demo_event, untranslated)
    assert problems == [], "\n".join(problems)


def test_german_window_text_fits_at_1280x720(
    make_window: Callable[..., QWidget],
    door_session: DoorSession,
    demo_event: DemoEvent,
    window_language: Callable[[str], None],
) -> None:
    window_language("de")
    problems = walk_window(make_window, door_session, demo_event, cut)
    assert problems == [], "\n".join(problems)
