"""The self-service kiosk: one full-screen, frameless window that attendees cannot leave.

Screens: attract (words, arrow to the camera, live preview, language flag) -> verdict (whole
screen in the verdict's colour, what to do next; back by itself after 3 s, a refusal 5 s) ->
attract. Out of order whenever the camera is lost or the data cannot decide, and back by itself;
and while the clock is wrong, until a lead confirms it in the staff menu (a code shown then is
not checked at all).
Staff reach the PIN pad through a quiet corner button, or open the staff menu at once by showing
a staff QR code; leaving the kiosk needs the menu. Close, Alt+F4 and Escape do nothing.
Held full screen (`hold_full_screen`), it takes the screen and the focus back after another
program unmaps, minimises or resizes it, and says `window_lost` when its window never comes back
(destroyed): the process then exits, and its unit starts it again.
Time comes from an injected clock (monotonic seconds), so tests step it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QApplication, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from scanner.app.events import CameraStateChanged, CountsChanged, VerdictCommitted
from scanner.app.kiosk import (
    Hold,
    KioskSettings,
    PinGuard,
    ReturnTimer,
    ScreenHold,
    Trouble,
    camera_trouble,
    data_trouble,
    staff_pin,
)
from scanner.app.session import DoorSession
from scanner.lang import choose, current, on_change, set_language
from scanner.ui.bridge import SessionBridge
from scanner.ui.kiosk_attract import AttractPage
from scanner.ui.kiosk_lock import PinPad
from scanner.ui.kiosk_pages import KioskVerdict, OutOfOrderPage, StaffMenu
from scanner.ui.sounds import Sounds
from scanner.ui.verdict_style import STYLES, look_of
from scanner.ui.wedge_filter import WedgeFilter

TICK_MS = 100
DATA_CHECK_S = 5.0  # how often the data file is asked whether it can still decide
STAFF_IDLE_S = 60.0  # the PIN pad and staff menu close by themselves when left open
FOREIGN_LANGUAGE_S = 30.0  # a language chosen with the flag falls back after this on attract


class KioskWindow(QWidget):
    staff_scanned = Signal(str)  # the PIN in a staff QR code (from the camera's thread)
    left = Signal()  # staff left the kiosk
    window_lost = Signal()  # held full screen, its window was taken away for good

    def __init__(
        self,
        session: DoorSession,
        guard: PinGuard,
        settings: KioskSettings,
        *,
        clock: Callable[[], float] = time.monotonic,
        expects_camera: bool = True,
        sounds: Sounds | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.clock = clock
        self.expects_camera = expects_camera
        self.default_language = choose(settings.language)
        set_language(self.default_language)  # before any widget takes its words
        self.bridge = SessionBridge(session, self)
        self.sounds = sounds or Sounds(parent=self)
        self.return_timer = ReturnTimer(settings, clock)
        self.attract = AttractPage(session)
        self.verdict = KioskVerdict()
        self.verdict.names = settings.names or "hidden"
        self.out_of_order = OutOfOrderPage()
        self.pin_pad = PinPad(guard)
        self.staff = StaffMenu(session)
        self.stack = QStackedWidget()
        self.staff_button = QPushButton("·", self)  # a quiet corner for staff
        self.staff_button.setObjectName("staffCorner")
        self.trouble: Trouble | None = None
        self._camera_trouble: Trouble | None = None
        self._data_trouble: Trouble | None = None
        self._clock_trouble: Trouble | None = None
        self._data_checked = -DATA_CHECK_S
        self._staff_until: float | None = None
        self._language_until: float | None = None
        self._may_close = False
        self._hold: ScreenHold | None = None
        self.wedge = WedgeFilter(session, parent=self)
        self._build()
        self._connect()
        self.wedge.install()
        session.intercept = self._intercept
        self._camera(session.camera.state)
        self.check_data()
        self.show_idle()
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.tick)
        self._timer.start()

    def _build(self) -> None:
        self.setWindowTitle("Door scanner kiosk")
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        self.setCursor(Qt.CursorShape.BlankCursor)
        for page in (self.attract, self.verdict, self.out_of_order, self.pin_pad, self.staff):
            self.stack.addWidget(page)
        for page in (self.pin_pad, self.staff):
            page.setCursor(Qt.CursorShape.ArrowCursor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.staff_button.setFlat(True)
        self.staff_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.staff_button.setStyleSheet("#staffCorner { color: #546e7a; border: none; }")
        self.setStyleSheet("KioskWindow { background: #102027; }")
        self.resize(1280, 720)

    def _connect(self) -> None:
        b = self.bridge
        b.verdict.connect(self.on_verdict)
        b.camera.connect(self._camera)
        b.camera.connect(self.attract.preview.set_state)
        b.counts.connect(self._counts)
        b.sync.connect(self.staff.sync_badge.set_state)
        b.sync.connect(lambda _event: self.check_clock())  # a cycle may have measured it
        self.staff_scanned.connect(self.staff_code)
        self.staff_button.clicked.connect(self.open_pin_pad)
        self.attract.language_chosen.connect(self.choose_language)
        self.pin_pad.accepted.connect(self.open_staff_menu)
        self.pin_pad.cancelled.connect(self.show_idle)
        self.staff.back.connect(self.show_idle)
        self.staff.leave.connect(self.leave)
        self.staff.clock_confirmed.connect(self.check_clock)
        self._forget_language = on_change(self._retranslate)

    # -- what attendees see --------------------------------------------------------------------

    @property
    def page(self) -> QWidget | None:
        return self.stack.currentWidget()

    def staff_busy(self) -> bool:
        return self.page in (self.pin_pad, self.staff)

    def on_verdict(self, event: VerdictCommitted) -> None:
        self.sounds.play(STYLES[look_of(event.verdict)].sound)
        if self.staff_busy():
            return  # a code shown while staff work is still recorded; the menu stays
        self.verdict.show_verdict(event)
        self.return_timer.shown(event.verdict)
        self.stack.setCurrentWidget(self.verdict)
        self._language_until = None

    def show_idle(self) -> None:
        """The attract screen, or out of order while something is wrong."""
        self.return_timer.clear()
        self._staff_until = None
        if self.trouble is not None:
            self.stack.setCurrentWidget(self.out_of_order)
        else:
            self.stack.setCurrentWidget(self.attract)
        self.staff_button.raise_()

    def choose_language(self, language: str) -> None:
        """The flag: this attendee's language, until their verdict has come and gone."""
        set_language(language)
        self._language_until = self.clock() + FOREIGN_LANGUAGE_S

    def _retranslate(self, language: str) -> None:
        self.attract.retranslate(language)
        self.verdict.retranslate()
        self.out_of_order.retranslate()
        self.pin_pad.retranslate()
        self.staff.retranslate()
        self.staff.sync_badge.refresh()

    # -- time ----------------------------------------------------------------------------------

    def tick(self) -> None:
        now = self.clock()
        if self.page is self.verdict and self.return_timer.due():
            self.show_idle()
            if current() != self.default_language:
                set_language(self.default_language)  # the next attendee starts afresh
        if self._language_until is not None and now >= self._language_until:
            self._language_until = None
            set_language(self.default_language)
        if self._staff_until is not None and now >= self._staff_until:
            self.show_idle()
        if self.page is self.pin_pad:
            self.pin_pad.refresh_lock()
        if now - self._data_checked >= DATA_CHECK_S:
            self.check_data()
        self._keep_screen()

    # -- the screen ----------------------------------------------------------------------------

    def hold_full_screen(self) -> None:
        """Full screen from now on, whatever another program on the display does to it."""
        self._hold = ScreenHold(self.clock)
        self.take_screen()

    def take_screen(self) -> None:
        """Full screen, on top, with the focus; mapped anew when unmapped behind Qt's back."""
        handle = self.windowHandle()
        if self.isVisible() and handle is not None and not handle.isExposed():
            self.hide()  # Qt still thinks it shown: only hide-and-show maps it again
        self.showFullScreen()
        screen = self.screen().geometry()
        if self.geometry() != screen:
            self.setGeometry(screen)  # no window manager to do it, or one that let it shrink
        self.raise_()
        self.activateWindow()

    def _keep_screen(self) -> None:
        if self._hold is None or self._may_close:
            return
        handle = self.windowHandle()
        exposed = handle is not None and handle.isExposed()
        action = self._hold.check(
            shown=self.isVisible() and not self.isMinimized() and exposed,
            full=self.isFullScreen() and self.geometry() == self.screen().geometry(),
            focused=QApplication.activeWindow() is not None,  # ours: the kiosk or its dialog
        )
        if action is Hold.RESTORE:
            self.take_screen()
        elif action is Hold.FOCUS:
            self.raise_()
            self.activateWindow()
        elif action is Hold.GIVE_UP:
            self._hold = None
            self.window_lost.emit()

    # -- out of order --------------------------------------------------------------------------

    def _camera(self, event: CameraStateChanged) -> None:
        self._camera_trouble = camera_trouble(event.state, self.expects_camera)
        self._update_trouble()

    def check_data(self) -> None:
        self._data_checked = self.clock()
        self._data_trouble = data_trouble(self.session.status)
        self.check_clock()

    def check_clock(self) -> None:
        """Out of order while the clock is wrong and no lead confirmed it (cheap: no counts)."""
        self._clock_trouble = self.session.clock_trouble()
        self._update_trouble()

    def _update_trouble(self) -> None:
        self.trouble = self._data_trouble or self._camera_trouble or self._clock_trouble
        self.out_of_order.set_clock(self.session.clock_reading() if self._clock_trouble else None)
        if self.page in (self.attract, self.out_of_order):
            self.show_idle()

    # -- staff ---------------------------------------------------------------------------------

    def _intercept(self, text: str) -> bool:
        """Camera or hand-scanner code, before the door: a staff code never reaches it."""
        pin = staff_pin(text)
        if pin is None:
            return self._clock_trouble is not None  # a wrong clock: nothing checked, nobody in
        self.staff_scanned.emit(pin)  # queued to the GUI thread when from the camera
        return True

    def staff_code(self, pin: str) -> None:
        self.open_pin_pad()
        self.pin_pad.submit(pin, staff_code=True)

    def open_pin_pad(self) -> None:
        if self.page is self.staff:
            return
        self.pin_pad.open_pad()
        self.stack.setCurrentWidget(self.pin_pad)
        self._staff_until = self.clock() + STAFF_IDLE_S
        self.pin_pad.setFocus()

    def open_staff_menu(self) -> None:
        self.staff.open_menu(self._clock_trouble is not None)
        self.stack.setCurrentWidget(self.staff)
        self._staff_until = self.clock() + STAFF_IDLE_S

    def _counts(self, event: CountsChanged) -> None:
        self.staff.set_counts(event)

    def leave(self) -> None:
        """Staff leave the kiosk (from the menu, so the PIN was given)."""
        self._may_close = True
        self.left.emit()
        self.close()

    # -- what does nothing ---------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_close:
            event.ignore()  # Alt+F4, the window manager, a stray close(): the kiosk stays
            return
        self._timer.stop()
        self.wedge.remove()
        self.bridge.detach()
        self._forget_language()
        if self.session.intercept == self._intercept:
            self.session.intercept = None
        super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        event.accept()  # Escape, Alt+F4 and the rest are swallowed here

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()
            return True
        return super().event(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.WindowStateChange and self.isMinimized():
            QTimer.singleShot(0, self.showFullScreen)  # minimised by a key combination: back

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        height = self.height()
        self.attract.scale_to(height)
        self.verdict.scale_to(height)
        self.out_of_order.scale_to(height)
        side = max(24, height // 20)
        self.staff_button.setGeometry(self.width() - side, 0, side, side)
        self.staff_button.raise_()
