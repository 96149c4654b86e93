"""The door window: camera and verdict side by side, door controls and sync status on top,
recent scans, search and counts below. It takes a door session and its bridge; everything it
shows arrives as bridge signals on the GUI thread."""

from __future__ import annotations

from concurrent.futures import Future
from datetime import datetime
from functools import partial
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from scanner.app.camera_choice import NO_CAMERA, CameraOption, kind_of
from scanner.app.events import (
    CameraState,
    CameraStateChanged,
    CountsChanged,
    EntryUndone,
    Progress,
    SyncStateChanged,
    VerdictCommitted,
)
from scanner.app.kiosk import PinCheck, PinGuard
from scanner.app.preferences import Preferences
from scanner.app.report_name import report_name
from scanner.app.session import DoorSession
from scanner.checkin.reasons import Outcome
from scanner.lang import N_, _
from scanner.reports.writers import Request as ReportRequest
from scanner.reports.writers import default_kind
from scanner.ui.about_dialog import AboutDialog
from scanner.ui.bridge import SessionBridge
from scanner.ui.camera_view import CameraView
from scanner.ui.clock_banner import ClockBanner
from scanner.ui.counts_view import CountsView
from scanner.ui.door_bar import DoorBar
from scanner.ui.notice import Notice
from scanner.ui.placement import place_beside
from scanner.ui.reason_dialog import ReasonDialog
from scanner.ui.recent_scans import RecentScans
from scanner.ui.search_panel import SearchPanel
from scanner.ui.settings_dialog import SettingsDialog, camera_label
from scanner.ui.sounds import Sounds
from scanner.ui.sync_badge import SyncBadge
from scanner.ui.verdict_panel import VerdictPanel
from scanner.ui.verdict_style import STYLES, look_of_event
from scanner.ui.wedge_filter import WedgeFilter
from scanner.ui.wizard import EnrolWizard

PAID_AT_THE_DOOR = "paid at the door"
# The session's tasks, named in Progress events: translated where a failure is told.
TASKS = (N_("Enrol"), N_("Import"), N_("Report"), N_("Reset"))
REPORT_FILTERS = N_("Excel workbook (*.xlsx);;PDF with charts (*.pdf);;CSV scan log (*.csv)")


