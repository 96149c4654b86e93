"""XLSX: one sheet per part, header row frozen, autofilter, real dates, fitted column widths.

Written as SpreadsheetML straight into the zip, row by row, in constant memory. Measured on the
150,000-row scan log (docs/reports.md): XlsxWriter's constant-memory mode took about ten times
as long and openpyxl's write-only mode about twenty times, both far over the 10-second budget,
because each spends tens of microseconds per cell; here a row is one join of planned pieces
(_RowWriter), and the zip deflates on a write-behind thread. Column widths fit the header and
the first SAMPLE rows (the XML wants widths before the data).
"""

from __future__ import annotations

import operator
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import chain, compress, islice
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from scanner.reports.parts import Cell, Column, Part, Table
from scanner.reports.write_behind import WriteBehind, write_behind

MAX_WIDTH = 60
SAMPLE = 2000
MAX_TEXT = 32767  # Excel's limit for one cell, in UTF-16 units (an emoji takes two)
_SURELY_SHORT = MAX_TEXT // 2  # code points that are within the limit whatever they are
_EPOCH = datetime(1899, 12, 30)  # day 0 of Excel's 1900 date system (after its leap-year bug)
_DAY = timedelta(days=1)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_NS = (
    'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# style ids in styles.xml below
DATE, HEADER, TITLE = 1, 2, 3


def write_xlsx(
    parts: list[Callable[[], Part]], out: IO[bytes], title: str, order: list[int] | None = None
) -> None:
    """Sheets in the order given; `order` says in which order to make them (the zip does not
    care, the workbook lists them by position): the scan log can go first while the summary
    is counted from the same pass over the journal."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        filters, names = [""] * len(parts), [""] * len(parts)
        for index in order or range(len(parts)):
            part = parts[index]()
            names[index] = part.title[:31]
            entry = f"xl/worksheets/sheet{index + 1}.xml"
            with book.open(entry, "w", force_zip64=True) as sheet, write_behind(sheet) as behind:
                filters[index] = _sheet(behind, part, selected=index == 0)
        book.writestr("[Content_Types].xml", _content_types(len(parts)))
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("docProps/core.xml", _core(title))
        book.writestr("xl/workbook.xml", _workbook(names, filters))
        book.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(parts)))
        book.writestr("xl/styles.xml", _STYLES)


def _sheet(out: WriteBehind, part: Part, selected: bool) -> str:
    """Writes one sheet; returns its autofilter range ('' for the stacked summary)."""
    single = len(part.tables) == 1
    lines: Iterator[_Line] = _lines(part.tables)
    head = list(islice(lines, SAMPLE))
    widths = _widths(head, max(len(t.columns) for t in part.tables))
    pane = (
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        if single
        else ""
    )
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{min(w, MAX_WIDTH) + 1.7:.1f}" customWidth="1"/>'
        for i, w in enumerate(widths, start=1)
    )
    tab = ' tabSelected="1"' if selected else ""
    out.write(
        f'{_HEAD}<worksheet {_NS}><sheetViews><sheetView workbookViewId="0"{tab}>{pane}'
        f"</sheetView></sheetViews><cols>{cols}</cols><sheetData>".encode()
    )
    last = 0
    chunk: list[str] = []
    for last, (style, row, fast) in enumerate(chain(head, lines), start=1):
        chunk.append(fast(last, row) if fast else _row(last, style, row))
        if len(chunk) == 1500:  # about a megabyte
            out.write("".join(chunk).encode())
            chunk.clear()
    out.write("".join(chunk).encode())
    ref = f"A1:{_COLUMN_NAMES[len(part.tables[0].columns) - 1]}{max(last, 2)}" if single else ""
    out.write((f'</sheetData><autoFilter ref="{ref}"/>' if ref else "</sheetData>").encode())
    out.write(b"</worksheet>")
    return ref


_Line = tuple[int, tuple[Cell, ...], "_RowWriter | None"]  # style, cells, a table's data row


def _lines(tables: Iterable[Table]) -> Iterator[_Line]:
    """(style, cells, writer) for every sheet line: a lone table's header then rows; stacked
    tables each under a title line, with a blank line between. Data rows carry their table's
    row writer; the few title and header lines go through _row."""
    tables = list(tables)
    stacked = len(tables) > 1
    for number, table in enumerate(tables):
        if stacked:
            if number:
                yield 0, (), None
            yield TITLE, (table.title,), None
        yield HEADER, tuple(c.title for c in table.columns), None
        fast = _RowWriter(table.columns)
        for row in table.rows():
            yield 0, row, fast


def _widths(head: list[_Line], count: int) -> list[int]:
    widths = [8] * count
    for style, row, _fast in head:
        if style == TITLE:
            continue
        for i, value in enumerate(row):
            size = 19 if isinstance(value, datetime) else len(str(value)) if value else 0
            widths[i] = max(widths[i], size + (2 if style == HEADER else 0))
    return widths


def _row(line: int, style: int, cells: tuple[Cell, ...]) -> str:
    """Any line, cell by cell: the reference for _RowWriter, and the way for titles, headers
    and the rare row the fast way turns down."""
    parts = [f'<row r="{line}">']
    add = parts.append
    attr = f' s="{style}"' if style else ""
    for col, value in enumerate(cells):
        if value is None or value == "":
            continue
        if value.__class__ is str:
            text = value if _PLAIN.fullmatch(value) else _clean(value)
            space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
            add(
                f'<c r="{_COLUMN_NAMES[col]}{line}"{attr} t="inlineStr">'
                f"<is><t{space}>{text}</t></is></c>"
            )
        elif isinstance(value, datetime):
            add(f'<c r="{_COLUMN_NAMES[col]}{line}" s="{DATE}"><v>{_serial(value)}</v></c>')
        else:
            add(f'<c r="{_COLUMN_NAMES[col]}{line}"{attr}><v>{int(value)}</v></c>')
    add("</row>")
    return "".join(parts)


def _serial(moment: datetime) -> str:
    """Excel's day number, as text: 12 decimals are 17 digits for any date since 1927, which
    give back the same float, as repr() would, in half its time (300,000 per report)."""
    return "%.12f" % ((moment - _EPOCH) / _DAY)


# Most cells need no escaping: one match says so; the rest go through _clean.
_PLAIN = re.compile(
    f"[^&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]{{0,{_SURELY_SHORT}}}"
)


def _clean(value: str) -> str:
    """Escaped for XML, characters XML cannot hold replaced, cut to Excel's cell limit; always
    a string cell, never a formula, whatever it starts with."""
    return escape(_cut(_NOT_XML.sub("\ufffd", value[:MAX_TEXT])))


def _cut(value: str) -> str:
    """At most MAX_TEXT UTF-16 units, as Excel counts (a longer cell makes it call the whole
    file damaged), never half of a character that takes two."""
    if len(value) <= _SURELY_SHORT:
        return value
    units = value.encode("utf-16-le")
    if len(units) <= 2 * MAX_TEXT:
        return value
    return units[: 2 * MAX_TEXT].decode("utf-16-le", "ignore")


_EMPTY = frozenset((None, ""))


class _RowWriter:
    """A table's data rows as XML, each one join of fixed pieces and the row's values: no
    Python code runs per cell but for dates and whole numbers. The row's pattern of empty
    cells picks the pieces, made once (a cell reference, style and value slot per filled cell,
    by the column's kind). A row they do not fit (a value of another kind than its column;
    text that needs escaping, or xml:space for white space at either end) goes to _row, which
    writes the same XML cell by cell (a test checks that both agree)."""

    def __init__(self, columns: tuple[Column, ...]) -> None:
        self.kinds = tuple(c.kind for c in columns)
        self.plans: dict[tuple[bool, ...], _Plan | None] = {}

    def __call__(self, line: int, row: tuple[Cell, ...]) -> str:
        empty = tuple(map(_EMPTY.__contains__, row))
        plan = self.plans.get(empty, _UNPLANNED)
        if plan is _UNPLANNED:
            plan = self.plans[empty] = _plan(self.kinds, empty)
        if plan is not None:
            # the line number, then each cell's: it is in the cell's reference
            slots: list[Any] = [str(line)] * plan.slots
            slots[2::2] = compress(row, plan.keep)
            try:
                for at in plan.dates:
                    slots[at] = _serial(slots[at])
                for at in plan.numbers:
                    slots[at] = str(operator.index(slots[at]))  # whole numbers only
                if not plan.texts or _plain_texts("|".join([slots[at] for at in plan.texts])):
                    pieces = plan.pieces[:]
                    pieces[1::2] = slots
                    return "".join(pieces)
            except (TypeError, ValueError):
                pass  # not of its column's kind: _row writes what it is
        return _row(line, 0, row)


def _plain_texts(joined: str) -> bool:
    """True when none of the texts joined by "|" needs escaping or xml:space. Printable
    leaves out every character XML cannot hold (and more: those rows take the slow way), and
    leaves the space as the only white space, so a cell that starts or ends with it shows as
    "| " or " |". Joined, all within Excel's length limit."""
    return (
        joined.isprintable()
        and len(joined) <= _SURELY_SHORT
        and not (
            "&" in joined or "<" in joined or ">" in joined or "| " in joined or " |" in joined
        )
        and joined[:1] != " "
        and joined[-1:] != " "
    )


@dataclass(frozen=True)
class _Plan:
    pieces: list[str]  # the fixed XML, with a None between pieces for each slot
    keep: tuple[bool, ...]  # which cells are filled
    dates: tuple[int, ...]  # slots: converted to serial days
    numbers: tuple[int, ...]  # slots: whole numbers
    texts: tuple[int, ...]  # slots: checked to need no escaping
    slots: int  # the line number, then a reference and a value per filled cell


_UNPLANNED = _Plan([], (), (), (), (), 0)
_SLOT = "\x00"  # marks the slots in a row's XML while it is planned (no XML holds it)


def _plan(kinds: tuple[str, ...], empty: tuple[bool, ...]) -> _Plan | None:
    if len(empty) != len(kinds):
        return None
    cells, dates, numbers, texts = [f'<row r="{_SLOT}">'], [], [], []
    filled = [col for col, blank in enumerate(empty) if not blank]
    for slot, col in enumerate(filled):
        ref, at = f'<c r="{_COLUMN_NAMES[col]}{_SLOT}"', 2 + 2 * slot
        if kinds[col] == "datetime":
            dates.append(at)
            cells.append(f'{ref} s="{DATE}"><v>{_SLOT}</v></c>')
        elif kinds[col] == "int":
            numbers.append(at)
            cells.append(f"{ref}><v>{_SLOT}</v></c>")
        else:
            texts.append(at)
            cells.append(f'{ref} t="inlineStr"><is><t>{_SLOT}</t></is></c>')
    cells.append("</row>")
    fixed = "".join(cells).split(_SLOT)
    pieces: list[Any] = [None] * (2 * len(fixed) - 1)
    pieces[0::2] = fixed
    keep = tuple(not blank for blank in empty)
    return _Plan(pieces, keep, tuple(dates), tuple(numbers), tuple(texts), len(fixed) - 1)


_LETTERS = [chr(65 + i) for i in range(26)]
_COLUMN_NAMES = _LETTERS + [a + b for a in _LETTERS for b in _LETTERS]


def _content_types(sheets: int) -> str:
    ml = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{ml}.worksheet+xml"/>'
        for n in range(1, sheets + 1)
    )
    return (
        f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{ml}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{ml}.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
        f'package.core-properties+xml"/>{overrides}</Types>'
    )


