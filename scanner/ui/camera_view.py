"""The camera's live picture: the newest frame, the code just read outlined, optionally
mirrored, and a plain message in place of the picture when there is no camera or it was lost.

The view polls the session's preview slot on a timer and paints only new frames; decoding runs
elsewhere at its own pace, so a slow paint never delays a verdict and vice versa.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from scanner.app.camera_feed import PreviewFrame
from scanner.app.events import CameraState, CameraStateChanged
from scanner.app.session import DoorSession
from scanner.lang import _

PREVIEW_MS = 33
log = logging.getLogger(__name__)


def to_qimage(image: np.ndarray) -> QImage:
    """A view of a BGR or gray frame as a QImage (the array must outlive the image)."""
    height, width = image.shape[:2]
    if image.ndim == 2:
        return QImage(image.data, width, height, image.strides[0], QImage.Format.Format_Grayscale8)
    return QImage(image.data, width, height, image.strides[0], QImage.Format.Format_BGR888)


class CameraView(QWidget):
    def __init__(
        self,
        session: DoorSession,
        parent: QWidget | None = None,
        frames: Callable[[], PreviewFrame | None] | None = None,  # default: the door's camera
    ) -> None:
        super().__init__(parent)
        self.session = session
        self._frames = frames or session.camera.preview
        self.mirror = False
        self.state = session.camera.state
        self.frame: PreviewFrame | None = None
        self.painted = 0  # frames painted (the preview rate is measured from it)
        self._started = time.monotonic()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 180)
        self._timer = QTimer(self)
        self._timer.setInterval(PREVIEW_MS)
        self._timer.timeout.connect(self.poll)
        self._timer.start()

    def set_state(self, event: CameraStateChanged) -> None:
        self.state = event
        self.update()

    def set_mirror(self, on: bool) -> None:
        self.mirror = on
        self.update()

    def poll(self) -> None:
        frame = self._frames()
        if frame is not None and (self.frame is None or frame.index != self.frame.index):
            self.frame = frame
            self.update()

    def fps(self) -> float:
        return self.painted / max(time.monotonic() - self._started, 1e-3)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#101418"))
        if self.state.state is not CameraState.RUNNING or self.frame is None:
            self._message(painter)
            return
        image = to_qimage(self.frame.image)
        target = self._fit(image.width(), image.height())
        painter.save()
        if self.mirror:
            painter.translate(target.center().x() * 2, 0)
            painter.scale(-1, 1)
        painter.drawImage(target, image)
        self._outline(painter, target, image.width(), image.height())
        painter.restore()
        self.painted += 1
        if self.painted == 1:  # bench/bench_package.py times the cold start up to this line
            log.info("ready to scan: window shown, first camera frame painted")

    def _fit(self, width: int, height: int) -> QRectF:
        scale = min(self.width() / width, self.height() / height)
        w, h = width * scale, height * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def _outline(self, painter: QPainter, target: QRectF, width: int, height: int) -> None:
        if self.frame is None or self.frame.detection is None:
            return
        sx, sy = target.width() / width, target.height() / height
        painter.setPen(QPen(QColor("#00e676"), 4))
        for corners in self.frame.detection.corners:
            if len(corners) >= 3:
                points = [QPointF(target.x() + x * sx, target.y() + y * sy) for x, y in corners]
                painter.drawPolygon(QPolygonF(points))

    def _message(self, painter: QPainter) -> None:
        words = {
            CameraState.NONE: _("No camera\nUse the hand scanner or search"),
            CameraState.LOST: _("Camera lost\nReconnecting…"),
            CameraState.RECONNECTING: _("Camera lost\nReconnecting…"),
            CameraState.RUNNING: _("Starting camera…"),
            CameraState.FAILING: _("The camera's pictures cannot be read\nUse the hand scanner"),
            CameraState.ENDED: _("The recording has ended"),
        }[self.state.state]
        font = QFont(self.font())
        font.setPixelSize(max(16, self.height() // 14))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#ffb74d" if self.state.state is not CameraState.NONE else "#cfd8dc"))
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, words)