class DoorWindow(QMainWindow):
    def __init__(
        self, session: DoorSession, sounds: Sounds | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self._pin_guard: PinGuard | None = None  # read when an undo first asks for it
        self.bridge = SessionBridge(session, self)
        self.sounds = sounds or Sounds(parent=self)
        prefs = session.preferences()
        self.name_event()
        self.bar = DoorBar(session)
        self.sync_badge = SyncBadge(session)
        self.clock_banner = ClockBanner(session)
        self.camera = CameraView(session)
        self.panel = VerdictPanel(prefs.hold_s, type_name=session.type_name)
        self.take_preferences(prefs)
        self.recent = RecentScans(type_name=session.type_name)
        self.search = SearchPanel(self.bridge)
        self.counts = CountsView(session.settings.door, type_name=session.type_name)
        self.notice = Notice()
        self.report_progress = QProgressBar()
        self.report_progress.setRange(0, 0)  # busy: the journal's length is not known up front
        self.report_progress.setFormat(_("Writing the report… %v entries"))
        self.report_progress.hide()
        self.report_path: Path | None = None
        self.tabs = QTabWidget()
        self.wedge = WedgeFilter(session, parent=self)
        self.wizard: EnrolWizard | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.reason_dialog: ReasonDialog | None = None
        # A door in service is not closed by a stray Alt+F4: closing asks first (tools that
        # drive the window, such as tests and the screenshot script, turn this off).
        self.ask_before_closing = True
        self.close_question: QMessageBox | None = None
        self._cameras: list[CameraOption] = []
        self._build()
        self._connect()
        self.wedge.install()
        self.panel.show_ready(session.exit_mode, session.camera.state.state is not CameraState.NONE)
        self.search.set_exit_mode(session.exit_mode)
        self.recent.fill(session.recent(), session.undone())  # the journal's, after a restart
        self._offer_undo()
        self.sounds.unavailable.connect(lambda text: self.notice.say(text, "sound", lasting=True))
        self.sounds.announce()

    def _build(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.bar, 1)
        top.addWidget(self.sync_badge)
        middle = QSplitter(Qt.Orientation.Horizontal)
        middle.addWidget(self.camera)
        middle.addWidget(self.panel)
        middle.setStretchFactor(0, 4)
        middle.setStretchFactor(1, 5)
        self.tabs.addTab(self.recent, _("Recent scans"))
        self.tabs.addTab(self.search, _("Search"))
        self.tabs.addTab(self.counts, _("Counts"))
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(middle)
        body.addWidget(self.tabs)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 2)
        self.body = body
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(top)
        layout.addWidget(self.clock_banner)
        layout.addWidget(body, 1)
        layout.addWidget(self.notice)
        layout.addWidget(self.report_progress)
        self.setCentralWidget(central)
        menu = self.menuBar().addMenu(_("&File"))
        self.export_action = menu.addAction(_("Export report…"))
        self.export_action.triggered.connect(lambda: self.export_report())
        self.settings_action = menu.addAction(_("Settings…"))
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.triggered.connect(lambda: self.open_settings())
        menu.addSeparator()
        quit_action = menu.addAction(_("&Quit"))
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))  # Cmd+Q on a Mac
        quit_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        quit_action.triggered.connect(self.close)
        self._door_menu()
        help_menu = self.menuBar().addMenu(_("&Help"))
        help_menu.addAction(_("About door scanner"), lambda: self.open_about())
        self.resize(1280, 720)

    def _door_menu(self) -> None:
        door = self.menuBar().addMenu(_("&Door"))
        door.addAction(_("Sync now"), lambda: self.session.sync_now())
        door.addAction(_("Sync status and conflicts…"), self.sync_badge.open_details)
        door.addAction(_("Set up (enrol or import)…"), self.run_wizard)
        door.addAction(_("Reset this door…"), self.reset_door)
        self.camera_menu = self.menuBar().addMenu(_("&Camera"))
        # the window's own action: it outlives every refill of the menu
        self.camera_settings_action = QAction(_("Settings…"), self)
        self.camera_settings_action.triggered.connect(lambda: self.open_settings())
        self.camera_menu.aboutToShow.connect(self._fill_camera_menu)

    def _fill_camera_menu(self) -> None:
        """The cameras from the last probe (a new one starts for the next opening), the one in
        use checked; then the way to the settings."""
        self.session.camera.options().add_done_callback(self._remember_cameras)
        menu = self.camera_menu
        menu.clear()  # the camera entries it owns; "Settings…" belongs to the window
        in_use = self.session.camera.spec or ""
        options = list(self._cameras) or [NO_CAMERA]
        if in_use not in {option.spec for option in options}:
            options.append(CameraOption(in_use, kind_of(in_use), in_use))
        group = QActionGroup(menu)
        for option in options:
            action = menu.addAction(camera_label(option), partial(self.use_camera, option.spec))
            action.setCheckable(True)
            action.setChecked(option.spec == in_use)
            group.addAction(action)
        if not self._cameras:
            menu.addAction(_("Looking for cameras…")).setEnabled(False)
        menu.addSeparator()
        menu.addAction(self.camera_settings_action)

    def _remember_cameras(self, future: Future[list[CameraOption]]) -> None:
        # on the jobs thread: only keep the list; the menu reads it on the GUI thread
        self._cameras = [] if future.exception() else future.result()

    def use_camera(self, spec: str) -> Future[CameraStateChanged]:
        """Switch cameras in the background (kept in the store for the next start); "" for
        none."""
        self.session.save_preferences(camera=spec)
        return self.session.camera.use(spec)

    def open_settings(self) -> SettingsDialog:
        """The settings dialog, window-modal (scans still work while it is open)."""
        dialog = SettingsDialog(self.session, self.sounds, self)
        dialog.applied.connect(self._chosen)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # its preview polls till then
        dialog.destroyed.connect(self._settings_closed)
        self._show_beside_verdict(dialog)
        self.settings_dialog = dialog
        return dialog

    def _show_beside_verdict(self, dialog: QWidget) -> None:
        """Show a dialog where it leaves the verdict in sight (scans go on meanwhile)."""
        dialog.show()
        place_beside(dialog, self.panel)

    def _settings_closed(self) -> None:
        self.settings_dialog = None

    def _chosen(self, prefs: Preferences) -> None:
        self.take_preferences(prefs)
        self.bar.reload(prefs)
        self.counts.door = self.session.settings.door
        self.session.refresh_counts()

    def take_preferences(self, prefs: Preferences) -> None:
        """Show and sound as `prefs` say: mirror, hold time, mute and volume."""
        self.camera.set_mirror(prefs.mirror)
        self.panel.hold_s = prefs.hold_s
        self.sounds.muted = prefs.mute
        self.sounds.set_volume(prefs.volume)

    def open_about(self) -> AboutDialog:
        dialog = AboutDialog(self.session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._show_beside_verdict(dialog)
        return dialog

    def reset_door(self) -> None:
        """After staff confirm: the reset runs on the session's jobs thread; its end arrives
        as a Progress event (`on_progress`), which opens the wizard."""
        if self.confirm_reset():
            self.session.setup.reset(discard_unsent=True)

    def _connect(self) -> None:
        b = self.bridge
        b.verdict.connect(self.on_verdict)
        b.undone.connect(self.on_undone)
        b.counts.connect(self.on_counts)
        b.sync.connect(self.on_sync)
        b.camera.connect(self.on_camera)
        b.progress.connect(self.on_progress)
        self.bar.direction_changed.connect(self.set_exit_mode)
        self.bar.operator_changed.connect(lambda name: self.session.configure(operator=name))
        self.bar.mute_changed.connect(self._mute)
        self.bar.settings_asked.connect(self.open_settings)
        self.panel.payment_taken.connect(self.payment_taken)
        self.search.admit.connect(self.ask_admit)
        self.recent.undo.connect(self.ask_undo)
        self.panel.undo_asked.connect(self.undo_last)
        QShortcut(QKeySequence("Ctrl+F"), self, self.focus_search)
        QShortcut(QKeySequence("Ctrl+Z"), self, self.undo_last)
        QShortcut(QKeySequence("F2"), self, self.bar.direction.toggle)
        QShortcut(QKeySequence("Escape"), self, lambda: self.panel.show_ready())

    # -- events ------------------------------------------------------------------------------

    def on_verdict(self, event: VerdictCommitted) -> None:
        self.sounds.play(STYLES[look_of_event(event)].sound)  # first: play() only starts it
        self.panel.show_verdict(event)
        self.panel.repaint()  # on screen now: the lists below may take their time
        self.recent.add(event)
        self._offer_undo()
        if event.source == "manual":
            self.notice.settle("admission")
        if event.verdict.ticket_id:
            self.search.refresh(event.verdict.ticket_id)

    def on_undone(self, event: EntryUndone) -> None:
        self.notice.settle("undo")
        self.recent.mark_undone(event)
        self._offer_undo()
        self.search.refresh(event.ticket_id)

    def on_sync(self, event: SyncStateChanged) -> None:
        self.sync_badge.set_state(event)
        self.clock_banner.refresh()  # the cycle may have measured the clock again
        if event.tickets_changed:  # other doors' admissions, or new ticket records
            self.search.refresh()

    def _offer_undo(self) -> None:
        """The verdict panel offers to undo the last admission while it is the last scan."""
        last = self.recent.last_undoable()
        latest = last is not None and bool(self.recent.events) and last is self.recent.events[0]
        exited = last is not None and last.verdict.outcome is Outcome.EXITED
        self.panel.offer_undo(latest, exited)

    def on_counts(self, event: CountsChanged) -> None:
        self.counts.door = self.session.settings.door
        made = event.status.snapshot_generated_at or event.status.imported_at
        self.sync_badge.set_list_time(datetime.fromisoformat(made) if made else None)
        self.counts.set_counts(event)
        status = event.status
        self.tabs.setTabText(
            2,
            _("Counts {admitted}/{expected}").format(
                admitted=status.admitted, expected=status.expected
            ),
        )

    def on_progress(self, event: Progress) -> None:
        if event.task == "report":
            self._report_progress(event)
        if event.canceled:
            self.say(
                _("Import canceled: nothing was changed")
                if event.task == "import"
                else _("{task} canceled").format(task=_(event.task.capitalize())),
                event.task,
            )
        elif event.error:
            self.say(
                _("{task} did not work: {error}").format(
                    task=_(event.task.capitalize()), error=event.error
                ),
                event.task,
            )
        elif event.finished:
            self.notice.settle(event.task)  # it worked this time: the old failure is history
            self.bar.reload()
            self.name_event()
            self._say_set_up(event)
            if event.task == "reset":
                self.panel.show_ready()
                self.run_wizard()

    def _say_set_up(self, event: Progress) -> None:
        """A set-up that worked says what the door checks now."""
        if event.task not in ("enrol", "import"):
            return
        words = {
            "enrol": _("Enrolled at {door} for {event}: {n} tickets"),
            "import": _("Imported {event} at {door}: {n} tickets"),
        }[event.task]
        door, name = self.session.settings.door, self.session.names().event
        self.say(words.format(door=door, event=name, n=event.done), event.task)

    def name_event(self) -> None:
        """The event's name in the title: which attendee list this door checks."""
        event = self.session.names().event
        title = _("Door scanner")
        self.setWindowTitle(f"{event} · {title}" if event else title)

    def say(self, text: str, topic: str = "") -> None:
        """Tell staff, on the line under the window, for a few seconds or until `topic` comes
        right (see `Notice`)."""
        self.notice.say(text, topic)

    # -- reports -----------------------------------------------------------------------------

    def export_report(self, path: str | None = None) -> None:
        """Ask where (the extension picks the format), then write it in the background."""
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(
                self, _("Export report"), str(self.report_suggestion()), _(REPORT_FILTERS)
            )
        if not path:
            return
        target = Path(path)
        fmt = target.suffix.lstrip(".").lower()
        if fmt not in ("xlsx", "pdf", "csv"):
            target, fmt = target.with_name(target.name + ".xlsx"), "xlsx"
        self.report_path = target
        self.export_action.setEnabled(False)
        self.report_progress.setRange(0, 0)
        self.report_progress.show()
        request = ReportRequest(fmt, default_kind(fmt))
        future = self.session.reports.export(target, request)
        future.add_done_callback(self._report_failure(N_("Report")))

    def report_suggestion(self) -> Path:
        """Where a report goes unless staff say otherwise: the user's Documents, named after
        the event and its day."""
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        session = self.session
        name = report_name(session.names().event, session.door_clock.now(), session.timezone())
        return Path(folder or Path.home()) / name

    def _report_progress(self, event: Progress) -> None:
        if not event.finished:
            self.report_progress.setValue(event.done)
            return
        self.report_progress.hide()
        self.export_action.setEnabled(True)
        if not event.error:
            entries = _(" ({n} journal entries)").format(n=event.done) if event.done else ""
            self.say(_("Report written to {path}").format(path=self.report_path) + entries)

    # -- door --------------------------------------------------------------------------------

    def set_exit_mode(self, exit_mode: bool) -> None:
        self.session.configure(exit=exit_mode)
        self.panel.set_door_state(exit_mode=exit_mode)
        self.search.set_exit_mode(exit_mode)
        self.frame_exit_mode(exit_mode)

    def on_camera(self, event: CameraStateChanged) -> None:
        self.camera.set_state(event)
        self.panel.set_door_state(camera=event.state is not CameraState.NONE)

    def frame_exit_mode(self, exit_mode: bool) -> None:
        """Exit mode is visibly different: the whole window framed in the exit colour."""
        self.setStyleSheet("QMainWindow { background: #5b2a86; }" if exit_mode else "")

    def _mute(self, on: bool) -> None:
        self.sounds.muted = on
        self.session.save_preferences(mute=on)

    def focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.search)
        self.search.box.setFocus()
        self.search.box.selectAll()

    # -- asking staff --------------------------------------------------------------------------

    def ask_admit(self, ticket_id: str, name: str) -> ReasonDialog:
        who = name or ticket_id
        exit_mode = self.session.exit_mode
        dialog = ReasonDialog(
            _("Exit by hand") if exit_mode else _("Admit by hand"),
            _("Record the exit of {name} without a code. Reason:").format(name=who)
            if exit_mode
            else _("Admit {name} without a code. Reason:").format(name=who),
            self,
            default=_("phone not at hand"),
        )
        dialog.answered.connect(lambda why: self.admit_by_hand(ticket_id, why))
        return self._ask(dialog)

    def _ask(self, dialog: ReasonDialog) -> ReasonDialog:
        """One question at a time: a new one replaces one left open."""
        if self.reason_dialog is not None and self.reason_dialog.isVisible():
            self.reason_dialog.reject()
        self.reason_dialog = dialog
        self._show_beside_verdict(dialog)
        return dialog

    def admit_by_hand(self, ticket_id: str, reason: str, paid_at_door: bool = False) -> None:
        future = self.session.admit_by_hand(ticket_id, reason, paid_at_door)
        future.add_done_callback(self._report_failure(N_("Admission")))

    def payment_taken(self, ticket_id: str) -> None:
        self.admit_by_hand(ticket_id, PAID_AT_THE_DOOR, paid_at_door=True)

    def undo_last(self) -> ReasonDialog | None:
        """Undo the last admission (or exit) in Recent scans, after a reason (Ctrl+Z)."""
        event = self.recent.last_undoable()
        if event is None:
            self.say(_("Nothing to undo: no admission in Recent scans"), "undo")
            return None
        return self.ask_undo(event.entry_id, self.recent.label(event))

    def ask_undo(self, entry_id: str, label: str) -> ReasonDialog:
        """Ask why (and for the lead PIN, when one is set); the undo follows the answer."""
        dialog = ReasonDialog(
            _("Undo"),
            _("Undo the scan of {label}. Why?").format(label=label),
            self,
            check_pin=self._check_lead_pin if self._lead_pin_needed() else None,
        )
        dialog.answered.connect(lambda why: self.undo(entry_id, why))
        return self._ask(dialog)

    def _lead_pin_needed(self) -> bool:
        if self._pin_guard is None:
            self._pin_guard = self.session.pin_guard()
        return self._pin_guard.stored is not None

    def _check_lead_pin(self, pin: str) -> tuple[str | None, bool]:
        """None when the PIN opens the way; else what to say, and whether to give up (five
        wrong tries lock it, as at the kiosk)."""
        assert self._pin_guard is not None
        answer = self._pin_guard.check(pin)
        if answer is PinCheck.OK:
            return None, False
        if answer is PinCheck.LOCKED:
            locked = int(self._pin_guard.locked_for())
            self.say(_("Too many wrong tries: locked for {s} s").format(s=locked))
            return _("Too many wrong tries: locked for {s} s").format(s=locked), True
        return _("Wrong PIN."), False

    def undo(self, entry_id: str, why: str) -> None:
        if not why.strip():
            self.say(_("Undo needs a reason"), "undo")
            return
        future = self.session.undo(entry_id, why)
        future.add_done_callback(self._report_failure(N_("Undo")))

    def _report_failure(self, what: str):  # type: ignore[no-untyped-def]
        def done(future) -> None:  # type: ignore[no-untyped-def]
            error = future.exception()
            if error is not None:
                self.bridge.progress.emit(Progress(what.lower(), 0, None, False, str(error)))

        return done

    def run_wizard(self) -> bool:
        self.wizard = EnrolWizard(self.bridge, self)
        self.wedge.capture = self.wizard.scanned
        try:
            self.wizard.exec()
        finally:
            self.wedge.capture = None
        return self.wizard.done_ok

    def confirm_reset(self) -> bool:
        waiting = self.session.setup.unsent()
        text = _("Forget the enrolment, attendee list and keys of this door?")
        if waiting:
            text += "\n\n" + _("{n} scans were never uploaded and will be lost.").format(n=waiting)
        answer = QMessageBox.warning(
            self,
            _("Reset this door"),
            text,
            QMessageBox.StandardButton.Reset | QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Reset

    # -- size and end ----------------------------------------------------------------------------

    def _ask_to_close(self) -> None:
        """Ask (beside the verdict, never blocking scans) whether to close the door."""
        if self.close_question is not None and self.close_question.isVisible():
            return
        question = QMessageBox(
            QMessageBox.Icon.Question,
            _("Close the door scanner"),
            _("Close the door scanner? Nothing is scanned here until it is opened again."),
            QMessageBox.StandardButton.Close | QMessageBox.StandardButton.Cancel,
            self,
        )
        question.setDefaultButton(QMessageBox.StandardButton.Cancel)
        question.setWindowModality(Qt.WindowModality.WindowModal)
        question.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        question.finished.connect(self._close_answered)
        self.close_question = question
        self._show_beside_verdict(question)

    def _close_answered(self, answer: int) -> None:
        self.close_question = None
        if answer == QMessageBox.StandardButton.Close:
            self.ask_before_closing = False
            self.close()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.panel.scale_to(self.height())
        # camera and verdict take most of the height; the lists below get the rest
        self.body.setSizes([int(self.height() * 0.62), int(self.height() * 0.3)])

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.ask_before_closing:
            event.ignore()
            self._ask_to_close()
            return
        if self.settings_dialog is not None and self.settings_dialog.isVisible():
            self.settings_dialog.reject()  # its preview releases the camera it opened
        self.wedge.remove()
        self.bridge.detach()
        super().closeEvent(event)
