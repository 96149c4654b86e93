"""`scanner window`: the door window on a door session (and, with --demo, a demo site)."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtWidgets import QApplication

from scanner.app.session import DoorSession
from scanner.ui.door_window import DoorWindow
from scanner.ui.qt_language import start_language

DEMO_CAMERA = "synthetic:loop=1,hold=30,gap=25"


def has_display() -> bool:
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.startswith(("offscreen", "minimal", "vnc", "eglfs", "linuxfb")):
        return True
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


@contextlib.contextmanager
def demo_session(args: argparse.Namespace) -> Iterator[DoorSession]:
    from scanner.app.demo_site import demo_site

    with tempfile.TemporaryDirectory(prefix="scanner-demo-") as tmp:
        folder = Path(tmp)
        (folder / "server").mkdir()
        with demo_site(folder / "server") as site:
            data = Path(args.data_dir) if args.data_dir else folder / "door"
            session = DoorSession(data, door=args.door, exit=args.exit)
            try:
                state = session.setup.enroll(site.url, site.enrolment_code, "Demo laptop").result(
                    timeout=120
                )
                print(f"demo: companion API at {site.url}, device {state.link}", file=sys.stderr)
                session.camera.open(args.source or DEMO_CAMERA, codes=site.codes)
                yield session
            finally:
                session.close()


@contextlib.contextmanager
def door_session(args: argparse.Namespace) -> Iterator[DoorSession]:
    session = DoorSession(args.data_dir, door=args.door, exit=args.exit)
    try:
        spec = args.source or session.preferences().camera
        if spec:
            session.camera.open(spec)
        yield session
    finally:
        session.close()


def run(args: argparse.Namespace) -> int:
    from scanner.app.kiosk import wanted
    from scanner.ui import kiosk_main

    if getattr(args, "kiosk", False) or (not args.demo and wanted(args.data_dir)):
        return kiosk_main.run(args)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Door scanner")
    opener = demo_session if args.demo else door_session
    with opener(args) as session:
        start_language(session)  # $SCANNER_LANGUAGE, the door's setting, or the system's
        window = DoorWindow(session)
        if not session.has_event() and not window.run_wizard():
            return 1
        session.start()
        session.refresh_counts()
        window.bar.reload()
        window.show()
        return int(app.exec())
