"""Screenshots of the real door window (run by `make screenshots` under Xvfb).

Drives a real door session against the demo companion API: the synthetic camera shows the demo
codes frame by frame, a fault proxy takes the server away for "offline", and a second door
admits the same ticket while both are offline for "conflicts". The settings and About dialogs
are shot over the window, as the screen shows them.

    scripts/screenshots.py docs/screenshots                  # all
    scripts/screenshots.py docs/screenshots settings about   # only the dialogs
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from scanner.app.demo_site import demo_site
from scanner.app.session import DoorSession
from scanner.ui.door_window import DoorWindow
from scanner.ui.sync_badge import SyncDetails
from scanner.ui.wizard import EnrolWizard
from tests.sync.faultproxy import FaultProxy

SIZES = [(1366, 768), (1280, 720), (1920, 1080)]  # 1366x768: the most common venue laptop
DIALOGS = {"settings", "about", "undo"}
DEMO_CAMERA = "synthetic:loop=1,hold=30,gap=25"  # as `make run` has it


class MovableClock:
    """The real time, moved on when told: "already used" needs the first admission to be
    longer ago than "admitted here seconds ago"."""

    def __init__(self) -> None:
        self.ahead = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.ahead

    def monotonic(self) -> float:
        """Moving it on is time passing, not a clock set by hand (the door's correction holds)."""
        return time.monotonic() + self.ahead.total_seconds()


def door_window(session: DoorSession) -> DoorWindow:
    window = DoorWindow(session)
    window.ask_before_closing = False  # the script closes it, not door staff
    return window


def settle(rounds: int = 5) -> None:
    for _ in range(rounds):
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def save(widget: QWidget, folder: Path, name: str, size: tuple[int, int]) -> None:
    settle()
    path = folder / f"{name}-{size[0]}x{size[1]}.png"
    widget.grab().save(str(path))
    print(path)


def save_screen(window: QWidget, folder: Path, name: str, size: tuple[int, int]) -> None:
    """What the screen shows where the window is: the window with its dialog on top."""
    settle()
    screen = QGuiApplication.primaryScreen()
    area = window.frameGeometry()
    picture = screen.grabWindow(0, area.x(), area.y(), area.width(), area.height())
    path = folder / f"{name}-{size[0]}x{size[1]}.png"
    picture.save(str(path))
    print(path)


def until_verdict(session: DoorSession, window: DoorWindow, wanted: Callable[[str], bool]) -> None:
    """Step the camera until a verdict whose look satisfies `wanted` is shown."""
    for _ in range(2000):
        session.camera.step()
        settle(1)
        if window.panel.shown is not None and wanted(window.panel.look):
            return
    raise RuntimeError("the camera never produced the wanted verdict")


def shoot(folder: Path, work: Path, size: tuple[int, int]) -> None:
    server_dir = work / f"server-{size[0]}"
    server_dir.mkdir()
    with demo_site(server_dir) as site:
        port = int(site.url.rsplit(":", 1)[1])
        proxy = FaultProxy(port)
        clock = MovableClock()
        session = DoorSession(
            work / f"door-{size[0]}", synchronous=True, operator="Sam", clock=clock
        )
        other = DoorSession(work / f"north-{size[0]}", synchronous=True, operator="Kim")
        try:
            fresh = door_window(session)
            wizard = EnrolWizard(fresh.bridge, fresh)
            wizard.url.setText(proxy.url)
            wizard.show()
            save(wizard, folder, "enrolment", size)
            wizard.close()
            fresh.close()
            session.setup.enroll(proxy.url, site.enrolment_code, "Main entrance laptop").result()
            other.setup.enroll(proxy.url, site.second_code, "North gate kiosk").result()
            session.camera.open("synthetic:hold=12,gap=6,module=5", codes=site.codes)
            window = door_window(session)
            window.resize(*size)
            window.bar.reload()
            window.show()
            session.sync_now()
            session.refresh_counts()
            save(window, folder, "ready", size)
            for look in ("admitted", "attention", "refused", "already_used"):
                if look == "already_used":
                    clock.ahead += timedelta(seconds=45)  # past "admitted here seconds ago"
                until_verdict(session, window, lambda shown, look=look: shown == look)
                save(window, folder, look, size)
            until_verdict(session, window, lambda shown: shown == "admitted")
            clock.ahead += timedelta(seconds=12)
            session.submit_code(site.codes[-1], "wedge")  # the hand scanner, 12 s later
            save(window, folder, "just_admitted", size)
            session.configure(exit=True)
            window.bar.reload()
            window.frame_exit_mode(True)
            session.submit_code(site.codes[0], "wedge")
            save(window, folder, "exit", size)
            session.configure(exit=False)
            window.bar.reload()
            window.frame_exit_mode(False)
            window.focus_search()
            window.search.box.setText(site.search_example)
            for _ in range(20):
                settle(1)
            save(window, folder, "search", size)
            proxy.close()  # the server is gone: nothing answers at its address
            session.sync_now()
            session.submit_code(site.codes[-1], "camera")
            other.submit_code(site.codes[-1], "camera")
            session.sync_now()
            window.tabs.setCurrentIndex(0)
            save(window, folder, "sync-offline", size)
            proxy = FaultProxy(port, port=proxy.port)  # back at the same address
            other.sync_now()
            session.sync_now()
            details = SyncDetails(session, window.sync_badge.state_event, window)
            details.show()
            save(window, folder, "sync-online", size)
            save(details, folder, "conflicts", size)
            details.close()
            window.close()
        finally:
            other.close()
            session.close()
            proxy.close()


def shoot_dialogs(folder: Path, work: Path, size: tuple[int, int]) -> None:
    server_dir = work / f"dialogs-server-{size[0]}"
    server_dir.mkdir()
    with demo_site(server_dir) as site:
        session = DoorSession(work / f"dialogs-{size[0]}", synchronous=True, operator="Sam")
        try:
            session.setup.enroll(site.url, site.enrolment_code, "Main entrance laptop").result()
            session.camera.open(DEMO_CAMERA, codes=site.codes)
            window = door_window(session)
            window.resize(*size)
            window.move(0, 0)
            window.bar.reload()
            window.show()
            session.sync_now()
            session.refresh_counts()
            settings = window.open_settings()
            for _ in range(20):  # a ticket in view of the door's camera (the preview's too)
                session.camera.step()
                settle(1)
            save_screen(window, folder, "settings", size)
            settings.reject()
            about = window.open_about()
            save_screen(window, folder, "about", size)
            about.close()
            until_verdict(session, window, lambda shown: shown == "admitted")
            undo = window.undo_last()  # the last admission, undone with a reason
            save_screen(window, folder, "undo", size)
            if undo is not None:
                undo.reject()
            window.close()
        finally:
            session.close()


def main() -> int:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    only = set(sys.argv[2:])
    folder.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="screens-") as tmp:
        for size in SIZES:
            if not only or only - DIALOGS:
                shoot(folder, Path(tmp), size)
            if not only or only & DIALOGS:
                shoot_dialogs(folder, Path(tmp), size)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
