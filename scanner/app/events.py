"""What a door session tells its views: plain, typed events and the hub that delivers them.

Events are frozen dataclasses. Any number of subscribers take them, each for one event type or
for all; they are called on the thread that produced the event (the store's door worker, the
sync thread, the camera thread), so a view that owns widgets must hop to its own thread (the Qt
bridge in `scanner.ui.bridge` does). A subscriber that raises is logged and skipped: a broken
view never stops scanning or sync.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from scanner.camera.health import CameraState
from scanner.checkin.records import Verdict
from scanner.peers.state import PeersState
from scanner.store.status import Status
from scanner.sync.state import Link, SyncState

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class VerdictCommitted:
    """A scan (camera, hand scanner, typed) or a hand admission, committed to the journal."""

    entry_id: str
    seq: int
    verdict: Verdict
    source: str  # camera, wedge, manual, cli, ...
    scanned_at: datetime
    timezone: str  # the event's: times are shown in it
    offline: bool  # decided while sync was not online
    captured_at: float | None = None  # wall clock of the frame or keystroke, for latency
    committed_at: float | None = None
    advice: str | None = None  # e.g. "fix the hand scanner's keyboard setting"
    note: str | None = None  # the reason given for a hand admission
    frame: int | None = None  # the camera frame the code was read from
    # Already used, but admitted by this very door seconds ago (the guest just let in).
    admitted_here_s: float | None = None
    # Decided on the server's time: this device's clock was corrected by this much (told only
    # beyond CLOCK_NOTE; None: no correction worth telling).
    clock_correction: timedelta | None = None

    @property
    def latency_ms(self) -> float | None:
        """From the frame's capture (or the scanner's last key) to the commit."""
        if self.captured_at is None or self.committed_at is None:
            return None
        return (self.committed_at - self.captured_at) * 1000


@dataclass(frozen=True)
class EntryUndone:
    undo_id: str
    seq: int
    annuls: str
    why: str
    ticket_id: str | None = None  # the ticket whose admission (or exit) was undone


@dataclass(frozen=True)
class CountsChanged:
    status: Status


# What a sync cycle counts when it brought tickets or passages (other doors' admissions).
@dataclass(frozen=True)
class SyncStateChanged:
    state: SyncState
    offline_since: datetime | None  # when the link was last lost (None while online)
    peers: PeersState | None = None  # the doors nearby (None: this door does not listen)

    @property
    def nearby(self) -> int:
        return self.peers.nearby if self.peers is not None else 0

    @property
    def tickets_changed(self) -> bool:
        """Whether the cycle changed tickets or their passages (which ones is not told)."""
        counts = self.state.counts
        changes = counts.changes
        pulled = changes.ticket + changes.passage + changes.annulment + changes.revocation
        return bool(pulled or counts.snapshot_tickets)


@dataclass(frozen=True)
class CameraStateChanged:
    state: CameraState
    message: str  # plain words for door staff


@dataclass(frozen=True)
class Progress:
    """Enrolment or import progress: `done` of `total` tickets (total None while unknown)."""

    task: str  # "enrol" or "import"
    done: int
    total: int | None
    finished: bool = False
    error: str | None = None
    canceled: bool = False  # stopped by the user: nothing of it was kept


E = TypeVar("E")
Subscriber = Callable[[Any], None]


class EventHub:
    """Delivers events to subscribers; safe to publish from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: list[tuple[type | None, Subscriber]] = []

    def subscribe(
        self, callback: Callable[[E], None], kind: type[E] | None = None
    ) -> Callable[[], None]:
        """Call `callback` with every event (of `kind`, when given); returns an unsubscribe."""
        entry: tuple[type | None, Subscriber] = (kind, callback)
        with self._lock:
            self._subscribers.append(entry)

        def unsubscribe() -> None:
            with self._lock:
                if entry in self._subscribers:
                    self._subscribers.remove(entry)

        return unsubscribe

    def wants(self, kind: type) -> bool:
        """Whether anyone would receive an event of `kind` (some events cost a query to make)."""
        with self._lock:
            return any(want is None or issubclass(kind, want) for want, _ in self._subscribers)

    def publish(self, event: object) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for kind, callback in subscribers:
            if kind is not None and not isinstance(event, kind):
                continue
            try:
                callback(event)
            except Exception:
                log.exception("a subscriber failed on %s", type(event).__name__)


__all__ = [
    "CameraState",
    "CameraStateChanged",
    "CountsChanged",
    "EntryUndone",
    "EventHub",
    "Link",
    "Progress",
    "SyncState",
    "SyncStateChanged",
    "VerdictCommitted",
]
