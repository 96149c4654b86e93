"""Sync status, always visible: a chip in the window's top bar and a details dialog with the
conflicts (both admissions of each). Offline reads as a normal way of working; the chip turns
red only when the last sync failed or the data is older than STALE_S."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scanner.app.events import Link, SyncStateChanged
from scanner.app.session import DoorSession
from scanner.app.timefmt import age, clock_time

STALE_S = 300.0  # data older than this turns the chip red (while enrolled)


class SyncBadge(QPushButton):
    def __init__(self, session: DoorSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("syncBadge")
        self.state_event: SyncStateChanged | None = None
        self.red = False
        self.clicked.connect(self.open_details)
        self._timer = QTimer(self)  # ages move on even when nothing happens
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    def set_state(self, event: SyncStateChanged) -> None:
        self.state_event = event
        self.refresh()

    def _since_last_sync(self) -> float | None:
        if self.state_event is None or self.state_event.state.last_pull_at is None:
            return None
        return (self.session.clock.now() - self.state_event.state.last_pull_at).total_seconds()

    def summary(self) -> str:
        if self.state_event is None:
            return "Sync: starting"
        state = self.state_event.state
        waiting = f" · {state.waiting} to send" if state.waiting else ""
        conflicts = f" · {state.conflicts} conflicts" if state.conflicts else ""
        last = self._since_last_sync()
        synced = f" · synced {age(last)} ago" if last is not None else ""
        if state.link is Link.ONLINE:
            return f"Online{synced}{waiting}{conflicts}"
        if state.link is Link.NOT_ENROLLED:
            return f"Offline use (not enrolled){waiting}"
        if state.link is Link.REVOKED:
            return "Device revoked: re-enrol"
        since = self.state_event.offline_since
        when = f" since {clock_time(since, self.session.timezone())}" if since else ""
        if state.link is Link.OFFLINE:
            return f"Offline{when}{waiting}{synced}{conflicts}"
        return f"Sync failing: {state.last_error or 'unknown error'}{waiting}"

    def refresh(self) -> None:
        state = self.state_event.state if self.state_event else None
        last = self._since_last_sync()
        stale = (
            state is not None
            and state.link is not Link.NOT_ENROLLED
            and (last is None or last > STALE_S)
        )
        self.red = state is not None and (state.link in (Link.FAILING, Link.REVOKED) or bool(stale))
        online = state is not None and state.link is Link.ONLINE and not self.red
        colour = "#c21f1f" if self.red else ("#1b7a34" if online else "#455a64")
        self.setStyleSheet(
            f"#syncBadge {{ background: {colour}; color: white; border-radius: 12px;"
            " padding: 4px 12px; font-weight: bold; }"
        )
        self.setText(self.summary())

    def open_details(self) -> None:
        SyncDetails(self.session, self.state_event, self).exec()


class SyncDetails(QDialog):
    def __init__(
        self, session: DoorSession, event: SyncStateChanged | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sync status")
        self.session = session
        layout = QVBoxLayout(self)
        self.facts = QLabel(self._facts(event))
        self.facts.setWordWrap(True)
        layout.addWidget(self.facts)
        layout.addWidget(QLabel("Conflicts (the same ticket admitted twice):"))
        self.conflicts = QTableWidget(0, 4)
        self.conflicts.setHorizontalHeaderLabels(["Ticket", "First admission", "Also", "Doors"])
        header = self.conflicts.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.conflicts)
        self.fill_conflicts()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.sync_now = buttons.addButton("Sync now", QDialogButtonBox.ButtonRole.ActionRole)
        self.sync_now.clicked.connect(lambda: session.sync_now())
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(1000, 420)

    def _facts(self, event: SyncStateChanged | None) -> str:
        if event is None:
            return "No sync cycle yet."
        s, tz = event.state, self.session.timezone()
        enrolment = self.session.enrolment()
        counts = self.session.counts()
        lines = [
            f"State: {s.describe()}",
            f"Server: {enrolment.server_url if enrolment else 'none (attendee list from a file)'}",
            f"Offline since: {clock_time(event.offline_since, tz)}" if event.offline_since else "",
            f"Entries not uploaded: {s.waiting}" + (f", held back: {s.held}" if s.held else ""),
            f"Last successful sync: {clock_time(s.last_pull_at, tz)}",
            f"Last upload: {clock_time(s.last_push_at, tz)}",
            f"Attendee list age: {age(counts.snapshot_age_s if counts else None)}",
            "Clock difference to the server: "
            + ("unknown" if s.clock_offset_s is None else f"{s.clock_offset_s:+.1f} s"),
            s.clock_warning or "",
        ]
        return "\n".join(line for line in lines if line)

    def fill_conflicts(self) -> None:
        tz = self.session.timezone()
        found = self.session.conflicts()
        self.conflicts.setRowCount(len(found))
        for row, conflict in enumerate(found):
            others = conflict.others
            cells = [
                conflict.ticket_id,
                _admission(conflict.first, tz),
                "; ".join(_admission(a, tz) for a in others),
                ", ".join(sorted({conflict.first.door, *(a.door for a in others)})),
            ]
            for column, text in enumerate(cells):
                self.conflicts.setItem(row, column, QTableWidgetItem(text))


def _admission(admission: object, timezone: str) -> str:
    at = getattr(admission, "at", None)
    moment = datetime.fromisoformat(at) if isinstance(at, str) else None
    mine = " (this door)" if getattr(admission, "mine", False) else ""
    door = getattr(admission, "door", "")
    device = getattr(admission, "device_id", "")
    return f"{clock_time(moment, timezone)} at {door}, device {device}{mine}"
