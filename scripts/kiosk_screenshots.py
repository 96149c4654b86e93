"""Screenshots of the real kiosk (run by `make kiosk-screenshots` under Xvfb): attract,
admitted, refused and out of order, in English and German, at 1280x720 and 1920x1080.

A real data file with the demo event, a synthetic camera showing a demo code for the preview,
and real scans through the door session.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QEventLoop
from PySide6.QtWidgets import QApplication

from scanner.app.clock import FixedClock
from scanner.app.demo import DEMO_TIMEZONE, make_event, write_snapshot
from scanner.app.kiosk import KioskSettings, PinGuard
from scanner.app.session import DoorSession
from scanner.checkin.reasons import TicketStatus
from scanner.ui.kiosk_window import KioskWindow

SIZES = [(1280, 720), (1920, 1080)]
NOW = datetime(2026, 5, 1, 19, 30, tzinfo=ZoneInfo(DEMO_TIMEZONE))


def settle(rounds: int = 8) -> None:
    for _ in range(rounds):
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def shoot(folder: Path, work: Path, language: str, size: tuple[int, int]) -> None:
    event = make_event(200, seed=7)
    snapshot = write_snapshot(event, work / "event.jsonl", NOW.date(), NOW)
    session = DoorSession(
        work / f"door-{language}-{size[0]}", door="Main entrance", clock=FixedClock(NOW),
        synchronous=True,
    )  # fmt: skip
    try:
        session.setup.import_snapshot(snapshot, event.platform_fingerprint).result()
        session.set_lead_pin("4711")
        valid = [r for r in event.rows if r.status is TicketStatus.VALID and not r.flags]
        canceled = next(r for r in event.rows if r.status is TicketStatus.CANCELED)
        shown = [event.codes[valid[0].ticket_id]]
        session.camera.open("synthetic:hold=40,gap=0,module=6", codes=shown)
        settings = KioskSettings(language=language, names="first")
        guard = PinGuard(session.lead_pin())
        window = KioskWindow(session, guard, settings, expects_camera=True)
        window.resize(*size)
        window.show()  # not full screen: one Xvfb screen serves both sizes
        for _ in range(3):
            session.camera.step()
            settle(1)
        window.attract.preview.poll()

        def save(name: str) -> None:
            settle()
            path = folder / f"kiosk-{name}-{language}-{size[0]}x{size[1]}.png"
            window.grab().save(str(path))
            print(path)

        window.show_idle()
        save("attract")
        session.submit_code(event.codes[valid[1].ticket_id], "camera")
        save("admitted")
        session.submit_code(event.codes[canceled.ticket_id], "camera")
        save("refused")
        session.camera.close()
        window.show_idle()
        save("out-of-order")
        window.leave()
    finally:
        session.close()


def main() -> int:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    for size in SIZES:
        for language in ("en", "de"):
            with tempfile.TemporaryDirectory(prefix="kiosk-screens-") as tmp:
                shoot(folder, Path(tmp), language, size)
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
