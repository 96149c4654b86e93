"""The Qt binding must not leak references to None from QPainter calls.

PySide6 6.12.0 drops a reference to None on every QPainter.setPen and setBrush; the camera view
and the verdict panel paint many times a second, so a door would abort ("none_dealloc") within
minutes of a shift. pyproject.toml keeps that release out; this test stops it coming back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from pytestqt.qtbot import QtBot

CALLS = 2000


def test_painting_leaves_none_alone(qtbot: QtBot) -> None:
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    try:
        before = sys.getrefcount(None)
        for _ in range(CALLS):
            painter.setPen(QPen(QColor("#00e676"), 4))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#ffffff"))
        lost = before - sys.getrefcount(None)
    finally:
        painter.end()
    # Other threads may take or give a few references meanwhile; a leak loses one per call.
    assert lost < CALLS // 10, f"QPainter calls lost {lost} references to None"
