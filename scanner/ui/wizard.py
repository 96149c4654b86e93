"""First run: enrol with a companion API (URL and code typed, pasted as a link, or scanned) or
import a snapshot file with its signer's fingerprint; progress in tickets; cancel."""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from scanner.app.events import Progress
from scanner.checkin.limits import MAX_LABEL
from scanner.lang import _
from scanner.ui.bridge import SessionBridge


def split_link(text: str) -> tuple[str, str] | None:
    """An enrolment link (`...?url=...&code=...` or `scanner://enrol?...`) as (url, code)."""
    query = parse_qs(urlsplit(text.strip()).query)
    if "code" in query and "url" in query:
        return query["url"][0], query["code"][0]
    return None


class EnrolWizard(QDialog):
    server_checked = Signal(str, object)  # url, None (it answers) or why not (from a thread)

    def __init__(self, bridge: SessionBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.session = bridge.session
        self.setWindowTitle(_("Set up this door"))
        self.tabs = QTabWidget()
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://checkin.example.org")
        self.url.editingFinished.connect(self.check_server)
        self.reach = QLabel("")  # whether the server answers, before the code is typed
        self.reach.setWordWrap(True)
        self.server_checked.connect(self._server_checked)
        self.code = QLineEdit()
        self.code.setPlaceholderText(_("enrolment code, or paste / scan the enrolment link"))
        self.code.textChanged.connect(self._maybe_link)
        self.device_name = QLineEdit()
        self.device_name.setMaxLength(MAX_LABEL)
        self.device_name.setPlaceholderText(_("e.g. North gate laptop (shown at the other doors)"))
        self.file = QLineEdit()
        self.fingerprint = QLineEdit()
        self.fingerprint.setPlaceholderText(_("signer fingerprint (from the organizer)"))
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.start = QPushButton(_("Enrol"))
        self.start.setDefault(True)
        self.cancel_button = QPushButton(_("Cancel"))
        self._build()
        self.start.clicked.connect(self.begin)
        self.cancel_button.clicked.connect(self._cancel)
        self.tabs.currentChanged.connect(
            lambda i: self.start.setText(_("Enrol") if i == 0 else _("Import"))
        )
        bridge.progress.connect(self.on_progress)
        self.running = False
        self.done_ok = False

    def _build(self) -> None:
        enrol = QWidget()
        form = QFormLayout(enrol)
        form.addRow(_("Server"), self.url)
        form.addRow("", self.reach)
        form.addRow(_("Code"), self.code)
        form.addRow(_("This device's name"), self.device_name)
        form.addRow(QLabel(_("A hand scanner can scan the enrolment QR code into this window.")))
        imp = QWidget()
        form2 = QFormLayout(imp)
        browse = QPushButton(_("Choose…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.file, 1)
        row.addWidget(browse)
        form2.addRow(_("Snapshot file"), row)
        form2.addRow(_("Fingerprint"), self.fingerprint)
        self.tabs.addTab(enrol, _("Enrol with a server"))
        self.tabs.addTab(imp, _("Import a file"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.start)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("This door has no attendee list yet.")))
        layout.addWidget(self.tabs)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(620, 320)

    def check_server(self) -> None:
        """Ask the server whether it is there (in the background), as soon as its address is
        given: a wrong address shows before the code is typed."""
        url = self.url.text().strip()
        if not url:
            self.reach.setText("")
            return
        self.reach.setText(_("Checking the connection…"))

        def done(future: Future[str | None]) -> None:
            problem = future.exception() or future.result()
            try:
                self.server_checked.emit(url, problem)
            except RuntimeError:  # the wizard was closed before the answer came
                return

        self.session.setup.check_server(url).add_done_callback(done)

    def _server_checked(self, url: str, problem: object) -> None:
        if url != self.url.text().strip():
            return  # an older address: the person typed on
        self.reach.setText(
            _("The server answers: type or scan the enrolment code.")
            if problem is None
            else _("Cannot reach the server: {error}").format(error=problem)
        )

    def scanned(self, text: str) -> None:
        """A hand-scanner scan while the wizard is open: an enrolment link or code."""
        self.tabs.setCurrentIndex(0)
        self.code.setText(text)

    def _maybe_link(self, text: str) -> None:
        link = split_link(text)
        if link is not None:
            self.url.setText(link[0])
            self.code.setText(link[1])

    def _browse(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Snapshot file"), "", _("Snapshots (*.jsonl *.gz)")
        )
        if name:
            self.file.setText(name)

    def begin(self) -> None:
        if self.running:
            return
        enrol = self.tabs.currentIndex() == 0
        path = Path(self.file.text().strip())
        if enrol and (not self.url.text().strip() or not self.code.text().strip()):
            self.status.setText(_("Give the server address and the enrolment code."))
            return
        if not enrol and not path.is_file():
            self.status.setText(_("No such file: {path}").format(path=path))
            return
        # Busy before the work starts: its progress may arrive at once (synchronous sessions).
        self.running = True
        self.start.setEnabled(False)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.status.setText(_("Working…"))
        if enrol:
            self.session.setup.enroll(self.url.text(), self.code.text(), self.device_name.text())
        else:
            self.session.setup.import_snapshot(path, self.fingerprint.text())

    def on_progress(self, event: Progress) -> None:
        if not self.running:
            return
        if event.finished:
            self.running = False
            self.start.setEnabled(True)
            if event.canceled:
                self.progress.setVisible(False)
                self.status.setText(
                    _("Canceled: nothing was imported, the door is as it was.")
                    if event.task == "import"
                    else _("Canceled: the attendee list was not downloaded.")
                )
                return
            if event.error:
                self.progress.setVisible(False)
                self.status.setText(_("Did not work: {error}").format(error=event.error))
                return
            self.done_ok = True
            self.accept()
            return
        if event.total:
            self.progress.setRange(0, event.total)
            self.progress.setValue(event.done)
            self.progress.setFormat(
                _("{done} / {total} tickets").format(done=event.done, total=event.total)
            )
        else:
            self.progress.setFormat(_("{done} tickets").format(done=event.done))
        self.status.setText(_("Downloading and importing: {n} tickets").format(n=event.done))

    def _cancel(self) -> None:
        if self.running:
            self.session.cancel()
            self.status.setText(_("Canceling…"))
            return
        self.reject()
