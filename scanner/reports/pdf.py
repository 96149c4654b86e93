"""PDF: A4, vector tables and charts drawn with QPainter on a QPdfWriter (text stays text).

The one module of the report package that uses Qt. It runs in a child process of its own
(`pdf_process`), on that process's main thread, headless: a QGuiApplication on the offscreen
platform is made on demand. Names in Latin, Cyrillic, Greek, Arabic, Hebrew and CJK scripts
render through a family list that Qt falls back along glyph by glyph (fonts.py says which files
and where they come from).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from itertools import islice
from typing import IO

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
)

from scanner.reports import parts as P
from scanner.reports.detail_parts import doors_and_operators, peaks
from scanner.reports.fonts import font_files
from scanner.reports.model import DaySeries, Report

MAX_ROWS = 300  # per table: a PDF is read by people, the spreadsheets hold the rest
PAGE_W, PAGE_H = 595.0, 842.0  # A4 in points (the writer's resolution is 72 dpi)
MARGIN = 40.0
BODY_TOP, BODY_BOTTOM = MARGIN + 38, PAGE_H - MARGIN - 18
WIDTH = PAGE_W - 2 * MARGIN
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"]
INSIDE_COLOR = "#d62728"
_app: QGuiApplication | None = None


def _ensure_app() -> None:
    """Qt paints text only with a GUI application; a server has no display, so offscreen."""
    global _app
    if QGuiApplication.instance() is None:
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _app = QGuiApplication(["scanner-report"])


def write_pdf(report: Report, out: IO[bytes]) -> None:
    _ensure_app()
    families = _families()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(72)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
        )
    )
    writer.setTitle(f"{report.event.name}: check-in report")
    writer.setCreator("door-scanner")
    pages = _Pages(report, families, None, writer)
    pages.run()  # a dry run counts the pages, so each can say "page 2 of 5"
    painter = QPainter(writer)
    try:
        _Pages(report, families, painter, writer, pages.count).run()
    finally:
        painter.end()
    out.write(bytes(buffer.data().data()))


def _families() -> list[str]:
    """Register the report fonts (once) and list their families, Latin first, CJK last."""
    global _families_cache
    if _families_cache is None:
        found: list[str] = []
        for path in font_files():
            for family in _register(path):
                if family not in found:
                    found.append(family)
        _families_cache = found or [
            QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).family()
        ]
    return _families_cache


def _register(path: str) -> list[str]:
    font_id = QFontDatabase.addApplicationFont(path)
    return list(QFontDatabase.applicationFontFamilies(font_id)) if font_id >= 0 else []


_families_cache: list[str] | None = None


class _Pages:
    """Lays the report out top to bottom; draws only when it has a painter."""

    def __init__(
        self,
        report: Report,
        families: list[str],
        painter: QPainter | None,
        writer: QPdfWriter,
        total: int = 0,
    ) -> None:
        self.report = report
        self.painter = painter
        self.writer = writer
        self.total = total
        self.count = 0
        self.y = BODY_TOP
        self.fonts = {
            size: self._font(families, size, bold)
            for size, bold in ((8, False), (9, False), (9, True), (11, True), (16, True))
        }
        self.body = self.fonts[8]

    def _font(self, families: list[str], size: int, bold: bool) -> QFont:
        font = QFont()
        font.setFamilies(families)
        font.setPointSizeF(size)
        font.setBold(bold)
        return font

    def metrics(self, font: QFont) -> QFontMetricsF:
        return QFontMetricsF(font, self.writer)

    # -- pages -----------------------------------------------------------------------------

    def run(self) -> None:
        self._page()
        report = self.report
        summary = P.summary(report)
        for table in summary.tables[:4]:
            self._table(table)
        for day in report.days:
            self._chart(day)
        self._table(P.conflicts(report).tables[0], empty="No conflicts.")
        for table in (*peaks(report).tables, *doors_and_operators(report).tables):
            self._table(table, empty="None.")
        for table in summary.tables[4:]:
            self._table(table, empty="None.")

    def _page(self) -> None:
        if self.count and self.painter is not None:
            self.writer.newPage()
        self.count += 1
        self.y = BODY_TOP
        painter = self.painter
        if painter is None:
            return
        report = self.report
        generated = report.local(report.generated_at).strftime("%Y-%m-%d %H:%M")
        painter.setPen(QColor("#000000"))
        painter.setFont(self.fonts[16])
        painter.drawText(QRectF(MARGIN, MARGIN - 6, WIDTH, 24), _LEFT, report.event.name)
        painter.setFont(self.fonts[8])
        line = (
            f"Check-in report · made {generated} ({report.event.timezone}) · {report.event.scope}"
        )
        painter.drawText(QRectF(MARGIN, MARGIN + 18, WIDTH, 14), _LEFT, line)
        painter.setPen(QPen(QColor("#888888"), 0.5))
        painter.drawLine(QPointF(MARGIN, MARGIN + 34), QPointF(PAGE_W - MARGIN, MARGIN + 34))
        painter.setPen(QColor("#000000"))
        footer = QRectF(MARGIN, PAGE_H - MARGIN, WIDTH, 14)
        painter.drawText(footer, _RIGHT, f"Page {self.count} of {self.total}")
        painter.drawText(footer, _LEFT, f"{report.event.name} · {report.event.event_id}")

    def _room(self, height: float) -> None:
        if self.y + height > BODY_BOTTOM:
            self._page()

    def _title(self, text: str) -> None:
        self._room(44)
        self.y += 8
        if self.painter is not None:
            self.painter.setFont(self.fonts[11])
            self.painter.drawText(QRectF(MARGIN, self.y, WIDTH, 16), _LEFT, text)
        self.y += 20

    # -- tables ----------------------------------------------------------------------------

    def _table(self, table: P.Table, empty: str = "") -> None:
        self._title(table.title)
        # ids and devices are for spreadsheets: on paper they crowd out names and times
        keep = [i for i, c in enumerate(table.columns) if not c.title.endswith(_PAPERLESS)]
        all_rows = table.rows()
        rows = [[_text(row[i]) for i in keep] for row in islice(all_rows, MAX_ROWS)]
        more = sum(1 for _ in all_rows)
        if not rows:
            self._line(empty or "None.")
            return
        header = [table.columns[i].title for i in keep]
        widths = self._widths(header, rows)
        self._row(header, widths, self.fonts[8], header=True)
        for row in rows:
            if self.y + self._height(row, widths, self.body) > BODY_BOTTOM:
                self._page()
                self._row(header, widths, self.fonts[8], header=True)
            self._row(row, widths, self.body)
        if more:
            self._line(f"… and {more} more: the XLSX and CSV reports list every one.")
        self.y += 4

    def _widths(self, header: list[str], rows: list[list[str]]) -> list[float]:
        """Natural widths; when they do not fit, the widest columns give way first, down to
        their longest word: a cell wraps onto more lines, it is never cut."""
        body, bold = self.metrics(self.body), self.metrics(self._bold(self.fonts[8]))
        natural = [bold.horizontalAdvance(h) + 8 for h in header]
        least = [max(bold.horizontalAdvance(w) for w in [*h.split(), ""]) + 8 for h in header]
        for row in rows[:500]:  # a sample sets the widths: conflicts can run long
            for i, cell in enumerate(row):
                natural[i] = max(natural[i], body.horizontalAdvance(cell) + 8)
                words = [body.horizontalAdvance(w) for w in cell.split(" ")]
                least[i] = max(least[i], max(words, default=0) + 8)
        if sum(natural) <= WIDTH:
            return natural
        low, high = 0.0, max(natural)
        for _ in range(30):  # the cap at which the capped widths just fill the line
            cap = (low + high) / 2
            fits = sum(max(min(w, cap), m) for w, m in zip(natural, least, strict=True)) < WIDTH
            low, high = (cap, high) if fits else (low, cap)
        return [max(min(w, low), m) for w, m in zip(natural, least, strict=True)]

    def _height(self, cells: list[str], widths: list[float], font: QFont) -> float:
        """A row's height: as many lines as its most wrapped cell needs."""
        metrics = self.metrics(font)
        lines = 1.0
        for cell, width in zip(cells, widths, strict=True):
            box = metrics.boundingRect(QRectF(0, 0, width - 6, 1000), _WRAP, cell)
            lines = max(lines, round(box.height() / metrics.lineSpacing()))
        return 13.0 + (lines - 1) * metrics.lineSpacing()

    def _bold(self, font: QFont) -> QFont:
        bold = QFont(font)
        bold.setBold(True)
        return bold

    def _row(
        self, cells: list[str], widths: list[float], font: QFont, header: bool = False
    ) -> None:
        used = self._bold(font) if header else font
        height = self._height(cells, widths, used)
        painter = self.painter
        if painter is not None:
            painter.setFont(used)
            if header:
                painter.fillRect(QRectF(MARGIN, self.y, sum(widths), height), QColor("#E8EEF4"))
            x = MARGIN
            for cell, width in zip(cells, widths, strict=True):
                align = _RIGHT if _numeric(cell) and not header else _WRAP
                painter.drawText(QRectF(x + 3, self.y, width - 6, height), align, cell)
                x += width
            painter.setPen(QPen(QColor("#CCCCCC"), 0.4))
            painter.drawLine(
                QPointF(MARGIN, self.y + height), QPointF(MARGIN + sum(widths), self.y + height)
            )
            painter.setPen(QColor("#000000"))
        self.y += height

    def _line(self, text: str) -> None:
        if self.painter is not None:
            self.painter.setFont(self.body)
            self.painter.drawText(QRectF(MARGIN, self.y, WIDTH, 13), _LEFT, text)
        self.y += 17

    # -- charts ----------------------------------------------------------------------------

    def _chart(self, day: DaySeries) -> None:
        height = 230.0
        self._room(height + 60)
        self._title(
            f"{P.day_label(day.day, day.date.isoformat())}: admissions per 15 minutes by door,"
            " and people inside"
        )
        if self.painter is not None:
            _Chart(self.painter, self.fonts[8], day).draw(QRectF(MARGIN, self.y, WIDTH, height))
        self.y += height + 10


