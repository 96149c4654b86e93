"""What an attendee sees while the kiosk waits: large plain words, an arrow to the camera, the
live preview to aim with, and a flag button to switch the language for this attendee."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPaintEvent, QPixmap, QPolygonF
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from scanner.app.session import DoorSession
from scanner.lang import LANGUAGES, _, current
from scanner.ui.camera_view import CameraView

BACKGROUND = "#102027"
TEXT = "#ffffff"
ACCENT = "#ffd54f"


def flag_icon(language: str, size: QSize | None = None) -> QIcon:
    """A flag drawn in code (no image assets): Germany's bars, or a plain Union Jack."""
    size = size or QSize(48, 30)
    pixmap = QPixmap(size)
    w, h = size.width(), size.height()
    painter = QPainter(pixmap)
    if language == "de":
        for index, colour in enumerate(("#000000", "#dd0000", "#ffce00")):
            painter.fillRect(QRectF(0, index * h / 3, w, h / 3 + 1), QColor(colour))
    else:
        painter.fillRect(pixmap.rect(), QColor("#012169"))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for colour, width in (("#ffffff", h / 5), ("#c8102e", h / 15)):
            pen = painter.pen()
            pen.setColor(QColor(colour))
            pen.setWidthF(width)
            painter.setPen(pen)
            painter.drawLine(0, 0, w, h)
            painter.drawLine(0, h, w, 0)
        painter.fillRect(QRectF(w * 0.42, 0, w * 0.16, h), QColor("#ffffff"))
        painter.fillRect(QRectF(0, h * 0.36, w, h * 0.28), QColor("#ffffff"))
        painter.fillRect(QRectF(w * 0.45, 0, w * 0.1, h), QColor("#c8102e"))
        painter.fillRect(QRectF(0, h * 0.41, w, h * 0.18), QColor("#c8102e"))
    painter.end()
    return QIcon(pixmap)


class CameraPointer(QWidget):
    """A big arrow pointing where the camera is (above the screen: up)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(60, 60)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        side = min(w, h)
        cx, top = w / 2, (h - side) / 2
        head = QPolygonF(
            [
                QPointF(cx, top),
                QPointF(cx + side * 0.45, top + side * 0.5),
                QPointF(cx + side * 0.16, top + side * 0.5),
                QPointF(cx + side * 0.16, top + side),
                QPointF(cx - side * 0.16, top + side),
                QPointF(cx - side * 0.16, top + side * 0.5),
                QPointF(cx - side * 0.45, top + side * 0.5),
            ]
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(ACCENT))
        painter.drawPolygon(head)


class AttractPage(QWidget):
    language_chosen = Signal(str)

    def __init__(self, session: DoorSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attract")
        self.pointer = CameraPointer()
        self.camera_hint = QLabel()
        self.camera_hint.setObjectName("cameraHint")
        self.words = QLabel()
        self.words.setObjectName("attractWords")
        self.words.setWordWrap(True)
        self.words.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview = CameraView(session)
        self.flag = QPushButton()
        self.flag.setObjectName("flagButton")
        self.flag.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.flag.clicked.connect(self._flag)
        self.language = "en"
        self._build()
        self.retranslate(current())

    def _build(self) -> None:
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.pointer)
        top.addWidget(self.camera_hint)
        top.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.flag)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(30, 16, 30, 16)
        layout.addLayout(top)
        layout.addWidget(self.words)
        layout.addWidget(self.preview, 1, Qt.AlignmentFlag.AlignHCenter)
        layout.addLayout(bottom)
        self.setStyleSheet(
            f"#attract {{ background: {BACKGROUND}; }}"
            f"#attract QLabel {{ color: {TEXT}; }}"
            f"#cameraHint {{ color: {ACCENT}; font-weight: bold; }}"
            "#flagButton { background: #37474f; color: #ffffff; border-radius: 8px;"
            " padding: 8px 18px; font-weight: bold; }"
        )

    def other_language(self) -> str:
        return next(code for code in LANGUAGES if code != self.language)

    def retranslate(self, language: str) -> None:
        self.language = language
        self.words.setText(_("Hold your ticket's QR code up to the camera"))
        self.camera_hint.setText(_("Camera"))
        other = self.other_language()
        self.flag.setIcon(flag_icon(other))
        self.flag.setText(LANGUAGES[other])

    def _flag(self) -> None:
        self.language_chosen.emit(self.other_language())

    def scale_to(self, height: int) -> None:
        for widget, share in ((self.words, 0.075), (self.camera_hint, 0.05), (self.flag, 0.035)):
            font = widget.font()
            font.setPixelSize(max(14, int(height * share)))
            font.setBold(True)
            widget.setFont(font)
        self.pointer.setFixedSize(int(height * 0.09), int(height * 0.09))
        self.flag.setIconSize(QSize(int(height * 0.05), int(height * 0.033)))
        self.preview.setFixedSize(int(height * 0.5 * 4 / 3), int(height * 0.5))
