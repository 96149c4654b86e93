"""The door session: the one object a door window, the CLI and tests drive.

It owns the store (its one asynchronous writer), this door's settings, the hand-scanner
assembler and the sync service, and its parts: the camera (`session.camera`), the set-up
(`session.setup`: enrolment, snapshot import, grace, reset) and the reports (`session.reports`).
It tells views what happened through typed events (`scanner.app.events`). Nothing here blocks
the caller:

    session = DoorSession(data_dir)              # synchronous=True: everything inline (tests)
    session.subscribe(on_verdict, VerdictCommitted)
    session.start()                              # sync thread (+ camera, when opened)
    future = session.submit_code(text)           # Future[VerdictCommitted]; also an event
    session.feed_key("a", time.time())           # hand scanner keys; a scan submits itself
    session.end_wedge()                          # ...or ends on quiet (no Enter from it)
    session.admit_by_hand(ticket_id, reason)     # Future[VerdictCommitted]
    session.undo(entry_id, why)                  # Future[EntryUndone]
    session.search(query)                        # Future[list[SearchHit]]
    session.setup.enroll(url, code) / import_snapshot(path, fingerprint)  # + Progress events
    session.camera.open(spec) / camera.preview() # CameraStateChanged events
    session.reports.export(path, request)        # Future[Report | None] + Progress events
    session.sync_now(); session.close()

Events: VerdictCommitted (after the journal commit, never before), CountsChanged (after our
scans, undos and sync cycles that brought other doors' passages), SyncStateChanged,
CameraStateChanged, Progress, EntryUndone. Scans, undos and hand admissions run in order on the
"door" worker; searches, imports and enrolment on the "jobs" worker, so a long import never
holds a scan back (the store's writer still orders their writes).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scanner.app import kiosk, preferences
from scanner.app.clock import Clock, SystemClock, monotonic_of
from scanner.app.door import Door, door_list, door_settings
from scanner.app.door_camera import DoorCamera
from scanner.app.door_clock import ClockReading, DoorClock
from scanner.app.door_reports import DoorReports
from scanner.app.door_setup import DoorHooks, DoorSetUp
from scanner.app.events import (
    CountsChanged,
    EntryUndone,
    EventHub,
    SyncStateChanged,
    VerdictCommitted,
)
from scanner.app.tasks import Tasks
from scanner.app.worker import Worker, done_future
from scanner.camera.dedupe import DEFAULT_WINDOW_S, RepeatFilter
from scanner.camera.wedge import (
    Identify,
    WedgeAssembler,
    WedgeScan,
    clean_scan,
    identify_with,
    resolve,
)
from scanner.checkin.event_record import CheckinList
from scanner.checkin.reasons import Direction, Reason
from scanner.store import device
from scanner.store.conflicts import Conflict
from scanner.store.journal import ScanRecord
from scanner.store.location import data_dir
from scanner.store.search import SearchHit
from scanner.store.set_aside import SetAside
from scanner.store.status import Status
from scanner.store.store import Store
from scanner.store.tickets import EventNames, NoEventError
from scanner.sync.state import Link, SyncState

if TYPE_CHECKING:  # imported when first used: a command that only checks codes loads no sync
    from scanner.app.about import About
    from scanner.camera.pipeline import CodeEvent
    from scanner.peers.service import PeerService
    from scanner.peers.state import PeersState
    from scanner.sync.engine import ClientFactory
    from scanner.sync.service import SyncService

log = logging.getLogger(__name__)
RECENT = 50
# A ticket this door admitted this recently, read again here: the guest just let in (a second
# read, a phone shown twice), told in words that do not alarm, not a plain "already used".
JUST_ADMITTED_S = 30.0
FRESH_PULL = timedelta(minutes=1)  # before the first sync cycle: data this fresh is "online"


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
        sync_push: bool = True,  # False: poll only (no long-poll on the changes feed)
        client_factory: ClientFactory | None = None,  # None: the real HTTP client
        repeat_window_s: float = DEFAULT_WINDOW_S,
        peers: bool = True,  # tell the doors nearby (as the settings say): see neighbours.py
    ) -> None:
        self._synchronous = synchronous
        self.clock = clock or SystemClock()  # this device's own clock (sync measures it)
        self._events = EventHub()
        self._store = Store(data_dir(directory), synchronous=synchronous)
        # what the door decides by: its own clock, corrected by the server's while that holds
        self.door_clock = DoorClock(self.clock, self._store.clock_sample, monotonic_of(self.clock))
        saved = preferences.load(self._store)
        self._checkin_list = saved.checkin_list  # chosen on purpose (None: not chosen)
        self._door = Door(
            self._store,
            door_settings(
                self._store,
                door or saved.door,
                saved.exit if exit is None else exit,
                operator or saved.operator,
                saved.checkin_list,
            ),
            self.door_clock,
            lambda: self._decided_offline(),  # the sync state at the moment of each scan
        )
        self.wedge = WedgeAssembler(idle_end_s=0.3)
        # The hand scanner's repeats, in the camera's window (the camera filters its own
        # frames with the same one); camera codes renew it, so a code the camera just read is
        # not read again by hand.
        self._repeats = RepeatFilter(repeat_window_s)
        self._door_worker = Worker("door", synchronous=synchronous)
        self._jobs = Worker("jobs", synchronous=synchronous)
        self._tasks = Tasks(self._jobs, self._events)
        self._identify: Identify | None = None
        self._timezone: str | None = None
        self._names: EventNames | None = None
        self._recent: list[VerdictCommitted] = []  # this session's verdicts, newest first
        self._earlier: list[VerdictCommitted] | None = None  # the journal's, read when asked
        self._undone: set[str] = set()  # entries undone, this session or before
        self._recent_lock = threading.Lock()
        self._offline_since: datetime | None = None
        self.sync_state = SyncState(Link.NOT_ENROLLED)
        self._cycled = False  # no sync cycle has answered yet in this session
        self._sync: SyncService | None = None
        self._sync_options = (sync_poll_s, client_factory, sync_push)
        self._peers_wanted = peers
        self._peers: PeerService | None = None
        self._peers_started: threading.Thread | None = None
        self.peers_state: PeersState | None = None  # None: not started (yet)
        self._started = False
        self._counts_lock = threading.Lock()
        self._counts_queued: Future[None] | None = None
        # Sees camera and hand-scanner codes before the door does; True takes the code away
        # (the kiosk's staff QR code). Called on the camera's or the GUI's thread.
        self.intercept: Callable[[str], bool] | None = None
        self.camera = DoorCamera(
            self._store,
            self._events,
            self._jobs,
            self._camera_code,
            synchronous=synchronous,
            repeat_window_s=repeat_window_s,
        )
        hooks = DoorHooks(
            self._forget_event,
            lambda name: self.configure(door=name, checkin_list=""),  # the enrolment's list
            self._publish_counts,
            self._wake_sync,
        )
        self.setup = DoorSetUp(self._store, self._events, self._tasks, self.clock, hooks)
        self.reports = DoorReports(self._store, self._events, self._tasks, self.door_clock)

    # -- life ------------------------------------------------------------------------------

    def subscribe(self, callback: Callable[[Any], None], kind: type | None = None) -> Any:
        return self._events.subscribe(callback, kind)

    @property
    def sync(self) -> SyncService:
        """The sync service, made when first needed (a one-off `scanner check` never syncs)."""
        if self._sync is None:
            from scanner.sync.engine import Syncer, default_client
            from scanner.sync.service import DEFAULT_POLL_S, SyncService
            from scanner.sync.watch import default_waiter

            poll_s, client_factory, push = self._sync_options
            syncer = Syncer(
                self._store,
                self.clock.now,
                client_factory or default_client,
                monotonic=monotonic_of(self.clock),
            )
            self._sync = SyncService(
                syncer,
                DEFAULT_POLL_S if poll_s is None else poll_s,
                push=default_waiter if push else None,
            )
            self._sync.subscribe(self._synced)
        return self._sync

    def start(self) -> None:
        """Start syncing (a thread) and the camera, if one is open. Synchronous sessions sync
        only when `sync_now` is called."""
        self._started = True
        self._door_worker.submit(self._warm_up)
        if not self._synchronous:
            self.sync.start()
            if self._peers_wanted:
                self._peers_started = threading.Thread(
                    target=self._start_peers, name="peers-start", daemon=True
                )
                self._peers_started.start()
        self.camera.start()

    def _start_peers(self) -> None:
        """Listen for and dial the doors nearby (announcing takes a second: a thread of its
        own). A door without the event's peer secret, or whose settings switch it off, stays
        alone; a bad setting is logged and shown, never stops the door."""
        from scanner.app import neighbours

        try:
            settings = neighbours.peer_settings(self._store)
            if settings is None:
                return
            service = neighbours.service_for(
                self._store, self.clock.now, settings, self._peers_applied
            )
            service.subscribe(self._peers_changed)
            self._peers = service
            service.start()
        except Exception as exc:  # the door scans alone; the badge and `scanner sync` say why
            log.warning("the doors nearby are not heard: %s", exc)
            from scanner.peers.state import PeersState

            self._peers_changed(PeersState(False, why=str(exc)))

    def _peers_applied(self, _counts: object) -> None:
        """Another door's passages were applied: the counts (and the next verdict) know them."""
        self.refresh_counts()

    def _peers_changed(self, state: PeersState) -> None:
        from scanner.app import neighbours

        self.peers_state = state
        self._events.publish(SyncStateChanged(self.sync_state, self._offline_since, state))
        try:
            neighbours.remember(self._store, state, self.clock.now())
        except Exception:  # closing: the next start says it again
            log.debug("peers' state not kept", exc_info=True)

    def _warm_up(self) -> None:
        """Load what a check and its display need (the event's keys, its time zone, the
        language's time formats) before the first guest, so the first verdict comes as quickly
        as the rest."""
        try:
            if self.has_event():
                from scanner.lang import local_time  # (babel: not for a command-line check)

                local_time(self.clock.now(), self.timezone())  # the language's time formats
                self._store.load_event_context()
        except Exception:  # a locked or broken door says so at its first scan, in words
            log.debug("warm-up skipped", exc_info=True)

    def close(self, sync_timeout: float = 15.0) -> None:
        """Stop everything and close the data file; a sync cycle stuck in a request past
        `sync_timeout` keeps the file open, and closes it when it ends."""
        self.camera.close()
        if self._peers_started is not None:
            self._peers_started.join(15.0)
        if self._peers is not None:
            self._peers.stop()
        self._door_worker.close()  # first: its last scans still ask the jobs thread to count
        self._jobs.close()
        if self._sync is not None:
            self._sync.stop(sync_timeout, then=self._store.close)
        else:
            self._store.close()

    # -- the door --------------------------------------------------------------------------

    @property
    def settings(self) -> Any:
        return self._door.settings

    def has_event(self) -> bool:
        try:
            self.require_event()
        except NoEventError:
            return False
        return True

    def require_event(self) -> None:
        """Raises NoEventError, in words, before an attendee list was imported."""
        self._store.current_event_id()

    def timezone(self) -> str:
        """The event's time zone (read once per attendee list: views ask for it often)."""
        if self._timezone is None:
            self._timezone = self._door.timezone() if self.has_event() else None
        return self._timezone or "UTC"

    def names(self) -> EventNames:
        """The event's name and its ticket types' (read once per attendee list)."""
        if self._names is None:
            self._names = self._store.event_names() if self.has_event() else EventNames("", {})
        return self._names

    def type_name(self, ticket_type: str | None) -> str:
        """What staff read for a ticket type: the event's name for it, else its id."""
        if not ticket_type:
            return ""
        return self.names().ticket_types.get(ticket_type, ticket_type)

    def checkin_lists(self) -> list[tuple[str, str]]:
        """(id, name) of the event's check-in lists, to choose a door from."""
        return [(c.id, c.name) for c in self._store.checkin_lists()]

    def checkin_lists_in_full(self) -> list[CheckinList]:
        """The event's check-in lists with the ticket types each admits."""
        return list(self._store.checkin_lists())

    def door_list(self) -> CheckinList | None:
        """The check-in list this door admits by (None: every ticket type)."""
        return door_list(self._store, self._door.settings.door, self._checkin_list)

    def configure(
        self,
        *,
        door: str | None = None,
        exit: bool | None = None,
        operator: str | None = None,
        checkin_list: str | None = None,
    ) -> None:
        """Change this door's name, direction, operator or check-in list (`checkin_list`: a
        list's id, ALL_TYPES, or "" to follow the enrolment again); kept in the store. A list
        chosen on purpose stays when the door is renamed."""
        current = self._door.settings
        name = door if door is not None else current.door
        leaving = exit if exit is not None else current.direction is Direction.EXIT
        who = operator if operator is not None else current.operator
        if checkin_list is not None:
            self._checkin_list = checkin_list or None
        chosen = self._checkin_list
        self._door.settings = door_settings(self._store, name, leaving, who, chosen)
        changes: dict[str, object] = {"door": name, "exit": leaving, "operator": who or ""}
        if checkin_list is not None:
            changes["checkin_list"] = checkin_list
        self.save_preferences(**changes)

    def preferences(self) -> preferences.Preferences:
        return preferences.load(self._store)

    def save_preferences(self, **changes: object) -> Future[None]:
        """Keep settings (see `Preferences`) in the store, without waiting for the disk."""
        return self._jobs.submit(lambda: preferences.save(self._store, **changes))

    @property
    def exit_mode(self) -> bool:
        return self._door.settings.direction is Direction.EXIT

    def submit_code(
        self,
        text: str,
        source: str = "typed",
        captured_at: float | None = None,
        advice: str | None = None,
        frame: int | None = None,
    ) -> Future[VerdictCommitted]:
        def job() -> VerdictCommitted:
            result = self._door.check(text, source=source)
            return self._committed(result, source, captured_at, advice, frame=frame)

        return self._door_worker.submit(job)

    def admit_by_hand(
        self, ticket_id: str, reason: str, paid_at_door: bool = False
    ) -> Future[VerdictCommitted]:
        """Check in a ticket found by search, with the reason staff gave (journal note).
        `paid_at_door`: an unpaid ticket whose payment staff just took."""

        def job() -> VerdictCommitted:
            result = self._door.admit_by_hand(ticket_id, reason.strip() or None, paid_at_door)
            return self._committed(result, "manual", None, None, reason)

        return self._door_worker.submit(job)

    def undo(self, entry_id: str, why: str) -> Future[EntryUndone]:
        def job() -> EntryUndone:
            result = self._door.undo(entry_id, why)
            ticket = result.verdict.ticket_id
            event = EntryUndone(result.entry_id, result.seq, entry_id, why.strip(), ticket)
            with self._recent_lock:
                self._undone.add(entry_id)
            self._events.publish(event)
            self._after_write()
            return event

        return self._door_worker.submit(job)

    def _committed(
        self,
        result: ScanRecord,
        source: str,
        captured_at: float | None,
        advice: str | None,
        note: str | None = None,
        frame: int | None = None,
    ) -> VerdictCommitted:
        now, clock = self.door_clock.decided()
        event = VerdictCommitted(
            entry_id=result.entry_id,
            seq=result.seq,
            verdict=result.verdict,
            source=source,
            scanned_at=now,
            timezone=self.timezone(),
            offline=self._decided_offline() if result.offline is None else result.offline,
            captured_at=captured_at,
            committed_at=time.time(),
            advice=advice,
            note=note,
            frame=frame,
            admitted_here_s=self._admitted_here_s(result, now),
            clock_correction=clock.correction if clock.told else None,
        )
        with self._recent_lock:
            self._recent = [event, *self._recent][:RECENT]
        self._events.publish(event)
        self._after_write()
        return event

    def _admitted_here_s(self, result: ScanRecord, now: datetime) -> float | None:
        """Seconds since this door (this device) admitted the ticket, when a refusal as already
        used comes within JUST_ADMITTED_S of it."""
        first = result.verdict.first_admission
        if result.verdict.reason is not Reason.ALREADY_CHECKED_IN or first is None:
            return None
        settings = self._door.settings
        if (first.door, first.device_id) != (settings.door, settings.device_id):
            return None
        age = (now - first.at).total_seconds()
        return age if 0 <= age <= JUST_ADMITTED_S else None

    def _decided_offline(self) -> bool:
        """Whether a verdict was made without the server's recent word: sync cannot reach it
        or fails, the door is not enrolled, or (before this session's first sync cycle has
        answered) the attendee list was last pulled over FRESH_PULL ago."""
        state = self.sync_state
        if state.link is Link.ONLINE:
            return False
        if self._cycled or state.link is not Link.NOT_ENROLLED:
            return True
        pulled = self._store.last_pull_at()
        age = None if pulled is None else self.clock.now() - pulled
        return age is None or age > FRESH_PULL

    def _after_write(self) -> None:
        self._wake_sync()
        if self._peers is not None:
            self._peers.wake()
        self.refresh_counts()

    def recent(self) -> list[VerdictCommitted]:
        """This door's last 50 verdicts, newest first: this session's, and after a restart the
        journal's before them (without what only the moment knew: offline, first admission)."""
        with self._recent_lock:
            if self._earlier is None:
                self._earlier = self._journal_scans()
            mine = {event.entry_id for event in self._recent}
            earlier = [event for event in self._earlier if event.entry_id not in mine]
            return [*self._recent, *earlier][:RECENT]

    def undone(self) -> set[str]:
        """Which of `recent()` an undo annulled."""
        with self._recent_lock:
            return set(self._undone)

    def admits_type(self, ticket_type: str) -> bool:
        """Whether this door's check-in list lets a ticket type in (all, without a list)."""
        admits = self._door.settings.admits_types
        return admits is None or ticket_type in admits

    def _journal_scans(self) -> list[VerdictCommitted]:
        if not self.has_event():
            return []
        scans = self._store.recent_scans(RECENT)
        self._undone.update(scan.entry_id for scan in scans if scan.undone)
        timezone = self.timezone()
        return [
            VerdictCommitted(
                entry_id=scan.entry_id,
                seq=scan.seq,
                verdict=scan.verdict,
                source=scan.source,
                scanned_at=scan.scanned_at,
                timezone=timezone,
                offline=False,
                note=scan.note if scan.source == "manual" else None,
            )
            for scan in scans
        ]

    # -- hand scanners ---------------------------------------------------------------------

    def feed_key(self, key: str, at: float) -> bool:
        """One key press (its text, or a name such as "Enter"); True when it ended a scan,
        which is then submitted. Call from one thread (the GUI's)."""
        return self._wedge_scan(self.wedge.feed(key, at))

    def end_wedge(self) -> bool:
        """End a scan from a scanner that sends no Enter: the caller heard no key for a while."""
        return self._wedge_scan(self.wedge.end())

    def _wedge_scan(self, scan: WedgeScan | None) -> bool:
        """True when the keys were a scan: submitted, or dropped as a repeat of a code read
        within the repeat window (a scanner's double read must not turn green into amber)."""
        if scan is None:
            return False
        if not self._repeats.admit(scan.text, self.clock.now().timestamp()):
            log.debug("hand scanner: a repeat within the repeat window dropped")
            return True
        if self.intercept is None or not self.intercept(scan.text):
            self.submit_wedge(scan)
        return True

    def submit_wedge(self, scan: WedgeScan) -> Future[VerdictCommitted]:
        def job() -> VerdictCommitted:
            resolved = resolve(scan.text, self._wedge_identify())
            result = self._door.check(resolved.text, source="wedge")
            return self._committed(result, "wedge", scan.ended_at, resolved.advice)

        return self._door_worker.submit(job)

    def submit_scanned_line(self, line: str, at: float) -> Future[VerdictCommitted] | None:
        """One line a hand scanner typed into a terminal (`scanner scan --source keyboard`):
        the same repair as the window's key by key scans; None for a blank line."""
        text = clean_scan(line)
        return self.submit_wedge(WedgeScan(text, at, at)) if text else None

    def _wedge_identify(self) -> Identify:
        if self._identify is None:
            store = self._store
            event_id, keyring = store.event_keyring()
            self._identify = identify_with(keyring, lambda t: store.issued_proof(event_id, t))
        return self._identify

    # -- reading ---------------------------------------------------------------------------

    def search(self, query: str, limit: int = 30) -> Future[list[SearchHit]]:
        return self._jobs.submit(lambda: self._store.search(query, limit) if query.strip() else [])

    def status(self) -> Status:
        """Counts now (raises NoEventError before anything was imported)."""
        return self._store.status(self.door_clock.now())

    def counts(self) -> Status | None:
        return self.status() if self.has_event() else None

    def clock_reading(self) -> ClockReading:
        """How the door's time stands against the server's (docs/sync.md, "Clocks")."""
        return self.door_clock.reading()

    def enrolment(self) -> device.Enrolment | None:
        return self._store.enrolment()

    def change_peer_settings(self, **changes: Any) -> None:
        """Where this door listens for the doors nearby (neighbours.change_settings; raises
        PeerSettingError, keeping nothing). Heard from the next start on."""
        from scanner.app import neighbours

        neighbours.change_settings(self._store, **changes)

    def peer_lines(self) -> list[str]:
        """The doors nearby in lines (`scanner status`): this session's view when it listens,
        else what the door running here last kept."""
        from scanner.app import neighbours

        if self.peers_state is not None:
            return neighbours.peer_lines(self.peers_state)
        return neighbours.describe(self._store)

    def stored_sync_state(self) -> SyncState:
        """What the last sync cycle left in the store (for a command that does not sync)."""
        from scanner.sync.engine import read_state

        return read_state(self._store, Link.NOT_ENROLLED)

    def _publish_counts(self) -> None:
        if not self._events.wants(CountsChanged):  # `scanner check`: counting 100,000 tickets
            return  # after its scan would cost it a tenth of a second
        status = self.counts()
        if status is not None:
            self._events.publish(CountsChanged(status))

    def refresh_counts(self) -> Future[None]:
        """Count again on the jobs thread: the next scan never waits behind a count (it reads
        the whole event). Counts asked for while one is still queued are made once, by it."""
        if not self._events.wants(CountsChanged):  # no one shows them (`scanner check`)
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
        return self._store.conflicts()

    def set_aside_records(self, limit: int = 5) -> list[SetAside]:
        """The newest records from the server this door could not apply."""
        return self._store.set_aside_records(limit)

    def about(self) -> About:
        """What the window's About tells: build, schema, this device, where its data lives."""
        from scanner.app.about import about

        return about(self._store)

    # -- sync ------------------------------------------------------------------------------

    def sync_now(self) -> Future[SyncState] | None:
        """A cycle now: inline when synchronous (returns its state), else the thread is woken."""
        if self._synchronous or not self._started:
            return done_future(lambda: self.sync.step()[0])
        self.sync.wake()
        return None

    def _synced(self, state: SyncState) -> None:
        self.door_clock.reload()  # the cycle may have measured the clock again
        self._cycled = True
        if state.link in (Link.OFFLINE, Link.FAILING):
            self._offline_since = self._offline_since or self.clock.now()
        else:
            self._offline_since = None
        self.sync_state = state
        self._events.publish(SyncStateChanged(state, self._offline_since, self.peers_state))
        if state.counts.touched:
            self._forget_event()  # a new snapshot may bring new keys
            self.refresh_counts()

    def _forget_event(self) -> None:
        """A new attendee list or event: cached keys and time zone are read again (and the
        clock's measurement: an enrolment measures it)."""
        self.door_clock.reload()
        self._identify = None
        self._timezone = None
        self._names = None

    def _wake_sync(self) -> None:
        if self._started and not self._synchronous:
            self.sync.wake()

    # -- the parts' common ground ------------------------------------------------------------

    def cancel(self) -> None:
        """Stop a running import, enrolment download or report (nothing of it is kept)."""
        self._tasks.cancel()

    def drain(self) -> None:
        """Wait until every code submitted so far has its verdict (command line, tests)."""
        self._door_worker.submit(lambda: None).result()

    def _camera_code(self, event: CodeEvent) -> None:
        self._repeats.admit(event.text, self.clock.now().timestamp())  # (the camera's own
        # filter has judged it: this only keeps the hand scanner from reading it again)
        if self.intercept is not None and self.intercept(event.text):
            return
        self.submit_code(event.text, "camera", event.captured_at, frame=event.frame_index)

    # -- the kiosk's settings and the lead PIN ---------------------------------------------

    def kiosk_settings(self) -> kiosk.KioskSettings:
        return kiosk.load_settings(self._store)

    def save_kiosk_settings(self, **changes: object) -> None:
        kiosk.save_settings(self._store, **changes)

    def lead_pin(self) -> str | None:
        """The lead PIN's stored hash (None: no PIN set); check a PIN with `kiosk.PinGuard`."""
        return kiosk.stored_pin(self._store)

    def pin_guard(self, clock: kiosk.Clock | None = None) -> kiosk.PinGuard:
        """Checks the lead PIN; its lockout is kept in the store (a restart does not lift it)."""
        memory = kiosk.LockoutMemory(self._store)
        return kiosk.PinGuard(self.lead_pin(), clock or time.time, memory)

    def clock_trouble(self) -> kiosk.Trouble | None:
        """Trouble.CLOCK while the clock is wrong and no lead confirmed it (the kiosk is out
        of order then; the door window only warns)."""
        return kiosk.clock_trouble(self.clock_reading(), kiosk.clock_confirmed(self._store))

    def confirm_clock(self) -> None:
        """A lead confirmed the clock as it stands: the kiosk admits again."""
        kiosk.confirm_clock(self._store, self.clock_reading())

    def set_lead_pin(self, pin: str) -> None:
        """Raises ValueError, in words, for a PIN that is not 4 to 12 digits."""
        kiosk.set_pin(self._store, pin)
