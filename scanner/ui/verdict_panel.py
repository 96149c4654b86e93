"""The verdict panel: the whole panel in the verdict's colour, its shape and word big enough to
read from two metres, who the ticket is, and a thin bar counting down to "Ready".

A new verdict always replaces the one shown (never a dialog that blocks the next scan).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QElapsedTimer, QEvent, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from scanner.app.events import VerdictCommitted
from scanner.checkin.reasons import REASON_TEXT, Reason
from scanner.checkin.wording import clock_note
from scanner.lang import _, local_time
from scanner.ui.icons import ShapeIcon
from scanner.ui.verdict_style import (
    STYLES,
    Look,
    Style,
    flag_words,
    just_admitted_words,
    look_of_event,
)

WORD_SHARE = 0.11  # the verdict word's font height as a share of the window's...
MIN_WORD_SHARE = 0.08  # ...shrunk to fit a narrow panel, but never below this
BLINK_MS = 450
BAR_TRACK = QColor(0, 0, 0, 60)


class CountdownBar(QWidget):
    """The thin bar that empties while a verdict is held, painted in the panel's text colour
    (a plain painted bar: a styled QProgressBar costs a millisecond per step)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.left = 1.0
        self.setFixedHeight(6)

    def set_left(self, fraction: float) -> None:
        self.left = min(1.0, max(0.0, fraction))
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), BAR_TRACK)
        chunk = self.rect()
        chunk.setWidth(round(chunk.width() * self.left))
        painter.fillRect(chunk, self.palette().color(QPalette.ColorRole.WindowText))


class OutlinedLabel(QLabel):
    """A label in a rounded frame of its own text colour (the "decided offline" tag)."""

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        color = self.palette().color(QPalette.ColorRole.WindowText)
        painter.setPen(color)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 6, 6)


