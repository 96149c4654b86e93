"""The last 50 verdicts, newest first, with undo (and a reason) for admissions and exits."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from scanner.app.events import EntryUndone, VerdictCommitted
from scanner.app.session import RECENT
from scanner.app.timefmt import clock_time
from scanner.checkin.reasons import REASON_TEXT, Outcome
from scanner.lang import N_, _
from scanner.ui.tables import fill_row, row_table
from scanner.ui.verdict_style import STYLES, Look, just_admitted_words, look_of_event

UNDOABLE = (Outcome.ADMITTED, Outcome.EXITED)
# How a code came in, in door staff's words (the journal keeps the short names).
HOW = {
    "camera": N_("camera"),
    "wedge": N_("hand scanner"),
    "manual": N_("by hand"),
    "typed": N_("typed"),
    "cli": N_("command line"),
}
COLUMNS = [N_("Time"), N_("Result"), N_("Name"), N_("Type"), N_("How"), N_("Reason")]


class RecentScans(QWidget):
    undo = Signal(str, str)  # entry id, a label for the question

    def __init__(
        self,
        parent: QWidget | None = None,
        type_name: Callable[[str | None], str] = lambda kind: kind or "",
    ) -> None:
        super().__init__(parent)
        self.type_name = (
            type_name  # a type's name for its id (the event's; the id where it gave none)
        )
        self.events: list[VerdictCommitted] = []
        self.undone: set[str] = set()
        self.table = row_table([_(c) for c in COLUMNS], stretch=(2, 5))  # name and reason
        self.undo_button = QPushButton(_("Undo selected…"))
        self.undo_button.clicked.connect(self._undo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.undo_button)
        layout.addLayout(row)

    def add(self, event: VerdictCommitted) -> None:
        """The newest verdict on top: one row added (the door is busy; no refill of 50)."""
        self.events = [event, *self.events][:RECENT]
        self.table.insertRow(0)
        fill_row(self.table, 0, self._cells(event))
        if self.table.rowCount() > len(self.events):
            self.table.removeRow(self.table.rowCount() - 1)

    def fill(self, events: list[VerdictCommitted], undone: set[str]) -> None:
        """Start from the door's last verdicts (newest first), e.g. the journal's after a
        restart."""
        self.events = events[:RECENT]
        self.undone = set(undone)
        self.table.setRowCount(len(self.events))
        for row, event in enumerate(self.events):
            fill_row(self.table, row, self._cells(event))

    def last_undoable(self) -> VerdictCommitted | None:
        """The newest admission or exit not undone yet."""
        return next(
            (
                e
                for e in self.events
                if e.verdict.outcome in UNDOABLE and e.entry_id not in self.undone
            ),
            None,
        )

    @staticmethod
    def label(event: VerdictCommitted) -> str:
        """Who a scan was, for a question about it."""
        return event.verdict.holder_name or event.verdict.ticket_id or event.entry_id

    def mark_undone(self, event: EntryUndone) -> None:
        self.undone.add(event.annuls)
        for row, shown in enumerate(self.events):
            if shown.entry_id == event.annuls:
                fill_row(self.table, row, self._cells(shown))

    def _cells(self, event: VerdictCommitted) -> list[str]:
        verdict = event.verdict
        look = look_of_event(event)
        word = _(STYLES[look].word).title()
        if event.entry_id in self.undone:
            word += _(" (undone)")
        if look is Look.JUST_ADMITTED:
            reason = just_admitted_words(event)
        elif not verdict.admitted and look is not Look.EXIT:
            reason = _(REASON_TEXT[verdict.reason])
        else:
            reason = event.note or ""
        return [
            clock_time(event.scanned_at, event.timezone),
            word,
            verdict.holder_name or verdict.ticket_id or "",
            self.type_name(verdict.ticket_type),
            _(HOW.get(event.source, event.source)),
            reason,
        ]

    def select_entry(self, entry_id: str) -> None:
        for row, event in enumerate(self.events):
            if event.entry_id == entry_id:
                self.table.selectRow(row)

    def _undo(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.events):
            event = self.events[row]
            self.undo.emit(event.entry_id, self.label(event))
