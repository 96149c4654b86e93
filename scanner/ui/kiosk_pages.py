"""The kiosk's other screens: the verdict for an attendee, out of order, and the staff menu."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from scanner.app.door_clock import ClockReading
from scanner.app.events import CountsChanged, VerdictCommitted
from scanner.app.kiosk import is_welcome, shown_name
from scanner.app.session import DoorSession
from scanner.checkin.reasons import Reason
from scanner.checkin.wording import describe
from scanner.lang import LANGUAGES, N_, _, current, in_language
from scanner.ui.counts_view import CountsView
from scanner.ui.icons import ShapeIcon
from scanner.ui.sync_badge import SyncBadge
from scanner.ui.verdict_style import STYLES, Look, look_of

OUT_OF_ORDER_BACKGROUND = "#37474f"
OUT_OF_ORDER_TEXT = "#ffffff"


def _font(widget: QWidget, px: int, bold: bool = True) -> None:
    font = widget.font()
    font.setPixelSize(max(12, px))
    font.setBold(bold)
    widget.setFont(font)


def centred(*widgets: QWidget) -> QVBoxLayout:
    layout = QVBoxLayout()
    layout.addStretch(1)
    for widget in widgets:
        if isinstance(widget, QLabel):  # the full width, words wrapped and centred
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            widget.setWordWrap(True)
            layout.addWidget(widget)
        else:
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
    layout.addStretch(1)
    return layout


class KioskVerdict(QWidget):
    """The whole screen in the verdict's colour, its shape and word, and what to do next."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kioskVerdict")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.look = Look.READY
        self.shown: VerdictCommitted | None = None
        self.names = "hidden"
        self.icon = ShapeIcon()
        self.word = QLabel()
        self.word.setObjectName("kioskWord")
        self.next_step = QLabel()
        self.next_step.setObjectName("nextStep")
        self.reason = QLabel()
        self.name = QLabel()
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.icon)
        top.addWidget(self.word)
        top.addStretch(1)
        layout = centred(self.next_step, self.reason, self.name)
        layout.insertLayout(1, top)
        self.setLayout(layout)

    def show_verdict(self, event: VerdictCommitted) -> None:
        self.shown = event
        self.look = look_of(event.verdict)
        style = STYLES[self.look]
        self.setStyleSheet(
            f"#kioskVerdict {{ background: {style.background}; }}"
            f"#kioskVerdict QLabel {{ color: {style.text}; }}"
        )
        self.icon.set_shape(style.shape, style.text)
        self.retranslate()

    def retranslate(self) -> None:
        if self.shown is None:
            return
        verdict = self.shown.verdict
        self.word.setText(_(STYLES[self.look].word))
        if self.look is Look.EXIT:
            self.next_step.setText(_("Goodbye, see you soon"))
        elif is_welcome(verdict):
            self.next_step.setText(_("Welcome, go ahead"))
        else:
            self.next_step.setText(_("Please see the staff at the desk"))
        refused = not is_welcome(verdict) and verdict.reason is not Reason.ALREADY_CHECKED_IN
        why = describe(verdict, self.shown.timezone, _).reason if refused else ""
        self.reason.setText(why)
        self.reason.setVisible(refused)
        self.name.setText(shown_name(verdict.holder_name, self.names))
        self.name.setVisible(bool(self.name.text()))

    def scale_to(self, height: int) -> None:
        _font(self.word, int(height * 0.14))
        _font(self.next_step, int(height * 0.07))
        _font(self.reason, int(height * 0.06))  # for staff, too, from a few metres
        _font(self.name, int(height * 0.06))
        side = int(height * 0.2)
        self.icon.setFixedSize(side, side)


OUT_OF_ORDER = N_("Out of order, please use the staffed entrance")


class OutOfOrderPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outOfOrder")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.icon = ShapeIcon()
        self.icon.set_shape("octagon_cross", OUT_OF_ORDER_TEXT)
        self.words = QLabel()
        self.words.setObjectName("outOfOrderWords")
        self.words.setTextFormat(Qt.TextFormat.RichText)
        self.why = QLabel()  # for staff: why, when it is the clock
        self.why.setObjectName("outOfOrderWhy")
        self.why.setVisible(False)
        self.clock: ClockReading | None = None
        self._small_px = 24
        self.setLayout(centred(self.icon, self.words, self.why))
        self.setStyleSheet(
            f"#outOfOrder {{ background: {OUT_OF_ORDER_BACKGROUND}; }}"
            f"#outOfOrder QLabel {{ color: {OUT_OF_ORDER_TEXT}; }}"
        )
        self.retranslate()

    def retranslate(self) -> None:
        """In the kiosk's language first, then (smaller) in every other one we ship: nobody
        can switch languages on a kiosk that is out of order."""
        said = [_(OUT_OF_ORDER)]
        for language in LANGUAGES:
            words = in_language(language, OUT_OF_ORDER)
            if language != current() and words not in said:
                said.append(words)
        others = "".join(f"<br><span style='font-size:{self._small_px}px'>{html.escape(w)}</span>"
                         for w in said[1:])  # fmt: skip
        self.words.setText(html.escape(said[0]) + others)
        self.why.setText(clock_words(self.clock) if self.clock else "")

    def set_clock(self, reading: ClockReading | None) -> None:
        """Out of order for a wrong clock (`reading`), or not (None)."""
        self.clock = reading
        self.why.setVisible(reading is not None)
        self.retranslate()

    def scale_to(self, height: int) -> None:
        _font(self.why, int(height * 0.035), bold=False)
        _font(self.words, int(height * 0.07))
        self._small_px = max(12, int(height * 0.045))
        self.retranslate()
        self.icon.setFixedSize(int(height * 0.18), int(height * 0.18))


