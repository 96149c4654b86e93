"""Read-only tables of rows (recent scans, search results), chosen a whole row at a time."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem


def row_table(
    columns: list[str], stretch: int | tuple[int, ...], table: QTableWidget | None = None
) -> QTableWidget:
    """`table` (or a new one) set up with `columns`: the `stretch` columns share the spare
    width, the others are as wide as what they hold; rows as low as their text allows, so a
    laptop screen shows many."""
    table = table or QTableWidget(0, len(columns))
    table.setColumnCount(len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    header = table.horizontalHeader()
    stretching = {stretch} if isinstance(stretch, int) else set(stretch)
    for column in range(len(columns)):
        fits = column not in stretching
        header.setSectionResizeMode(
            column,
            QHeaderView.ResizeMode.ResizeToContents if fits else QHeaderView.ResizeMode.Stretch,
        )
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
    return table


def fill_row(table: QTableWidget, row: int, cells: list[str]) -> None:
    for column, text in enumerate(cells):
        table.setItem(row, column, QTableWidgetItem(text))
