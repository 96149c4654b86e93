"""`scanner window`: the door window on a door session (and, with --demo, a demo site)."""

from __future__ import annotations

import argparse
import os
import sys

from PySide6.QtWidgets import QApplication

from scanner.app.autostart import ALREADY_RUNNING
from scanner.app.kiosk import kiosk_folder, wanted
from scanner.app.window_session import demo_session, door_session
from scanner.ui import kiosk_main
from scanner.ui.door_window import DoorWindow
from scanner.ui.qt_language import start_language
from scanner.ui.single_instance import WINDOW, SingleInstance


def has_display() -> bool:
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.startswith(("offscreen", "minimal", "vnc", "eglfs", "linuxfb")):
        return True
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def run(args: argparse.Namespace) -> int:
    if getattr(args, "kiosk", False) or (not args.demo and wanted(args.data_dir)):
        return kiosk_main.run(args)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Door scanner")
    if args.demo:  # on a folder of its own
        return _run(app, args, None)
    instance = SingleInstance(kiosk_folder(args.data_dir), WINDOW, app)
    if not instance.acquire():
        print(instance.refusal(), file=sys.stderr)
        return ALREADY_RUNNING
    try:
        return _run(app, args, instance)
    finally:
        instance.release()


def _run(app: QApplication, args: argparse.Namespace, instance: SingleInstance | None) -> int:
    opener = demo_session if args.demo else door_session
    with opener(args) as session:
        start_language(session)  # $SCANNER_LANGUAGE, the door's setting, or the system's
        window = DoorWindow(session)
        if instance is not None:
            instance.raise_requested.connect(lambda: _bring_forward(window))
        if not session.has_event() and not window.run_wizard():
            return 1
        session.start()
        session.refresh_counts()
        window.bar.reload()
        window.show()
        return int(app.exec())


def _bring_forward(window: DoorWindow) -> None:
    if window.isMinimized():
        window.showNormal()
    window.raise_()
    window.activateWindow()
