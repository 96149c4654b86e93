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
from scanner.lang import _, ngettext

STALE_S = 300.0  # data older than this turns the chip red (while enrolled)


class SyncBadge(QPushButton):
    def __init__(self, session: DoorSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("syncBadge")
        self.state_event: SyncStateChanged | None = None
        self.list_made_at: datetime | None = None
        self.red = False
        self.amber = False
        self.clicked.connect(self.open_details)
        self._timer = QTimer(self)  # ages move on even when nothing happens
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    def set_state(self, event: SyncStateChanged) -> None:
        self.state_event = event
        self.refresh()

    def set_list_time(self, made_at: datetime | None) -> None:
        """When the attendee list in use was made (its age shows, and grows, in the chip)."""
        self.list_made_at = made_at
        self.refresh()

    def _list_age(self) -> float | None:
        if self.list_made_at is None:
            return None
        # the list's time is the server's: compare with the door's corrected time
        return (self.session.door_clock.now() - self.list_made_at).total_seconds()

    def _since_last_sync(self) -> float | None:
        if self.state_event is None or self.state_event.state.last_pull_at is None:
            return None
        return (self.session.clock.now() - self.state_event.state.last_pull_at).total_seconds()

    def summary(self) -> str:
        if self.state_event is None:
            return _("Sync: starting")
        if self.state_event.state.link is Link.REVOKED:
            return _("Device revoked: re-enrol")
        return self._link_summary() + self._nearby()

    def _nearby(self) -> str:
        """The doors of this event this one hears on the venue's network (they tell each other
        their admissions while the server cannot be reached)."""
        count = self.state_event.nearby if self.state_event else 0
        if not count:
            return ""
        return ngettext(" · {n} door nearby", " · {n} doors nearby", count).format(n=count)

    def _link_summary(self) -> str:
        assert self.state_event is not None
        state = self.state_event.state
        waiting = _(" · {n} to send").format(n=state.waiting) if state.waiting else ""
        conflicts = (
            ngettext(" · {n} conflict", " · {n} conflicts", state.conflicts).format(
                n=state.conflicts
            )
            if state.conflicts
            else ""
        )
        last = self._since_last_sync()
        synced = _(" · synced {age} ago").format(age=age(last)) if last is not None else ""
        if state.link is Link.ONLINE:
            return _("Online") + synced + waiting + conflicts
        if state.link is Link.NOT_ENROLLED:
            listed = self._list_age()
            old = _(" · list {age} old").format(age=age(listed)) if listed is not None else ""
            return _("Offline use (not enrolled)") + old + waiting
        since = self.state_event.offline_since
        when = (
            _(" since {time}").format(time=clock_time(since, self.session.timezone()))
            if since
            else ""
        )
        if state.link is Link.OFFLINE:
            return _("Offline") + when + waiting + synced + conflicts
        error = state.last_error or _("unknown error")
        return _("Sync failing: {error}").format(error=error) + waiting

    def refresh(self) -> None:
        state = self.state_event.state if self.state_event else None
        last = self._since_last_sync()
        stale = (
            state is not None
            and state.link is not Link.NOT_ENROLLED
            and (last is None or last > STALE_S)
        )
        self.red = state is not None and (state.link in (Link.FAILING, Link.REVOKED) or bool(stale))
        self.amber = not self.red and state is not None and state.conflicts > 0
        online = state is not None and state.link is Link.ONLINE and not self.red
        colour, text = "#455a64", "white"
        if self.red:
            colour = "#c21f1f"
        elif self.amber:  # all well with the link, but someone must look at double entries
            colour, text = "#f0b400", "#1a1a1a"
        elif online:
            colour = "#1b7a34"
        self.setStyleSheet(
            f"#syncBadge {{ background: {colour}; color: {text}; border-radius: 12px;"
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
        self.setWindowTitle(_("Sync status"))
        self.session = session
        layout = QVBoxLayout(self)
        self.facts = QLabel(self._facts(event))
        self.facts.setWordWrap(True)
        layout.addWidget(self.facts)
        layout.addWidget(QLabel(_("Conflicts (the same ticket admitted twice):")))
        self.conflicts = QTableWidget(0, 4)
        self.conflicts.setHorizontalHeaderLabels(
            [_("Guest"), _("First admission"), _("Also"), _("Doors")]
        )
        header = self.conflicts.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.conflicts)
        self.fill_conflicts()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.sync_now = buttons.addButton(_("Sync now"), QDialogButtonBox.ButtonRole.ActionRole)
        self.sync_now.clicked.connect(lambda: session.sync_now())
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(1000, 420)

    def _facts(self, event: SyncStateChanged | None) -> str:
        if event is None:
            return _("No sync cycle yet.")
        s, tz = event.state, self.session.timezone()
        enrolment = self.session.enrolment()
        counts = self.session.counts()
        lines = [
            _("State: {state}").format(state=s.describe()),
            _("Server: {url}").format(
                url=enrolment.server_url if enrolment else _("none (attendee list from a file)")
            ),
            _("Offline since: {time}").format(time=clock_time(event.offline_since, tz))
            if event.offline_since
            else "",
            _("Entries not uploaded: {n}").format(n=s.waiting)
            + (_(", held back: {n}").format(n=s.held) if s.held else ""),
            _("Last successful sync: {time}").format(time=clock_time(s.last_pull_at, tz)),
            _("Last upload: {time}").format(time=clock_time(s.last_push_at, tz)),
            _("Attendee list age: {age}").format(
                age=age(counts.snapshot_age_s if counts else None)
            ),
            _("Clock difference to the server: {offset}").format(
                offset=_("unknown")
                if s.clock_offset_s is None
                else f"{round(s.clock_offset_s, 1) + 0.0:+.1f} s"  # + 0.0: no "-0.0"
            ),
            s.clock_warning or "",
        ]
        return "\n".join(line for line in lines if line)

    def fill_conflicts(self) -> None:
        tz = self.session.timezone()
        found = self.session.conflicts()
        self.conflicts.setRowCount(len(found))
        for row, conflict in enumerate(found):
            others = conflict.others
            who = conflict.holder_name
            cells = [
                f"{who} ({conflict.ticket_id})" if who else conflict.ticket_id,
                _admission(conflict.first, tz),
                "; ".join(_admission(a, tz) for a in others),
                ", ".join(sorted({conflict.first.door, *(a.door for a in others)})),
            ]
            for column, text in enumerate(cells):
                self.conflicts.setItem(row, column, QTableWidgetItem(text))


def _admission(admission: object, timezone: str) -> str:
    at = getattr(admission, "at", None)
    moment = datetime.fromisoformat(at) if isinstance(at, str) else None
    mine = _(" (this door)") if getattr(admission, "mine", False) else ""
    door = getattr(admission, "door", "")
    device = getattr(admission, "device_name", None) or getattr(admission, "device_id", "")
    return _("{time} at {door}, device {device}{mine}").format(
        time=clock_time(moment, timezone), door=door, device=device, mine=mine
    )
