"""Setting a door up, a part of the door session: enrolment with the companion API, a snapshot
file imported by hand, this door's grace, and the reset that forgets enrolment, attendee data
and keys (the journal stays). Enrolment, import and reset run on the jobs thread and tell their
progress and end as `Progress` events ("enrol", "import", "reset").

    session.setup.enroll(url, code, name)        # Future[SyncState]
    session.setup.import_snapshot(path, fingerprint)
    session.setup.reset(discard_unsent=True)     # Future[int]: entries left unsent
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from scanner.app.clock import Clock, monotonic_of
from scanner.app.events import EventHub, Progress
from scanner.app.tasks import Report, Tasks
from scanner.checkin.records import EventPolicy
from scanner.checkin.snapshot_file import open_snapshot_file
from scanner.store.disk_space import incoming_bytes
from scanner.store.imports import ImportSummary
from scanner.store.store import Store
from scanner.sync.state import Link, SyncState

PROGRESS_EVERY = 500
CHECK_TIMEOUT_S = 5.0  # the server's answer to "are you there?" before the code is typed


@dataclass(frozen=True)
class DoorHooks:
    """What set-up asks of the door it sets up (the session's own steps)."""

    forget_event: Callable[[], None]  # cached keys and time zone are read again
    configure: Callable[[str | None], None]  # the door (None: the current one) set anew
    publish_counts: Callable[[], None]
    wake_sync: Callable[[], None]


class DoorSetUp:
    def __init__(
        self,
        store: Store,
        events: EventHub,
        tasks: Tasks,
        clock: Clock,
        door: DoorHooks,
    ) -> None:
        self._store = store
        self._events = events
        self._tasks = tasks
        self._clock = clock
        self._door = door

    def enroll(self, url: str, code: str, name: str | None = None) -> Future[SyncState]:
        """`name`: what staff at other doors see for this device ("first in at ... device
        North gate laptop")."""
        from scanner.sync.enrolment import enroll

        def job() -> SyncState:
            state = enroll(
                self._store,
                url.strip(),
                code,
                self._clock.now,
                name=(name or "").strip() or None,
                progress=self._tasks.progress("enrol"),
                monotonic=monotonic_of(self._clock),
            )
            self._door.forget_event()
            enrolment = self._store.enrolment()
            self._door.configure(enrolment.door if enrolment else None)
            error = state.last_error if state.link is not Link.ONLINE else None
            tickets = state.counts.snapshot_tickets or 0  # what the door can check now
            self._events.publish(Progress("enrol", tickets, tickets, True, error))
            self._door.publish_counts()
            self._door.wake_sync()
            return state

        return self._tasks.run("enrol", job)

    def check_server(self, url: str) -> Future[str | None]:
        """Whether the companion API answers at `url` (before staff type the code): None when
        it does, else why not, in words."""
        from scanner.sync.client import ApiClient
        from scanner.sync.errors import SyncError

        def job() -> str | None:
            address = url.strip()
            if not address.lower().startswith(("http://", "https://")):
                return "the address must start with http:// or https://"
            try:
                with ApiClient(address, timeout=CHECK_TIMEOUT_S) as client:
                    client.health()
            except (SyncError, ValueError) as exc:
                return str(exc) or type(exc).__name__
            return None

        return self._tasks.jobs.submit(job)

    def import_snapshot(self, path: Path, fingerprint: str | None) -> Future[ImportSummary]:
        def job() -> ImportSummary:
            lines = _counting(open_snapshot_file(path), self._tasks.progress("import"))
            summary = self._store.import_snapshot(
                lines,
                self._clock.now(),
                vouched=(fingerprint or "").strip() or None,
                incoming=incoming_bytes(path),  # refused in words when the disk has no room
            )
            self._door.forget_event()
            self._door.configure(None)
            self._events.publish(Progress("import", summary.tickets, summary.tickets, True))
            self._door.publish_counts()
            return summary

        return self._tasks.run("import", job)

    def unsent(self) -> int:
        """Journal entries never uploaded (a reset would strand them)."""
        from scanner.sync.enrolment import unsent

        return unsent(self._store)

    def reset(self, discard_unsent: bool = False) -> Future[int]:
        """Forget enrolment, attendee data and keys. Refused while entries are unsent, unless
        `discard_unsent` (the caller warned with `unsent()`); returns how many were left. Its
        end is a Progress event ("reset"), so a window need not wait for it."""
        from scanner.sync.enrolment import require_nothing_unsent

        def job() -> int:
            if discard_unsent:
                self._store.discard_unsent()
            require_nothing_unsent(self._store)
            self._store.forget()
            self._door.forget_event()
            left = self.unsent()
            self._events.publish(Progress("reset", left, left, True))
            return left

        return self._tasks.run("reset", job, cancelable=False)

    def set_grace(self, before_h: float | None, after_h: float | None, forget: bool) -> EventPolicy:
        """Keep this door's grace (hours; None keeps the current value); the policy it makes."""
        wanted = {"grace_before_s": before_h, "grace_after_s": after_h}
        return self._store.set_door_grace(wanted, forget)


def _counting(lines: Iterable[bytes], report: Report) -> Iterator[bytes]:
    total: int | None = None
    for number, line in enumerate(lines):
        if number == 0:
            total = _announced(line)
        elif number % PROGRESS_EVERY == 0:
            report(number, total)
        yield line


def _announced(header: bytes) -> int | None:
    try:
        records = json.loads(header).get("records")
    except (ValueError, AttributeError):
        return None
    return records if isinstance(records, int) else None