class _Chart:
    def __init__(self, painter: QPainter, font: QFont, day: DaySeries) -> None:
        self.painter = painter
        self.font = font
        self.day = day

    def draw(self, box: QRectF) -> None:
        p, day = self.painter, self.day
        plot = QRectF(box.left() + 34, box.top() + 4, box.width() - 70, box.height() - 48)
        n = len(day.starts)
        stacked = [sum(c[i] for c in day.admissions.values()) for i in range(n)]
        top = _nice(max(stacked, default=0))
        inside_top = _nice(max(day.inside, default=0))
        p.setFont(self.font)
        self._axes(plot, top, inside_top)
        slot = plot.width() / max(n, 1)
        for i in range(n):
            base = 0
            for k, counts in enumerate(day.admissions.values()):
                if counts[i]:
                    x = plot.left() + i * slot + slot * 0.1
                    y0 = plot.bottom() - plot.height() * base / top
                    h = plot.height() * counts[i] / top
                    p.fillRect(QRectF(x, y0 - h, slot * 0.8, h), QColor(PALETTE[k % len(PALETTE)]))
                    base += counts[i]
        path = QPainterPath()
        for i, value in enumerate(day.inside):
            point = QPointF(
                plot.left() + (i + 1) * slot, plot.bottom() - plot.height() * value / inside_top
            )
            if i == 0:
                path.moveTo(QPointF(plot.left(), plot.bottom()))
            path.lineTo(point)
        p.setPen(QPen(QColor(INSIDE_COLOR), 1.6))
        p.drawPath(path)
        self._x_labels(plot, slot)
        self._legend(QRectF(box.left(), plot.bottom() + 24, box.width(), 14))

    def _axes(self, plot: QRectF, top: int, inside_top: int) -> None:
        p = self.painter
        for step in range(5):
            y = plot.bottom() - plot.height() * step / 4
            p.setPen(QPen(QColor("#DDDDDD"), 0.4))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(QColor("#000000"))
            p.drawText(QRectF(plot.left() - 34, y - 6, 30, 12), _RIGHT, str(top * step // 4))
            p.setPen(QColor(INSIDE_COLOR))
            label = str(inside_top * step // 4)
            p.drawText(QRectF(plot.right() + 4, y - 6, 34, 12), _LEFT, label)
        p.setPen(QPen(QColor("#000000"), 0.8))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        p.drawLine(plot.bottomLeft(), plot.topLeft())

    def _x_labels(self, plot: QRectF, slot: float) -> None:
        p, starts = self.painter, self.day.starts
        every = max(1, len(starts) // 12)  # at most a dozen labels, on whole hours when sparse
        p.setPen(QColor("#000000"))
        for i, start in enumerate(starts):
            if i % every == 0 and (every == 1 or start.minute == 0 or len(starts) < 24):
                x = plot.left() + i * slot
                p.drawText(QRectF(x - 20, plot.bottom() + 3, 40, 12), _CENTER, f"{start:%H:%M}")

    def _legend(self, box: QRectF) -> None:
        p = self.painter
        x = box.left() + 34
        items = [(door, PALETTE[k % len(PALETTE)]) for k, door in enumerate(self.day.admissions)]
        for label, color in [*items, ("people inside", INSIDE_COLOR)]:
            p.fillRect(QRectF(x, box.top() + 3, 9, 9), QColor(color))
            p.setPen(QColor("#000000"))
            width = QFontMetricsF(self.font).horizontalAdvance(label) + 4
            p.drawText(QRectF(x + 12, box.top(), width, 14), _LEFT, label)
            x += width + 26


def _nice(value: int) -> int:
    """An axis top at or above `value` that divides into four round steps."""
    for top in _steps():
        if top >= value:
            return top
    return value  # unreachable: _steps never ends


def _steps() -> Iterator[int]:
    scale = 1
    while True:
        for base in (4, 8, 20, 40):
            yield base * scale
        scale *= 10


def _text(value: P.Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")  # conflicts lie seconds apart
    return str(value)


def _numeric(text: str) -> bool:
    return text.isdigit()


_PAPERLESS = ("entry id", "device")
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter
_WRAP = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap
