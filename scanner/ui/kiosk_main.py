"""`scanner window --kiosk` (or the kiosk setting): one kiosk per data folder (nor a door window
beside it), full screen, screen kept on; leaving it from the staff menu opens the door window on
the same session. A kiosk whose window was taken away (closed by another program) exits with
WINDOW_LOST, so that its service starts it again."""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import QApplication

from scanner.app import kiosk
from scanner.app.autostart import ALREADY_RUNNING
from scanner.app.session import DoorSession
from scanner.app.window_session import demo_session, door_session
from scanner.lang import on_change
from scanner.ui.door_window import DoorWindow
from scanner.ui.kiosk_window import KioskWindow
from scanner.ui.qt_language import start_language, use_qt_language
from scanner.ui.screen_saver import ScreenSaverInhibitor
from scanner.ui.single_instance import KIOSK, WINDOW, SingleInstance

log = logging.getLogger(__name__)

DEMO_PIN = "1234"
WINDOW_LOST = 75  # EX_TEMPFAIL: the unit (Restart=always) starts the kiosk again


def bring_forward(window: KioskWindow) -> None:
    window.take_screen()


def run(args: argparse.Namespace) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Door scanner")
    folder = Path(args.data_dir) if args.demo and args.data_dir else None
    instance = SingleInstance(kiosk.kiosk_folder(folder or args.data_dir), KIOSK, app)
    if not args.demo and not instance.acquire():
        print(instance.refusal(), file=sys.stderr)
        return ALREADY_RUNNING
    opener = demo_session if args.demo else door_session
    try:
        with opener(args) as session:
            return _run(app, args, session, instance)
    finally:
        instance.release()


def _run(
    app: QApplication, args: argparse.Namespace, session: DoorSession, instance: SingleInstance
) -> int:
    if session.lead_pin() is None:
        if not args.demo:
            print("no lead PIN yet: run `scanner kiosk set-pin` first", file=sys.stderr)
            return 2
        session.set_lead_pin(DEMO_PIN)
        print(f"demo: the lead PIN is {DEMO_PIN}", file=sys.stderr)
    # the kiosk returns to this language after each attendee who chose another
    settings = replace(session.kiosk_settings(), language=start_language(session))
    forget = on_change(follow_in_qt)
    guard = session.pin_guard()
    expects_camera = session.camera.state.state.value != "none" or bool(args.source)
    window = KioskWindow(session, guard, settings, expects_camera=expects_camera)
    instance.raise_requested.connect(lambda: bring_forward(window))
    door: list[DoorWindow] = []
    window.left.connect(lambda: door.append(_door_window(session, instance)))
    window.window_lost.connect(lambda: _lost(app))
    screen = ScreenSaverInhibitor()
    screen.inhibit()
    session.start()
    session.refresh_counts()
    window.hold_full_screen()
    try:
        return int(app.exec())
    finally:
        screen.release()
        forget()


def follow_in_qt(language: str) -> None:
    """Qt's standard dialogs follow our language (the kiosk's flag switches it)."""
    use_qt_language(language)


def _lost(app: QApplication) -> None:
    print(
        "the kiosk's window was taken away (closed by another program): exiting, for the "
        "kiosk's service to start it again",
        file=sys.stderr,
    )
    log.warning("the kiosk's window was taken away: exiting with status %d", WINDOW_LOST)
    app.exit(WINDOW_LOST)


def _door_window(session: DoorSession, instance: SingleInstance) -> DoorWindow:
    instance.what = WINDOW
    window = DoorWindow(session)
    window.bar.reload()
    window.showMaximized()
    return window
