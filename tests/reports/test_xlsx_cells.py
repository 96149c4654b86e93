"""XLSX cells of every kind, read back with openpyxl: text that needs escaping or keeps its
spaces, characters XML cannot hold, empty cells, dates, whole numbers, and values of another
kind than their column says. Big tables take a fast way per row; it must write what the
cell-by-cell way writes."""

from __future__ import annotations

import errno
import io
import threading
from collections.abc import Iterator
from datetime import datetime

import openpyxl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from scanner.reports.parts import Cell, Column, Part, Table
from scanner.reports.xlsx_writer import MAX_TEXT, _row, _RowWriter, write_xlsx

COLUMNS = (Column("Name", "text"), Column("At", "datetime"), Column("Count", "int"))
TRICKY: list[tuple[Cell, ...]] = [
    ("Tom & Jerry <Ltd>", datetime(2025, 6, 1, 18, 30, 5), 3),
    ("  leading and trailing  ", None, 0),
    ("bell\x07 and \ud800 surrogate", datetime(2025, 6, 1, 0, 0), None),
    ("=SUM(A1:A2)", None, -5),
    ("", datetime(2025, 6, 2, 23, 59, 59), 7),
    (None, None, None),
    (12, "not a date", "not a number"),  # another kind than the column says
    ("x" * (MAX_TEXT + 10), None, 1),
    ("line\nbreak\ttab", None, 2),
]


def _book(rows: list[tuple[Cell, ...]]) -> openpyxl.Workbook:
    def listed() -> Iterator[tuple[Cell, ...]]:
        return iter(rows)

    part = Part("cells", "Cells", (Table("Cells", COLUMNS, listed),))
    out = io.BytesIO()
    write_xlsx([lambda: part], out, "Cells & <more>")
    out.seek(0)
    return openpyxl.load_workbook(out)


def test_a_cell_of_two_unit_characters_stays_within_excels_limit_in_utf16_units() -> None:
    """Any device may upload a door name of 20,000 emoji: Excel counts each as two units, and
    calls a file with a cell over 32,767 of them damaged."""
    door = "\U0001f6aa" * 20_000
    rows: list[tuple[Cell, ...]] = [
        (door, None, 1),
        ("a" + door, None, 2),
        ("\u00e9" * 40_000, None, 3),
    ]
    got = [row[0] for row in _book(rows)["Cells"].iter_rows(min_row=2, values_only=True)]
    for text in got:
        assert isinstance(text, str)
        assert len(text.encode("utf-16-le")) // 2 <= MAX_TEXT
    assert got[0] == "\U0001f6aa" * (MAX_TEXT // 2)  # whole characters, none cut in half
    assert got[1] == "a" + "\U0001f6aa" * (MAX_TEXT // 2)  # 32,767 units
    assert got[2] == "\u00e9" * MAX_TEXT


def test_every_kind_of_cell_reads_back() -> None:
    sheet = _book(TRICKY)["Cells"]
    got = list(sheet.iter_rows(min_row=2, values_only=True))
    assert got[0] == TRICKY[0]
    assert got[1] == TRICKY[1]  # the spaces kept, the zero written
    assert got[2] == ("bell\ufffd and \ufffd surrogate", datetime(2025, 6, 1), None)
    assert got[3] == ("=SUM(A1:A2)", None, -5)
    assert sheet.cell(5, 1).data_type == "s"  # text, never a formula
    assert got[4] == (None, datetime(2025, 6, 2, 23, 59, 59), 7)
    assert got[5] == (None, None, None)
    assert got[6] == (12, "not a date", "not a number")
    assert got[7] == ("x" * MAX_TEXT, None, 1)
    assert got[8] == ("line\nbreak\ttab", None, 2)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:C10"


texts = st.one_of(
    st.none(),
    st.just(""),
    st.text(max_size=12),
    st.sampled_from([" a", "a ", "&", "<b>", "a|b", "| x", "x |", "\x1f", "\u00a0", "ok"]),
)
moments = st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 1, 1))
anything = st.one_of(texts, st.integers(-(10**6), 10**6), moments, st.booleans())


WIDE = (*COLUMNS, Column("Door", "text"), Column("Note", "text"))


@settings(max_examples=500, deadline=None)
@given(
    st.tuples(
        st.one_of(texts, st.integers()), st.one_of(st.none(), moments), anything, texts, texts
    ),
    st.integers(2, 1_048_576),
)
@example(("a ", None, 1, "ok", None), 2)  # white space where two texts meet
@example(("ok", None, 1, None, " b"), 2)
@example(("a|b", None, None, "c & d", "e"), 3)
@example((None, None, datetime(2000, 1, 1), None, None), 2)  # a date where a number goes
@example((None, None, 1.5, None, None), 2)
def test_the_fast_row_writes_what_the_cell_by_cell_row_writes(
    row: tuple[Cell, ...], line: int
) -> None:
    assert _RowWriter(WIDE)(line, row) == _row(line, 0, row)


class _FullDisk(io.BytesIO):
    """Takes 100 kB, then fails as a full disk does."""

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if self.tell() + len(data) > 100_000:
            raise OSError(errno.ENOSPC, "No space left on device")
        return super().write(data)


def test_a_full_disk_while_deflating_reaches_the_caller_and_leaves_no_thread() -> None:
    many = [("a name that takes some room", datetime(2025, 6, 1, 18, 0), n) for n in range(60_000)]
    part = Part("cells", "Cells", (Table("Cells", COLUMNS, lambda: iter(many)),))
    threads = threading.active_count()
    with pytest.raises(OSError, match="No space left"):
        write_xlsx([lambda: part], _FullDisk(), "Full")
    assert threading.active_count() == threads
