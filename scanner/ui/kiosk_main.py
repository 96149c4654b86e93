"""`scanner window --kiosk` (or the kiosk setting): one kiosk per data folder, full screen,
screen kept on; leaving it from the staff menu opens the door window on the same session."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import QApplication

from scanner.app import kiosk
from scanner.app.session import DoorSession
from scanner.app.window_session import demo_session, door_session
from scanner.lang import on_change
from scanner.ui.door_window import DoorWindow
from scanner.ui.kiosk_window import KioskWindow
from scanner.ui.qt_language import start_language, use_qt_language
from scanner.ui.screen_saver import ScreenSaverInhibitor
from scanner.ui.single_instance import SingleInstance

DEMO_PIN = "1234"
ALREADY_RUNNING = 3


def bring_forward(window: KioskWindow) -> None:
    window.showFullScreen()
    window.raise_()
    window.activateWindow()


def run(args: argparse.Namespace) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Door scanner")
    folder = Path(args.data_dir) if args.demo and args.data_dir else None
    instance = SingleInstance(kiosk.kiosk_folder(folder or args.data_dir), app)
    if not args.demo and not instance.acquire():
        print(
            f"the kiosk already runs on {instance.folder}: brought it to the front",
            file=sys.stderr,
        )
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
    guard = kiosk.PinGuard(session.lead_pin())
    expects_camera = session.camera.state.state.value != "none" or bool(args.source)
    window = KioskWindow(session, guard, settings, expects_camera=expects_camera)
    instance.raise_requested.connect(lambda: bring_forward(window))
    door: list[DoorWindow] = []
    window.left.connect(lambda: door.append(_door_window(session)))
    screen = ScreenSaverInhibitor()
    screen.inhibit()
    session.start()
    session.refresh_counts()
    window.showFullScreen()
    try:
        return int(app.exec())
    finally:
        screen.release()
        forget()


def follow_in_qt(language: str) -> None:
    """Qt's standard dialogs follow our language (the kiosk's flag switches it)."""
    use_qt_language(language)


def _door_window(session: DoorSession) -> DoorWindow:
    window = DoorWindow(session)
    window.bar.reload()
    window.showMaximized()
    return window
