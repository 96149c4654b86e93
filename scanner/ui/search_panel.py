"""Search by name, e-mail, order code or ticket id as you type (accents ignored), and admit a
row by hand with a reason. Keyboard alone: type, Down into the results, Enter to admit."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from scanner.app.timefmt import clock_time
from scanner.lang import N_, _
from scanner.ui.bridge import SessionBridge
from scanner.ui.tables import fill_row, row_table

COLUMNS = [N_("Name"), N_("Type"), N_("Status"), N_("Checked in"), N_("Order"), N_("Ticket")]


class ResultsTable(QTableWidget):
    activated_row = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self.activated_row.emit(self.currentRow())
            return
        super().keyPressEvent(event)


class SearchBox(QLineEdit):
    down = Signal()

    def event(self, event: QEvent) -> bool:
        # Ctrl+Z belongs to the window here (undo the last admission), not to the typed text.
        override = event.type() == QEvent.Type.ShortcutOverride
        if (
            override
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Undo)
        ):
            event.ignore()
            return False
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down:
            self.down.emit()
            return
        super().keyPressEvent(event)


class SearchPanel(QWidget):
    admit = Signal(str, str)  # ticket id, holder name: the window asks for a reason

    def __init__(self, bridge: SessionBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.box = SearchBox()
        self.box.setObjectName("searchBox")
        self.box.setPlaceholderText(_("Search name, e-mail, order code or ticket id (Ctrl+F)"))
        self.box.setClearButtonEnabled(True)
        self.table = ResultsTable()
        row_table([_(c) for c in COLUMNS], stretch=0, table=self.table)
        self.admit_button = QPushButton(_("Admit by hand… (Enter)"))
        self.admit_button.clicked.connect(lambda: self._admit(self.table.currentRow()))
        self.note = QLabel("")
        self.hits: list[object] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        row = QHBoxLayout()  # one line above the results: a laptop screen shows more of them
        row.addWidget(self.box, 1)
        row.addWidget(self.note)
        row.addWidget(self.admit_button)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        self.box.textChanged.connect(self.bridge.search)
        self.box.down.connect(self._into_results)
        self.box.returnPressed.connect(self._into_results)
        self.table.activated_row.connect(self._admit)
        self.table.cellDoubleClicked.connect(lambda row, _col: self._admit(row))
        bridge.searched.connect(self.show_hits)

    def show_hits(self, query: str, hits: object) -> None:
        if query != self.box.text():
            return  # an older answer: the person typed on
        if isinstance(hits, Exception):
            self.note.setText(_("Search failed: {error}").format(error=hits))
            hits = []
        assert isinstance(hits, list)
        chosen = self._chosen_ticket()
        self.hits = hits
        session = self.bridge.session
        timezone = session.timezone()
        self.table.setRowCount(len(hits))
        for row, hit in enumerate(hits):
            status = _(hit.status)
            if not session.admits_type(hit.ticket_type):
                status = _("Not at this door · {status}").format(status=status)
            cells = [
                hit.holder_name,
                session.type_name(hit.ticket_type),
                status,
                clock_time(hit.first_admitted_at, timezone) if hit.first_admitted_at else _("no"),
                hit.order_code or "",
                hit.ticket_id,
            ]
            fill_row(self.table, row, cells)
            if hit.ticket_id == chosen:
                self.table.selectRow(row)  # a refresh keeps the row staff picked
        if hits or query.strip():
            self.note.setText(_("{n} found").format(n=len(hits)) if hits else _("Nobody found"))
        else:
            self.note.setText("")

    def refresh(self, ticket_id: str | None = None) -> None:
        """Search again when `ticket_id` is listed (None: any listed ticket may have changed,
        e.g. a sync cycle brought other doors' admissions)."""
        listed = {hit.ticket_id for hit in self.hits}  # type: ignore[attr-defined]
        if self.box.text().strip() and listed and (ticket_id is None or ticket_id in listed):
            self.bridge.search(self.box.text())

    def _chosen_ticket(self) -> str | None:
        row = self.table.currentRow()
        if 0 <= row < len(self.hits) and self.table.selectionModel().hasSelection():
            return str(self.hits[row].ticket_id)  # type: ignore[attr-defined]
        return None

    def set_exit_mode(self, exit_mode: bool) -> None:
        """The button says what a hand entry records here: an admission or an exit."""
        self.admit_button.setText(
            _("Record exit by hand… (Enter)") if exit_mode else _("Admit by hand… (Enter)")
        )

    def _into_results(self) -> None:
        if self.table.rowCount():
            self.table.setFocus()
            self.table.selectRow(max(0, self.table.currentRow()))

    def _admit(self, row: int) -> None:
        if 0 <= row < len(self.hits):
            hit = self.hits[row]
            self.admit.emit(hit.ticket_id, hit.holder_name)  # type: ignore[attr-defined]