_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_ROOT_RELS = (
    f'{_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    f'relationships"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
    'Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/'
    'package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    "</Relationships>"
)


def _core(title: str) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        f'{_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(_NOT_XML.sub('', title))}</dc:title><dc:creator>door-scanner"
        f'</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
        "</cp:coreProperties>"
    )


def _workbook(names: list[str], filters: list[str]) -> str:
    sheets = "".join(
        f'<sheet name={quoteattr(_NOT_XML.sub("", n))} sheetId="{i}" r:id="rId{i}"/>'
        for i, n in enumerate(names, start=1)
    )
    defined = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{escape(_quoted(names[i]))}!{_absolute(ref)}</definedName>"
        for i, ref in enumerate(filters)
        if ref
    )
    return (
        f"{_HEAD}<workbook {_NS}><bookViews><workbookView/></bookViews><sheets>{sheets}</sheets>"
        f"{f'<definedNames>{defined}</definedNames>' if defined else ''}</workbook>"
    )


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _absolute(ref: str) -> str:
    start, end = ref.split(":")
    return ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", part) for part in (start, end))


def _workbook_rels(sheets: int) -> str:
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheets + 1)
    )
    return (
        f'{_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships">{rels}<Relationship Id="rId{sheets + 1}" Type="{_REL}/styles" '
        'Target="styles.xml"/></Relationships>'
    )


_STYLES = (
    f'{_HEAD}<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>'
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="12"/><name val="Calibri"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFE8EEF4"/><bgColor indexed="64"/>'
    "</patternFill></fill></fills>"
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left/><right/><top/><bottom style="thin"><color auto="1"/></bottom><diagonal/>'
    "</border></borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs><cellXfs count="4">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" '
    'applyFill="1" applyBorder="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
