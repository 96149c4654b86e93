"""The change log prunes itself, keeping what enrolled doors still need.

Each door shows the cursor it holds whenever it asks for changes (and when it downloads a
snapshot). A pass forgets, per event, the records every active door already has: up to the
lowest cursor among its doors that were heard from within `stale_after`. A door silent for
longer, or one never heard from, gets 410 when it returns and re-snapshots, as designed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from server_stub.db import Database
from server_stub.models import Device, Event
from server_stub.services.changes import lock_event, prune_below

log = logging.getLogger("server_stub")


def record_cursor(session: Session, device_id: str, cursor: int, now: datetime) -> None:
    """Remember that `device_id` holds the log up to `cursor` (never moves it back)."""
    session.execute(
        update(Device)
        .where(Device.id == device_id, or_(Device.cursor.is_(None), Device.cursor <= cursor))
        .values(cursor=cursor, cursor_at=now)
    )


def needed_floor(session: Session, event: Event, now: datetime, stale_after: timedelta) -> int:
    """How far the event's log may be forgotten without cutting off an active door."""
    lowest = session.scalar(
        select(func.min(Device.cursor)).where(
            Device.event_id == event.id,
            Device.revoked_at.is_(None),
            Device.cursor.is_not(None),
            Device.cursor_at >= now - stale_after,
        )
    )
    return event.last_seq if lowest is None else min(int(lowest), event.last_seq)


def prune_all(db: Database, now: datetime, stale_after: timedelta) -> dict[str, int]:
    """One pass over every event; returns the new floor of each event whose log shrank."""
    with db.reading() as session:
        event_ids = list(session.scalars(select(Event.id)))
    moved = {}
    for event_id in event_ids:
        with db.event_lock(event_id), db.writing() as session:
            event = lock_event(session, event_id)
            before = event.changes_floor
            floor = prune_below(session, event, needed_floor(session, event, now, stale_after))
            if floor > before:
                moved[event_id] = floor
    return moved


class Pruner:
    """Runs `prune_all` every `interval_s` seconds in a daemon thread until stopped."""

    def __init__(
        self,
        db: Database,
        interval_s: float,
        stale_after: timedelta,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.db, self.interval_s, self.stale_after, self.clock = db, interval_s, stale_after, clock
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="change-log-pruner", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join(timeout=30)

    def _run(self) -> None:
        while not self.stopping.wait(self.interval_s):
            try:
                prune_all(self.db, self.clock(), self.stale_after)
            except Exception as exc:  # a failed pass is retried at the next one
                log.warning("pruning the change log failed: %s", type(exc).__name__)
