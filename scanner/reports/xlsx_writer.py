"""XLSX: one sheet per part, header row frozen, autofilter, real dates, fitted column widths.

XlsxWriter in constant-memory mode: each row goes to a temporary file as it is written, and
column widths (kept while writing) are set before the sheet is closed, so one pass suffices.
Measured against openpyxl's write-only mode on 150,000 scan-log rows (docs/reports.md):
XlsxWriter was faster and lighter, and openpyxl needs widths before the first row.
"""

from __future__ import annotations

from datetime import datetime
from typing import IO, Any

import xlsxwriter

from scanner.reports.parts import Cell, Part, Table

MAX_WIDTH = 60
DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"


def write_xlsx(parts: list[Part], out: IO[bytes] | str, title: str) -> None:
    book = xlsxwriter.Workbook(
        out, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    book.set_properties({"title": title, "comments": "Check-in report"})
    formats = {
        "datetime": book.add_format({"num_format": DATE_FORMAT}),
        "header": book.add_format({"bold": True, "bottom": 1, "bg_color": "#E8EEF4"}),
        "title": book.add_format({"bold": True, "font_size": 12}),
    }
    for part in parts:
        sheet = book.add_worksheet(part.title[:31])
        if len(part.tables) == 1:
            _data_sheet(sheet, part.tables[0], formats)
        else:
            _stacked_sheet(sheet, part.tables, formats)
    book.close()


def _data_sheet(sheet: Any, table: Table, formats: dict[str, Any]) -> None:
    widths = _header(sheet, 0, table, formats)
    last = 0
    for last, row in enumerate(table.rows(), start=1):
        _row(sheet, last, row, widths, formats)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(last, 1), len(table.columns) - 1)
    _fit(sheet, widths)


def _stacked_sheet(sheet: Any, tables: tuple[Table, ...], formats: dict[str, Any]) -> None:
    """The summary: small tables one under another, each with its title above its header."""
    widths: list[int] = []
    line = 0
    for table in tables:
        sheet.write_string(line, 0, table.title, formats["title"])
        header = _header(sheet, line + 1, table, formats)
        widths = [max(a, b) for a, b in zip(widths, header, strict=False)] + header[len(widths) :]
        line += 2
        for row in table.rows():
            _row(sheet, line, row, widths, formats)
            line += 1
        line += 1
    sheet.freeze_panes(1, 0)
    _fit(sheet, widths)


def _header(sheet: Any, line: int, table: Table, formats: dict[str, Any]) -> list[int]:
    for col, column in enumerate(table.columns):
        sheet.write_string(line, col, column.title, formats["header"])
    return [max(len(c.title) + 2, 20 if c.kind == "datetime" else 0) for c in table.columns]


def _row(
    sheet: Any, line: int, row: tuple[Cell, ...], widths: list[int], formats: dict[str, Any]
) -> None:
    when = formats["datetime"]
    for col, value in enumerate(row):
        if value is None or value == "":
            continue
        if isinstance(value, str):
            sheet.write_string(line, col, value)  # never a formula, whatever it starts with
            size = len(value)
        elif isinstance(value, datetime):
            sheet.write_datetime(line, col, value, when)
            continue  # dates are sized by their header's minimum
        else:
            sheet.write_number(line, col, value)
            size = len(str(value))
        if size >= widths[col]:
            widths[col] = size + 1


def _fit(sheet: Any, widths: list[int]) -> None:
    for col, width in enumerate(widths):
        sheet.set_column(col, col, min(width, MAX_WIDTH) + 1)
