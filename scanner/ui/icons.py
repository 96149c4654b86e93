"""The shapes beside the verdict word, drawn with QPainter (no image assets)."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QWidget


def _polygon(center: QPointF, radius: float, sides: int, turn: float) -> QPolygonF:
    return QPolygonF(
        [
            QPointF(
                center.x() + radius * math.cos(turn + 2 * math.pi * i / sides),
                center.y() + radius * math.sin(turn + 2 * math.pi * i / sides),
            )
            for i in range(sides)
        ]
    )


def paint_shape(painter: QPainter, shape: str, box: QRectF, colour: QColor) -> None:
    """Draw `shape` in `box`: outline and mark in `colour`, on a transparent ground."""
    side = min(box.width(), box.height())
    c = box.center()
    r = side * 0.44
    width = max(2.0, side * 0.08)
    pen = QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if shape == "ring":
        painter.drawEllipse(c, r * 0.8, r * 0.8)
        return
    if shape == "circle_check":
        painter.drawEllipse(c, r, r)
        path = QPainterPath(QPointF(c.x() - r * 0.45, c.y()))
        path.lineTo(c.x() - r * 0.1, c.y() + r * 0.35)
        path.lineTo(c.x() + r * 0.5, c.y() - r * 0.35)
        painter.drawPath(path)
    elif shape == "double_check":  # done before: two ticks, as a message read
        for shift in (-0.28, 0.22):
            path = QPainterPath(QPointF(c.x() + r * (shift - 0.45), c.y()))
            path.lineTo(c.x() + r * (shift - 0.1), c.y() + r * 0.35)
            path.lineTo(c.x() + r * (shift + 0.5), c.y() - r * 0.35)
            painter.drawPath(path)
        painter.drawEllipse(c, r, r)
    elif shape == "diamond":
        painter.drawPolygon(_polygon(c, r, 4, -math.pi / 2))
        _bang(painter, c, r * 0.5, width)
    elif shape == "triangle":
        painter.drawPolygon(_polygon(QPointF(c.x(), c.y() + r * 0.15), r, 3, -math.pi / 2))
        _bang(painter, QPointF(c.x(), c.y() + r * 0.15), r * 0.4, width)
    elif shape == "octagon_cross":
        painter.drawPolygon(_polygon(c, r, 8, math.pi / 8))
        d = r * 0.38
        painter.drawLine(QPointF(c.x() - d, c.y() - d), QPointF(c.x() + d, c.y() + d))
        painter.drawLine(QPointF(c.x() + d, c.y() - d), QPointF(c.x() - d, c.y() + d))
    elif shape == "arrow":
        painter.drawRect(QRectF(c.x() - r, c.y() - r, r * 1.1, r * 2))
        painter.drawLine(QPointF(c.x() - r * 0.3, c.y()), QPointF(c.x() + r, c.y()))
        painter.drawLine(QPointF(c.x() + r, c.y()), QPointF(c.x() + r * 0.55, c.y() - r * 0.45))
        painter.drawLine(QPointF(c.x() + r, c.y()), QPointF(c.x() + r * 0.55, c.y() + r * 0.45))


def _bang(painter: QPainter, c: QPointF, size: float, width: float) -> None:
    painter.drawLine(QPointF(c.x(), c.y() - size), QPointF(c.x(), c.y() + size * 0.35))
    painter.drawPoint(QPointF(c.x(), c.y() + size * 0.8 + width * 0.2))


class ShapeIcon(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shape = "ring"
        self.colour = QColor("#ffffff")

    def set_shape(self, shape: str, colour: str) -> None:
        self.shape, self.colour = shape, QColor(colour)
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        paint_shape(painter, self.shape, QRectF(self.rect()), self.colour)
