"""The door session: the one object a door window, the CLI and tests drive.

It owns the store (its one asynchronous writer), this door's settings, the hand-scanner
assembler, the camera feed and the sync service, and tells views what happened through typed
events (`scanner.app.events`). Nothing here blocks the caller:

    session = DoorSession(data_dir)              # synchronous=True: everything inline (tests)
    session.subscribe(on_verdict, VerdictCommitted)
    session.start()                              # sync thread (+ camera, when opened)
    future = session.submit_code(text)           # Future[VerdictCommitted]; also an event
    session.feed_key("a", time.time())           # hand scanner keys; a scan submits itself
    session.admit_by_hand(ticket_id, reason)     # Future[VerdictCommitted]
    session.undo(entry_id, why)                  # Future[EntryUndone]
    session.search(query)                        # Future[list[SearchHit]]
    session.enroll(url, code) / import_snapshot(path, fingerprint)  # + Progress events
    session.open_camera(spec) / camera_preview() # CameraStateChanged events
    session.sync_now(); session.close()

Events: VerdictCommitted (after the journal commit, never before), CountsChanged (after our
scans, undos and sync cycles that brought other doors' passages), SyncStateChanged,
CameraStateChanged, Progress, EntryUndone. Scans, undos and hand admissions run in order on the
"door" worker; searches, imports and enrolment on the "jobs" worker, so a long import never
holds a scan back (the store's writer still orders their writes).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from scanner.app import preferences
from scanner.app.clock import Clock, SystemClock
from scanner.app.door import CheckResult, Door, door_settings
from scanner.app.events import (
    CameraState,
    CameraStateChanged,
    CountsChanged,
    EntryUndone,
    EventHub,
    Progress,
    SyncStateChanged,
    VerdictCommitted,
)
from scanner.app.worker import Worker, done_future
from scanner.camera.dedupe import DEFAULT_WINDOW_S
from scanner.camera.wedge import (
    Identify,
    WedgeAssembler,
    WedgeScan,
    clean_scan,
    identify_with,
    resolve,
)
from scanner.checkin.reasons import Direction
from scanner.checkin.snapshot_file import open_snapshot_file
from scanner.store import device, tickets
from scanner.store.conflicts import Conflict
from scanner.store.disk_space import incoming_bytes
from scanner.store.imports import ImportSummary
from scanner.store.location import data_dir
from scanner.store.search import SearchHit
from scanner.store.status import Status
from scanner.store.store import Store
from scanner.sync.state import Link, SyncState

if TYPE_CHECKING:  # imported when first used: a command that only checks codes loads no camera
    from scanner.app.camera_choice import CameraOption
    from scanner.app.camera_feed import CameraFeed, PreviewFrame
    from scanner.app.camera_preview import CameraPreview
    from scanner.camera.pipeline import CodeEvent, FrameDecoder
    from scanner.camera.sources import FrameSource
    from scanner.reports.model import Report
    from scanner.reports.writers import Request as ReportRequest
    from scanner.sync.engine import ClientFactory
    from scanner.sync.service import SyncService

log = logging.getLogger(__name__)
RECENT = 50
FRESH_PULL = timedelta(minutes=1)  # before the first sync cycle: data this fresh is "online"
PROGRESS_EVERY = 500
T = TypeVar("T")


class Cancelled(Exception):
    """An import or enrolment download stopped by the user; nothing was imported."""


class DoorSession:
    def __init__(
        self,
        directory: Path | str | None = None,
        *,
        door: str | None = None,
        exit: bool | None = None,
        operator: str | None = None,
        clock: Clock | None = None,
        synchronous: bool = False,
        sync_poll_s: float | None = None,  # None: the sync service's default
        client_factory: ClientFactory | None = None,  # None: the real HTTP client
        repeat_window_s: float = DEFAULT_WINDOW_S,
    ) -> None:
        self.synchronous = synchronous
        self.clock = clock or SystemClock()
        self.events = EventHub()
        self.store = Store(data_dir(directory), synchronous=synchronous)
        saved = preferences.load(self.store)
        self.door = Door(
            self.store,
            door_settings(
                self.store,
                door or saved.door,
                saved.exit if exit is None else exit,
                operator or saved.operator,
            ),
            self.clock,
        )
        self.repeat_window_s = repeat_window_s
        self.wedge = WedgeAssembler(idle_end_s=0.3)
        self._door_worker = Worker("door", synchronous=synchronous)
        self._jobs = Worker("jobs", synchronous=synchronous)
        self._identify: Identify | None = None
        self._timezone: str | None = None
        self._recent: list[VerdictCommitted] = []
        self._camera: CameraFeed | None = None
        self._camera_spec: str | None = None  # the spec the running camera was opened from
        self._camera_codes: dict[str, tuple[str, ...]] = {}  # specs opened here, with codes
        self._camera_state = CameraStateChanged(CameraState.NONE, "no camera")
        self._offline_since: datetime | None = None
        self.sync_state = SyncState(Link.NOT_ENROLLED)
        self._cycled = False  # no sync cycle has answered yet in this session
        self._sync: SyncService | None = None
        self._sync_options = (sync_poll_s, client_factory)
        self._started = False
        self._cancel = False
        self._counts_lock = threading.Lock()
        self._counts_queued: Future[None] | None = None
        # Sees camera and hand-scanner codes before the door does; True takes the code away
        # (the kiosk's staff QR code). Called on the camera's or the GUI's thread.
        self.intercept: Callable[[str], bool] | None = None

    # -- life ------------------------------------------------------------------------------

    def subscribe(self, callback: Callable[[Any], None], kind: type | None = None) -> Any:
        return self.events.subscribe(callback, kind)

    @property
    def sync(self) -> SyncService:
        """The sync service, made when first needed (a one-off `scanner check` never syncs)."""
        if self._sync is None:
            from scanner.sync.engine import Syncer, default_client
            from scanner.sync.service import DEFAULT_POLL_S, SyncService

            poll_s, client_factory = self._sync_options
            syncer = Syncer(self.store, self.clock.now, client_factory or default_client)
            self._sync = SyncService(syncer, DEFAULT_POLL_S if poll_s is None else poll_s)
            self._sync.subscribe(self._synced)
        return self._sync

    def start(self) -> None:
        """Start syncing (a thread) and the camera, if one is open. Synchronous sessions sync
        only when `sync_now` is called."""
        self._started = True
        self._door_worker.submit(self._warm_up)
        if not self.synchronous:
            self.sync.start()
        if self._camera is not None and not self.synchronous:
            self._camera.start()

    def _warm_up(self) -> None:
        """Load what a check and its display need (the event's keys, its time zone, the
        language's time formats) before the first guest, so the first verdict comes as quickly
        as the rest."""
        try:
            if self.has_event():
                from scanner.lang import local_time  # (babel: not for a command-line check)

                local_time(self.clock.now(), self.timezone())  # the language's time formats
                self.store.load_event_context()
        except Exception:  # a locked or broken door says so at its first scan, in words
            log.debug("warm-up skipped", exc_info=True)

    def close(self, sync_timeout: float = 15.0) -> None:
        """Stop everything and close the data file; a sync cycle stuck in a request past
        `sync_timeout` keeps the file open, and closes it when it ends."""
        self.close_camera()
        self._door_worker.close()  # first: its last scans still ask the jobs thread to count
        self._jobs.close()
        if self._sync is not None:
            self._sync.stop(sync_timeout, then=self.store.close)
        else:
            self.store.close()

    # -- the door --------------------------------------------------------------------------

    @property
    def settings(self) -> Any:
        return self.door.settings

    def has_event(self) -> bool:
        try:
            self.require_event()
        except tickets.NoEventError:
            return False
        return True

    def require_event(self) -> None:
        """Raises NoEventError, in words, before an attendee list was imported."""
        self.store.current_event_id()

    def timezone(self) -> str:
        """The event's time zone (read once per attendee list: views ask for it often)."""
        if self._timezone is None:
            self._timezone = self.door.timezone() if self.has_event() else None
        return self._timezone or "UTC"

    def checkin_lists(self) -> list[tuple[str, str]]:
        """(id, name) of the event's check-in lists, to choose a door from."""
        return [(c.id, c.name) for c in self.store.checkin_lists()]

    def configure(
        self, *, door: str | None = None, exit: bool | None = None, operator: str | None = None
    ) -> None:
        """Change this door's name (or list), direction or operator; kept in the store."""
        current = self.door.settings
        name = door if door is not None else current.door
        leaving = exit if exit is not None else current.direction is Direction.EXIT
        who = operator if operator is not None else current.operator
        self.door.settings = door_settings(self.store, name, leaving, who)
        self.save_preferences(door=name, exit=leaving, operator=who or "")

    def preferences(self) -> preferences.Preferences:
        return preferences.load(self.store)

    def save_preferences(self, **changes: object) -> Future[None]:
        """Keep settings (see `Preferences`) in the store, without waiting for the disk."""
        return self._jobs.submit(lambda: preferences.save(self.store, **changes))

    @property
    def exit_mode(self) -> bool:
        return self.door.settings.direction is Direction.EXIT

    def submit_code(
        self,
        text: str,
        source: str = "typed",
        captured_at: float | None = None,
        advice: str | None = None,
        frame: int | None = None,
    ) -> Future[VerdictCommitted]:
        def job() -> VerdictCommitted:
            result = self.door.check(text, source=source, captured_at=captured_at)
            return self._committed(result, source, captured_at, advice, frame=frame)

        return self._door_worker.submit(job)

    def admit_by_hand(
        self, ticket_id: str, reason: str, paid_at_door: bool = False
    ) -> Future[VerdictCommitted]:
        """Check in a ticket found by search, with the reason staff gave (journal note).
        `paid_at_door`: an unpaid ticket whose payment staff just took."""

        def job() -> VerdictCommitted:
            result = self.door.admit_by_hand(ticket_id, reason.strip() or None, paid_at_door)
            return self._committed(result, "manual", None, None, reason)

        return self._door_worker.submit(job)

    def undo(self, entry_id: str, why: str) -> Future[EntryUndone]:
        def job() -> EntryUndone:
            result = self.door.undo(entry_id, why)
            event = EntryUndone(result.entry_id, result.seq, entry_id, why.strip())
            self.events.publish(event)
            self._after_write()
            return event

        return self._door_worker.submit(job)

    def _committed(
        self,
        result: CheckResult,
        source: str,
        captured_at: float | None,
        advice: str | None,
        note: str | None = None,
        frame: int | None = None,
    ) -> VerdictCommitted:
        event = VerdictCommitted(
            entry_id=result.entry_id,
            seq=result.seq,
            verdict=result.verdict,
            source=source,
            scanned_at=self.clock.now(),
            timezone=self.timezone(),
            offline=self._decided_offline(),
            captured_at=captured_at,
            committed_at=time.time(),
            advice=advice,
            note=note,
            frame=frame,
        )
        self._recent = [event, *self._recent][:RECENT]
        self.events.publish(event)
        self._after_write()
        return event

    def _decided_offline(self) -> bool:
        """Whether a verdict was made without the server's recent word: sync cannot reach it
        or fails, the door is not enrolled, or (before this session's first sync cycle has
        answered) the attendee list was last pulled over FRESH_PULL ago."""
        state = self.sync_state
        if state.link is Link.ONLINE:
            return False
        if self._cycled or state.link is not Link.NOT_ENROLLED:
            return True
        pulled = self.store.last_pull_at()
        age = None if pulled is None else self.clock.now() - pulled
        return age is None or age > FRESH_PULL

    def _after_write(self) -> None:
        if self._started and not self.synchronous:
            self.sync.wake()
        self.refresh_counts()

    def recent(self) -> list[VerdictCommitted]:
        """The last 50 verdicts of this session, newest first."""
        return list(self._recent)

    # -- hand scanners ---------------------------------------------------------------------

    def feed_key(self, key: str, at: float) -> bool:
        """One key press (its text, or a name such as "Enter"); True when it ended a scan,
        which is then submitted. Call from one thread (the GUI's)."""
        return self._wedge_scan(self.wedge.feed(key, at))

    def poll_wedge(self, now: float) -> bool:
        """End a scan from a scanner that sends no Enter, after a moment of silence."""
        return self._wedge_scan(self.wedge.poll(now))

    def _wedge_scan(self, scan: WedgeScan | None) -> bool:
        if scan is None:
            return False
        if self.intercept is None or not self.intercept(scan.text):
            self.submit_wedge(scan)
        return True

    def submit_wedge(self, scan: WedgeScan) -> Future[VerdictCommitted]:
        def job() -> VerdictCommitted:
            resolved = resolve(scan.text, self._wedge_identify())
            result = self.door.check(resolved.text, source="wedge", captured_at=scan.ended_at)
            return self._committed(result, "wedge", scan.ended_at, resolved.advice)

        return self._door_worker.submit(job)

    def submit_scanned_line(self, line: str, at: float) -> Future[VerdictCommitted] | None:
        """One line a hand scanner typed into a terminal (`scanner scan --source keyboard`):
        the same repair as the window's key by key scans; None for a blank line."""
        text = clean_scan(line)
        return self.submit_wedge(WedgeScan(text, at, at)) if text else None

    def _wedge_identify(self) -> Identify:
        if self._identify is None:
            store = self.store
            event_id, keyring = store.event_keyring()
            self._identify = identify_with(keyring, lambda t: store.issued_proof(event_id, t))
        return self._identify

    # -- reading ---------------------------------------------------------------------------

    def search(self, query: str, limit: int = 30) -> Future[list[SearchHit]]:
        return self._jobs.submit(lambda: self.store.search(query, limit) if query.strip() else [])

    def status(self) -> Status:
        """Counts now (raises NoEventError before anything was imported)."""
        return self.store.status(self.clock.now())

    def counts(self) -> Status | None:
        return self.status() if self.has_event() else None

    def enrolment(self) -> device.Enrolment | None:
        return self.store.enrolment()

    def stored_sync_state(self) -> SyncState:
        """What the last sync cycle left in the store (for a command that does not sync)."""
        from scanner.sync.engine import read_state

        return read_state(self.store, Link.NOT_ENROLLED)

    def _publish_counts(self) -> None:
        if not self.events.wants(CountsChanged):  # `scanner check`: counting 100,000 tickets
            return  # after its scan would cost it a tenth of a second
        status = self.counts()
        if status is not None:
            self.events.publish(CountsChanged(status))

    def refresh_counts(self) -> Future[None]:
        """Count again on the jobs thread: the next scan never waits behind a count (it reads
        the whole event). Counts asked for while one is still queued are made once, by it."""
        if not self.events.wants(CountsChanged):  # no one shows them (`scanner check`)
            return done_future(lambda: None)
        with self._counts_lock:
            if self._counts_queued is not None:
                return self._counts_queued
            queued: Future[None] = Future()
            self._counts_queued = queued

        def job() -> None:
            with self._counts_lock:
                self._counts_queued = None  # a write from now on queues a fresh count
            try:
                self._publish_counts()
            except Exception as exc:  # the scan that asked is committed: say so, scan on
                log.warning("counting the door failed: %s", type(exc).__name__)
                queued.set_exception(exc)
            else:
                queued.set_result(None)

        try:
            self._jobs.submit(job)
        except RuntimeError:  # closed: a last sync cycle's counts have no one to show them
            with self._counts_lock:
                self._counts_queued = None
            queued.set_result(None)
        return queued

    def conflicts(self) -> list[Conflict]:
        if not self.has_event():
            return []
        return self.store.conflicts()

    def unsent(self) -> int:
        from scanner.sync.enrolment import unsent

        return unsent(self.store)

    # -- sync ------------------------------------------------------------------------------

    def sync_now(self) -> Future[SyncState] | None:
        """A cycle now: inline when synchronous (returns its state), else the thread is woken."""
        if self.synchronous or not self._started:
            return done_future(lambda: self.sync.step()[0])
        self.sync.wake()
        return None

    def _synced(self, state: SyncState) -> None:
        self._cycled = True
        if state.link in (Link.OFFLINE, Link.FAILING):
            self._offline_since = self._offline_since or self.clock.now()
        else:
            self._offline_since = None
        self.sync_state = state
        self.events.publish(SyncStateChanged(state, self._offline_since))
        if state.counts:
            self._forget_event()  # a new snapshot may bring new keys
            self.refresh_counts()

    def enroll(self, url: str, code: str, name: str | None = None) -> Future[SyncState]:
        """`name`: what staff at other doors see for this device ("first in at ... device
        North gate laptop")."""
        from scanner.sync.enrolment import enroll

        def job() -> SyncState:
            state = enroll(
                self.store,
                url.strip(),
                code,
                self.clock.now,
                name=(name or "").strip() or None,
                progress=self._progress("enrol"),
            )
            self._forget_event()
            enrolment = self.store.enrolment()
            self.configure(door=enrolment.door if enrolment else None)
            self._finished("enrol", state.last_error if state.link is not Link.ONLINE else None)
            return state

        return self._cancelable("enrol", job)

    def import_snapshot(self, path: Path, fingerprint: str | None) -> Future[ImportSummary]:
        def job() -> ImportSummary:
            lines = self._counting(open_snapshot_file(path), self._progress("import"))
            summary = self.store.import_snapshot(
                lines,
                self.clock.now(),
                vouched=(fingerprint or "").strip() or None,
                incoming=incoming_bytes(path),  # refused in words when the disk has no room
            )
            self._forget_event()
            self.configure()
            self.events.publish(Progress("import", summary.tickets, summary.tickets, True))
            self._publish_counts()
            return summary

        return self._cancelable("import", job)

    def _forget_event(self) -> None:
        """A new attendee list or event: cached keys and time zone are read again."""
        self._identify = None
        self._timezone = None

    def export_report(self, path: Path, request: ReportRequest) -> Future[Report | None]:
        """Write this door's report (docs/reports.md) off the GUI thread, with progress."""

        from scanner.app.reporting import write_door_report

        def job() -> Report | None:
            report = write_door_report(
                self.store,
                path,
                request.fmt,
                self.clock.now(),
                kind=request.kind,
                options=request.options,
                delimiter=request.delimiter,
                progress=self._progress("report"),
            )
            done = report.totals.entries if report else 0
            self.events.publish(Progress("report", done, done, True))
            return report

        return self._cancelable("report", job)

    def cancel(self) -> None:
        """Stop a running import or enrolment download (nothing of it is kept)."""
        self._cancel = True

    def _progress(self, task: str) -> Callable[[int, int | None], None]:
        def report(done: int, total: int | None) -> None:
            if self._cancel:
                raise Cancelled(f"{task} canceled")
            self.events.publish(Progress(task, done, total))

        return report

    def _counting(
        self, lines: Iterable[bytes], report: Callable[[int, int | None], None]
    ) -> Iterator[bytes]:
        total: int | None = None
        for number, line in enumerate(lines):
            if number == 0:
                total = _announced(line)
            elif number % PROGRESS_EVERY == 0:
                report(number, total)
            yield line

    def _finished(self, task: str, error: str | None) -> None:
        self.events.publish(Progress(task, 0, None, True, error))
        self._publish_counts()
        if self._started and not self.synchronous:
            self.sync.wake()

    def _cancelable(self, task: str, job: Callable[[], T]) -> Future[T]:
        """`job` on the jobs thread, its end (or failure, or cancel) published as Progress.
        The cancel flag is cleared here, not in the job: a cancel pressed while the job still
        waits behind another one counts."""
        self._cancel = False

        def run() -> T:
            try:
                return job()
            except Cancelled as exc:
                self.events.publish(Progress(task, 0, None, True, str(exc), canceled=True))
                raise
            except Exception as exc:
                self.events.publish(Progress(task, 0, None, True, str(exc) or type(exc).__name__))
                raise

        return self._jobs.submit(run)

    def reset(self, discard_unsent: bool = False) -> Future[int]:
        """Forget enrolment, attendee data and keys. Refused while entries are unsent, unless
        `discard_unsent` (the caller warned with `unsent()`); returns how many were left."""

        from scanner.sync.enrolment import require_nothing_unsent

        def job() -> int:
            if discard_unsent:
                self.store.discard_unsent()
            require_nothing_unsent(self.store)
            self.store.forget()
            self._forget_event()
            return self.unsent()

        return self._jobs.submit(job)

    # -- camera ----------------------------------------------------------------------------

    def open_camera(
        self,
        source: str | FrameSource,
        decoder: FrameDecoder | None = None,
        codes: Sequence[str] = (),
        resolution: str | None = None,
    ) -> CameraStateChanged:
        """Use a camera (spec as for `scanner scan --source`, or a source; `codes` for a
        synthetic one, remembered for the spec); replaces the one in use. A spec is opened at
        `resolution` (default: the stored one). A camera that cannot be opened leaves the
        door working without one (hand scanner and search)."""
        from scanner.app.camera_feed import CameraFeed
        from scanner.camera.sources import SourceUnavailable

        self.close_camera()
        try:
            opened = (
                self._open_spec(source, codes, resolution) if isinstance(source, str) else source
            )
        except (SourceUnavailable, ValueError) as exc:
            self._camera_changed(CameraState.NONE, f"no camera: {exc}")
            return self._camera_state
        self._camera = CameraFeed(
            opened, self._camera_code, self._camera_changed, self.repeat_window_s, decoder
        )
        if self._started and not self.synchronous:
            self._camera.start()
        return self._camera_state

    def _open_spec(self, spec: str, codes: Sequence[str], resolution: str | None) -> FrameSource:
        from scanner.app.camera_choice import with_resolution
        from scanner.camera.sources import open_source

        if codes:
            self._camera_codes[spec] = tuple(codes)
        wanted = resolution if resolution is not None else self.preferences().resolution
        source = open_source(with_resolution(spec, wanted), self._camera_codes.get(spec, ()))
        self._camera_spec = spec
        return source

    def close_camera(self) -> None:
        self._camera_spec = None
        if self._camera is not None:
            self._camera.stop()
            self._camera = None
            self._camera_changed(CameraState.NONE, "no camera")

    @property
    def camera_spec(self) -> str | None:
        """The spec of the camera in use (None: none, or one handed over as a source)."""
        return self._camera_spec

    def use_camera(self, spec: str, resolution: str | None = None) -> Future[CameraStateChanged]:
        """Switch to camera `spec` ("" for none) in the background: opening one takes a while."""

        def job() -> CameraStateChanged:
            if not spec:
                self.close_camera()
                return self._camera_state
            return self.open_camera(spec, resolution=resolution)

        return self._jobs.submit(job)

    def camera_options(self) -> Future[list[CameraOption]]:
        """No camera, the cameras attached now (probed off the caller's thread), and the
        sources this session opened (the demo's synthetic camera)."""
        from scanner.app.camera_choice import camera_options
        from scanner.camera.sources import list_cameras

        known = [*self._camera_codes.copy(), *([self._camera_spec] if self._camera_spec else [])]
        return self._jobs.submit(lambda: camera_options(list_cameras(), known))

    def preview_camera(self, spec: str, resolution: str | None = None) -> CameraPreview:
        """A look through camera `spec` for the settings: the running camera's own frames, or
        the camera opened apart (call `start()`, and `stop()` when done)."""
        from scanner.app.camera_choice import with_resolution
        from scanner.app.camera_preview import CameraPreview
        from scanner.camera.sources import open_source

        if not spec:
            return CameraPreview()
        if spec == self._camera_spec and self._camera is not None:
            return CameraPreview(running=self.camera_preview)
        codes = self._camera_codes.get(spec, ())
        return CameraPreview(
            lambda: open_source(with_resolution(spec, resolution), codes),
            synchronous=self.synchronous,
        )

    def camera_step(self) -> None:
        """Capture and decode one frame on this thread (synchronous sessions)."""
        if self._camera is not None:
            self._camera.step()

    def camera_running(self) -> bool:
        """True while a started camera delivers (a finite file or folder ends by itself)."""
        return self._camera is not None and self._camera.pipeline.running

    def camera_failure(self) -> str | None:
        """Why the open camera's source died (its capture thread ended on an error), or None."""
        return None if self._camera is None else self._camera.pipeline.health.error

    def camera_finished(self) -> bool:
        return self._camera is None or self._camera.source.finished

    def drain(self) -> None:
        """Wait until every code submitted so far has its verdict (command line, tests)."""
        self._door_worker.submit(lambda: None).result()

    def camera_preview(self) -> PreviewFrame | None:
        return None if self._camera is None else self._camera.preview()

    @property
    def camera_state(self) -> CameraStateChanged:
        return self._camera_state

    def _camera_code(self, event: CodeEvent) -> None:
        if self.intercept is not None and self.intercept(event.text):
            return
        self.submit_code(event.text, "camera", event.captured_at, frame=event.frame_index)

    def _camera_changed(self, state: CameraState, message: str) -> None:
        self._camera_state = CameraStateChanged(state, message)
        self.events.publish(self._camera_state)


def _announced(header: bytes) -> int | None:
    try:
        records = json.loads(header).get("records")
    except (ValueError, AttributeError):
        return None
    return records if isinstance(records, int) else None