class VerdictPanel(QFrame):
    payment_taken = Signal(str)  # ticket id: staff confirmed the ticket was paid at the door
    undo_asked = Signal()  # staff want the last admission undone

    def __init__(
        self,
        hold_s: float = 4.0,
        parent: QWidget | None = None,
        type_name: Callable[[str | None], str] = lambda kind: kind or "",
    ) -> None:
        super().__init__(parent)
        self.type_name = (
            type_name  # a type's name for its id (the event's; the id where it gave none)
        )
        self.setObjectName("verdictPanel")
        self._painted: tuple[Style, bool] | None = None  # the look last painted, with its blink
        self.background = QColor(STYLES[Look.READY].background)
        self.hold_s = hold_s
        self.exit_mode = False
        self.camera_on = True  # until told otherwise: most doors have one
        self.look = Look.READY
        self.shown: VerdictCommitted | None = None
        self.icon = ShapeIcon()
        self.word = QLabel()
        self.word.setObjectName("verdictWord")
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.name = QLabel()
        self.name.setWordWrap(True)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.clock_note = QLabel()  # decided on the server's time: this device's clock is off
        self.clock_note.setObjectName("clockNote")
        self.clock_note.setWordWrap(True)
        self.offline = OutlinedLabel(_("Decided offline"))
        self.offline.setObjectName("offlineTag")
        self.offline.setContentsMargins(8, 2, 8, 2)
        self.pay = QPushButton(_("Payment taken: admit"))
        self.pay.setObjectName("paymentTaken")
        self.pay.clicked.connect(self._paid)
        self.undo = QPushButton(_("Undo last admission (Ctrl+Z)"))
        self.undo.setObjectName("undoLast")
        self.undo.clicked.connect(self.undo_asked.emit)
        self.undo.setVisible(False)
        self.countdown = CountdownBar()
        self._texts = (
            self.word,
            self.reason,
            self.name,
            self.details,
            self.clock_note,
            self.offline,
            self.countdown,
        )
        self._build()
        self._elapsed = QElapsedTimer()
        self._tick = QTimer(self)
        self._tick.setInterval(50)
        self._tick.timeout.connect(self._count_down)
        self._blink = QTimer(self)
        self._blink.setInterval(BLINK_MS)
        self._blink.timeout.connect(self._toggle_blink)
        self._blink_on = False
        self.show_ready()

    def _build(self) -> None:
        top = QHBoxLayout()
        top.setSpacing(18)  # the shape and the word apart (the word's fit leaves room for it)
        top.addWidget(self.icon)
        top.addWidget(self.word, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 8)
        layout.addLayout(top)
        for widget in (self.reason, self.name, self.details, self.clock_note):
            layout.addWidget(widget)
        bottom = QHBoxLayout()
        bottom.addWidget(self.offline)
        bottom.addStretch(1)
        bottom.addWidget(self.undo)
        bottom.addWidget(self.pay)
        layout.addStretch(1)
        layout.addLayout(bottom)
        layout.addWidget(self.countdown)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        # The texts never push the panel wider (the camera beside it would jump with each
        # verdict): they wrap or are fitted to the width the panel has.
        for label in (self.word, self.reason, self.name, self.details, self.clock_note):
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    # -- showing ---------------------------------------------------------------------------

    def show_verdict(self, event: VerdictCommitted) -> None:
        verdict = event.verdict
        self.shown = event
        self.look = look_of_event(event)
        style = STYLES[self.look]
        self.word.setText(_(style.word))
        self.reason.setText(self._reason_text(event))
        self.name.setText(verdict.holder_name or "")
        self.details.setText("\n".join(self._details(event)))
        # all detail lines shown: wrapped lines get the height they need
        self.details.setMinimumHeight(self.details.heightForWidth(max(1, self.details.width())))
        self.offline.setVisible(event.offline)
        correction = event.clock_correction
        self.clock_note.setText(clock_note(correction.total_seconds(), _) if correction else "")
        self.clock_note.setVisible(correction is not None)
        self.pay.setVisible(verdict.reason is Reason.UNPAID and verdict.ticket_id is not None)
        self._paint(style, blink=False)
        self._fit_word()
        self._blink.stop()
        if style.blink:
            self._blink.start()
        self._elapsed.start()
        self.countdown.set_left(1.0)
        self.countdown.setVisible(True)
        self._tick.start()

    def show_ready(self, exit_mode: bool | None = None, camera: bool | None = None) -> None:
        """READY, saying how to scan here (entry or exit; camera or hand scanner), as last
        told when not told now."""
        self.exit_mode = self.exit_mode if exit_mode is None else exit_mode
        self.camera_on = self.camera_on if camera is None else camera
        self.shown = None
        self.look = Look.READY
        style = STYLES[Look.READY]
        self.word.setText(_(STYLES[Look.READY].word))
        self.reason.setText(self._how_to_scan())
        self.name.setText("")
        self.details.setText("")
        self.clock_note.setVisible(False)
        self.offline.setVisible(False)
        self.pay.setVisible(False)
        self.countdown.setVisible(False)
        self._tick.stop()
        self._blink.stop()
        self._paint(style, blink=False)
        self._fit_word()

    def _how_to_scan(self) -> str:
        if self.camera_on:
            if self.exit_mode:
                return _("Show the ticket to the camera (exit)")
            return _("Show the ticket to the camera")
        if self.exit_mode:
            return _("Scan the ticket with the hand scanner (exit)")
        return _("Scan the ticket with the hand scanner")

    def set_door_state(self, exit_mode: bool | None = None, camera: bool | None = None) -> None:
        """The door's direction or camera changed: READY (if shown) says so at once."""
        if self.shown is None:
            self.show_ready(exit_mode, camera)
        else:
            self.exit_mode = self.exit_mode if exit_mode is None else exit_mode
            self.camera_on = self.camera_on if camera is None else camera

    def offer_undo(self, offered: bool, exit: bool = False) -> None:
        """Show "Undo last admission" (or exit): the window knows what the last scan did."""
        self.undo.setText(
            _("Undo last exit (Ctrl+Z)") if exit else _("Undo last admission (Ctrl+Z)")
        )
        self.undo.setVisible(offered)

    def _reason_text(self, event: VerdictCommitted) -> str:
        verdict = event.verdict
        if self.look is Look.ATTENTION:
            return " · ".join(flag_words(verdict))
        if self.look is Look.EXIT:
            return (
                _("Exit recorded: was not checked in") if verdict.attention else _("Exit recorded")
            )
        if self.look is Look.ADMITTED:
            return _("Welcome") if event.source != "manual" else _("Admitted by hand")
        if self.look is Look.JUST_ADMITTED:
            return just_admitted_words(event)
        return _(REASON_TEXT[verdict.reason])

    def _details(self, event: VerdictCommitted) -> list[str]:
        verdict = event.verdict
        lines = []
        kind = self.type_name(verdict.ticket_type)
        if verdict.seat:
            kind += _(" · seat {seat}").format(seat=verdict.seat)
        if kind:
            lines.append(kind)
        first = verdict.first_admission
        if self.look is Look.ALREADY_USED and first is not None:
            lines.append(
                _("First admitted {time} at {door} (device {device})").format(
                    time=local_time(first.at, event.timezone),
                    door=first.door,
                    device=first.device_name or first.device_id,
                )
            )
        if self.look is not Look.ATTENTION:
            lines.extend(flag_words(verdict))
        if verdict.note:
            lines.append(_("Note: {note}").format(note=verdict.note))
        if event.note:
            lines.append(_("Reason: {note}").format(note=event.note))
        if event.advice:
            lines.append(event.advice)
        return lines

    def _paint(self, style: Style, blink: bool) -> None:
        self._painted = (style, blink)
        self.background = QColor(style.blink if blink and style.blink else style.background)
        text = "#1a1a1a" if blink else style.text
        # Set on each, every time: a style sheet would re-polish every child (a millisecond
        # each), and the window's exit-mode style sheet coming or going resets the palettes.
        colour = QColor(text)
        for widget in self._texts:
            palette = widget.palette()
            palette.setColor(QPalette.ColorRole.WindowText, colour)
            widget.setPalette(palette)
        self.icon.set_shape(style.shape, text)
        self.update()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() is QEvent.Type.StyleChange and self._painted is not None:
            self._paint(*self._painted)  # a style sheet above came or went: colours again

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.background)
        painter.drawRoundedRect(QRectF(self.rect()), 10, 10)

    # -- time --------------------------------------------------------------------------------

    def _count_down(self) -> None:
        left = 1 - self._elapsed.elapsed() / (self.hold_s * 1000)
        if left <= 0:
            self.show_ready()
            return
        self.countdown.set_left(left)

    def _toggle_blink(self) -> None:
        self._blink_on = not self._blink_on
        self._paint(STYLES[self.look], self._blink_on)

    def _paid(self) -> None:
        if self.shown is not None and self.shown.verdict.ticket_id:
            self.payment_taken.emit(self.shown.verdict.ticket_id)

    # -- size --------------------------------------------------------------------------------

    def scale_to(self, window_height: int) -> None:
        """Size the texts from the window's height: the word at WORD_SHARE of it."""
        self._window_height = window_height
        word_px = max(24, int(window_height * WORD_SHARE))
        self.icon.setFixedSize(int(word_px * 1.3), int(word_px * 1.3))
        self._fit_word()
        self._font(self.reason, max(14, int(window_height * 0.04)), bold=True)
        self._font(self.name, max(14, int(window_height * 0.045)), bold=True)
        self._font(self.details, max(12, int(window_height * 0.026)))
        self._font(self.offline, max(11, int(window_height * 0.02)))
        self._font(self.clock_note, max(11, int(window_height * 0.02)))
        self._font(self.pay, max(12, int(window_height * 0.03)), bold=True)
        self._font(self.undo, max(12, int(window_height * 0.022)))
        self._keep_room_for_words(max(24, math.ceil(window_height * MIN_WORD_SHARE)))

    def _keep_room_for_words(self, smallest: int) -> None:
        """No narrower than the longest verdict word at its smallest size beside its shape:
        a splitter dragged too far never cuts the word nor draws it over the shape."""
        font = self.word.font()
        font.setBold(True)
        font.setPixelSize(smallest)
        metrics = QFontMetrics(font)
        widest = max(metrics.horizontalAdvance(_(style.word)) for style in STYLES.values())
        layout = self.layout()
        sides = 0 if layout is None else layout.contentsMargins().left() * 2
        self.setMinimumWidth(widest + self.icon.width() + 24 + sides)

    def _fit_word(self) -> None:
        """The largest word size up to WORD_SHARE of the window that fits the panel's width
        (MIN_WORD_SHARE at the least)."""
        height = getattr(self, "_window_height", 0) or self.height()
        layout = self.layout()
        sides = 0 if layout is None else layout.contentsMargins().left() * 2
        room = self.width() - self.icon.width() - 24 - sides
        smallest = max(24, math.ceil(height * MIN_WORD_SHARE))
        px = max(smallest, int(height * WORD_SHARE))
        font = self.word.font()
        font.setBold(True)
        while px > smallest:
            font.setPixelSize(px)
            if QFontMetrics(font).horizontalAdvance(self.word.text()) <= room:
                break
            px = max(smallest, px - 2)
        self._font(self.word, px, bold=True)

    @staticmethod
    def _font(widget: QWidget, px: int, bold: bool = False) -> None:
        font = widget.font()
        font.setPixelSize(px)
        font.setBold(bold)
        widget.setFont(font)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        window = self.window()
        self.scale_to(window.height() if window is not None else self.height())

    def word_height(self) -> int:
        return self.word.fontMetrics().capHeight()
