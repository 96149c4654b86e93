"""Live counts: admitted / expected in all and per ticket type, at this door, inside now."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QGridLayout, QLabel, QProgressBar, QWidget

from scanner.app.events import CountsChanged
from scanner.lang import _


class CountsView(QWidget):
    def __init__(
        self,
        door: str = "",
        parent: QWidget | None = None,
        type_name: Callable[[str | None], str] = lambda kind: kind or "",
    ) -> None:
        super().__init__(parent)
        self.type_name = (
            type_name  # a type's name for its id (the event's; the id where it gave none)
        )
        self.door = door
        self.headline = QLabel(_("No attendee list yet"))
        self.headline.setObjectName("countsHeadline")
        self._grid = QGridLayout(self)
        self._grid.addWidget(self.headline, 0, 0, 1, 3)
        self._rows: list[QWidget] = []

    def set_counts(self, event: CountsChanged) -> None:
        status = event.status
        here = status.admitted_by_door.get(self.door, 0)
        inside = _(" · inside now {n}").format(n=status.inside) if status.inside is not None else ""
        self.headline.setText(
            _("Admitted {admitted} / {expected} · at {door}: {here}").format(
                admitted=status.admitted, expected=status.expected, door=self.door, here=here
            )
            + inside
        )
        for widget in self._rows:
            widget.deleteLater()
        self._rows = []
        for row, (kind, expected) in enumerate(sorted(status.expected_by_type.items()), 1):
            admitted = status.admitted_by_type.get(kind, 0)
            bar = QProgressBar()
            bar.setRange(0, max(expected, 1))
            bar.setValue(min(admitted, expected))
            bar.setFormat(f"{admitted} / {expected}")
            label = QLabel(self.type_name(kind))
            self._grid.addWidget(label, row, 0)
            self._grid.addWidget(bar, row, 1, 1, 2)
            self._rows += [label, bar]
