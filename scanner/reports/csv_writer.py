"""CSV that opens by double-click in Excel and LibreOffice: UTF-8 with a BOM, `,` or `;`.

Names come from ticket buyers, so a text cell that a spreadsheet would read as a formula (it
starts with = + - @, a tab or a carriage return) gets a leading apostrophe and stays text.
"""

from __future__ import annotations

import csv
from datetime import datetime
from typing import IO

from scanner.reports.parts import Cell, Part

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DELIMITERS = (",", ";")


def inert(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _text_cell(value: Cell) -> Cell:
    if not value:
        return ""
    text = str(value)
    return "'" + text if text[0] in _FORMULA_FIRST else text


def _time_cell(value: Cell) -> Cell:
    return value.isoformat(" ", "seconds") if isinstance(value, datetime) else ""


def _int_cell(value: Cell) -> Cell:
    return "" if value is None else value


_FORMULA_FIRST = frozenset("".join(FORMULA_STARTS))
_CONVERT = {"text": _text_cell, "datetime": _time_cell, "int": _int_cell}


def write_csv(part: Part, out: IO[bytes], delimiter: str = ",") -> None:
    """One part; a part of several tables (the summary) gets each under its title line."""
    if delimiter not in DELIMITERS:
        raise ValueError(f"CSV delimiter must be ',' or ';', not {delimiter!r}")
    text = _TextOut(out)
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    several = len(part.tables) > 1
    for number, table in enumerate(part.tables):
        if several:
            if number:
                writer.writerow([])
            writer.writerow([inert(table.title)])
        writer.writerow([inert(c.title) for c in table.columns])
        converters = [_CONVERT[c.kind] for c in table.columns]
        writer.writerows(
            [convert(v) for convert, v in zip(converters, row, strict=True)] for row in table.rows()
        )
    text.flush()


class _TextOut:
    """A text sink over a byte stream, buffered: the BOM first, then UTF-8 in 64 KiB writes."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.parts: list[str] = ["\ufeff"]
        self.size = 0

    def write(self, text: str) -> int:
        self.parts.append(text)
        self.size += len(text)
        if self.size > 65536:
            self.flush()
        return len(text)

    def flush(self) -> None:
        self.out.write("".join(self.parts).encode("utf-8"))
        self.parts.clear()
        self.size = 0