def clock_words(reading: ClockReading) -> str:
    """Why a kiosk is out of order for its clock, and what a lead does about it."""
    text = (
        _("This kiosk's clock is {n} min ahead of the server's: set it right, or a lead "
          "confirms in the staff menu")
        if reading.ahead
        else _("This kiosk's clock is {n} min behind the server's: set it right, or a lead "
               "confirms in the staff menu")
    )  # fmt: skip
    return text.format(n=reading.minutes)


class StaffMenu(QWidget):
    """For staff only (behind the PIN or staff QR): door, direction, sync, counts, leave."""

    leave = Signal()
    back = Signal()
    clock_confirmed = Signal()  # a lead confirmed the wrong clock: the kiosk admits again

    def __init__(self, session: DoorSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("staffMenu")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.session = session
        self.title = QLabel()
        self.title.setObjectName("staffTitle")
        self.door_label = QLabel()
        self.door = QComboBox()
        self.door.setEditable(True)
        self.door.activated.connect(lambda _i: self._door())
        self.direction = QPushButton()
        self.direction.setCheckable(True)
        self.direction.toggled.connect(self._direction)
        self.sync_badge = SyncBadge(session)
        self.sync_now = QPushButton()
        self.sync_now.clicked.connect(lambda: session.sync_now())
        self.counts = CountsView(session.settings.door, type_name=session.type_name)
        self.leave_button = QPushButton()
        self.leave_button.setObjectName("leaveKiosk")
        self.leave_button.clicked.connect(self.leave.emit)
        self.back_button = QPushButton()
        self.back_button.clicked.connect(self.back.emit)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.clock = QLabel()
        self.clock.setObjectName("clockWrong")
        self.clock.setWordWrap(True)
        self.confirm_clock = QPushButton()
        self.confirm_clock.setObjectName("confirmClock")
        self.confirm_clock.clicked.connect(self._confirm_clock)
        self._build()
        self.retranslate()

    def _build(self) -> None:
        door_row = QHBoxLayout()
        door_row.addWidget(self.door_label)
        door_row.addWidget(self.door, 1)
        door_row.addWidget(self.direction)
        sync_row = QHBoxLayout()
        sync_row.addWidget(self.sync_badge, 1)
        sync_row.addWidget(self.sync_now)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.leave_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 30, 40, 30)
        layout.addWidget(self.title)
        clock_row = QHBoxLayout()
        clock_row.addWidget(self.clock, 1)
        clock_row.addWidget(self.confirm_clock)
        layout.addLayout(clock_row)
        layout.addLayout(door_row)
        layout.addLayout(sync_row)
        counts = self.counts.layout()
        if counts is not None:
            counts.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.counts, 1)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        self.setStyleSheet(
            "#staffMenu { background: #eceff1; } #staffMenu QLabel { color: #102027; }"
            "#staffMenu QPushButton, #staffMenu QComboBox, #staffMenu QLabel { font-size: 22px; }"
            "#staffTitle { font-size: 30px; font-weight: bold; }"
            "#leaveKiosk { background: #a11a1a; color: white; padding: 10px 24px; }"
        )

    def retranslate(self) -> None:
        self.title.setText(_("Staff menu"))
        self.door_label.setText(_("Door"))
        self._direction_text(self.direction.isChecked())
        self.sync_now.setText(_("Sync now"))
        self.leave_button.setText(_("Leave kiosk"))
        self.back_button.setText(_("Back to attendees"))
        self.confirm_clock.setText(_("Confirm: admit on this clock"))
        if not self.clock.isHidden():
            self.clock.setText(clock_words(self.session.clock_reading()))

    def open_menu(self, clock_wrong: bool = False) -> None:
        """`clock_wrong`: the kiosk is out of order for its clock; a lead may confirm it."""
        self.clock.setVisible(clock_wrong)
        self.confirm_clock.setVisible(clock_wrong)
        if clock_wrong:
            self.clock.setText(clock_words(self.session.clock_reading()))
        self.door.clear()
        names = [name for _id, name in self.session.checkin_lists()]
        current = self.session.settings.door or ""
        self.door.addItems(sorted({*names, current} - {""}))
        self.door.setCurrentText(current)
        self.direction.blockSignals(True)
        self.direction.setChecked(self.session.exit_mode)
        self.direction.blockSignals(False)
        self._direction_text(self.session.exit_mode)
        self.session.refresh_counts()

    def _confirm_clock(self) -> None:
        self.session.confirm_clock()
        self.clock.setVisible(False)
        self.confirm_clock.setVisible(False)
        self.clock_confirmed.emit()

    def set_counts(self, event: CountsChanged) -> None:
        self.counts.door = self.session.settings.door
        self.counts.set_counts(event)

    def _door(self) -> None:
        name = self.door.currentText().strip()
        if name and name != self.session.settings.door:
            self.session.configure(door=name)
            self.session.refresh_counts()

    def _direction(self, exit_mode: bool) -> None:
        self.session.configure(exit=exit_mode)
        self._direction_text(exit_mode)

    def _direction_text(self, exit_mode: bool) -> None:
        self.direction.setText(_("Exit") if exit_mode else _("Entry"))
