"""The door window on a real X server, for black-box key tests (tests/ui/test_wedge_on_x.py).

    python -m tests.ui.xvfb_door DATA_DIR STOP_FILE

Opens the door on DATA_DIR at the demo evening (a clock that runs from it), shows the window
with the keyboard focus in the search box, prints "ready" and runs until STOP_FILE exists.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from scanner.app.session import DoorSession
from scanner.ui.door_window import DoorWindow
from tests.conftest import EVENT_NOW


class DemoEveningClock:
    """Real time, moved to the demo event's evening (its tickets are valid then)."""

    def __init__(self) -> None:
        self.started = datetime.now(UTC)

    def now(self) -> datetime:
        return EVENT_NOW + (datetime.now(UTC) - self.started)


def main(data: Path, stop: Path) -> int:
    app = QApplication(sys.argv[:1])
    session = DoorSession(data, door="Main entrance", operator="tester", clock=DemoEveningClock())
    window = DoorWindow(session)
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    session.start()

    def ready() -> None:
        if not window.isActiveWindow():
            window.activateWindow()
            QTimer.singleShot(50, ready)
            return
        window.focus_search()
        print("ready", flush=True)

    def stop_when_asked() -> None:
        if stop.exists():
            window.ask_before_closing = False
            window.close()
            app.quit()

    QTimer.singleShot(200, ready)
    poll = QTimer()
    poll.timeout.connect(stop_when_asked)
    poll.start(100)
    try:
        return int(app.exec())
    finally:
        session.close()


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]), Path(sys.argv[2])))
