"""The per-event change log behind `changes?since=`.

Every write that devices must learn about appends snapshot-shaped records here under the event's
row lock, taking the next numbers of the event's own sequence. Because the lock is held until
commit, a reader never sees seq N+1 committed while N is still pending: cursors never skip.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from server_stub.db import changed, insert_rows
from server_stub.models import Change, Event


class SnapshotRequired(Exception):
    """The cursor is older than the log the server keeps (or not from this server)."""


class EventNotFound(LookupError):
    pass


def lock_event(session: Session, event_id: str) -> Event:
    """The event row, locked for this transaction (SQLite: BEGIN IMMEDIATE already did it)."""
    event = session.scalars(
        select(Event).where(Event.id == event_id).with_for_update()
    ).one_or_none()
    if event is None:
        raise EventNotFound(event_id)
    return event


def encode(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def append_changes(session: Session, event: Event, records: list[dict[str, Any]]) -> None:
    if not records:
        return
    start = event.last_seq
    rows = [
        {"event_id": event.id, "seq": start + i, "record": encode(record)}
        for i, record in enumerate(records, start=1)
    ]
    insert_rows(session, Change, rows)
    event.last_seq = start + len(rows)
    changed(session, event.id, event.last_seq)  # its commit wakes those waiting for changes


def parse_cursor(text: str | None) -> int:
    if text is None or text == "":
        return 0
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise ValueError("cursor is not one this server gave out")
    return int(text)


@dataclass(frozen=True)
class ChangePage:
    cursor: str
    records: list[dict[str, Any]]
    more: bool


def read_changes(session: Session, event: Event, since: int, limit: int) -> ChangePage:
    if since < event.changes_floor or since > event.last_seq:
        raise SnapshotRequired
    rows = session.execute(
        select(Change.seq, Change.record)
        .where(Change.event_id == event.id, Change.seq > since)
        .order_by(Change.seq)
        .limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = rows[-1].seq if rows else since
    return ChangePage(str(cursor), [json.loads(row.record) for row in rows], more)


def prune_changes(session: Session, event_id: str, keep_last: int) -> int:
    """Forget all but the newest `keep_last` changes; devices behind that re-snapshot (410)."""
    event = lock_event(session, event_id)
    return prune_below(session, event, event.last_seq - max(keep_last, 0))


def prune_below(session: Session, event: Event, floor: int) -> int:
    """Forget the changes up to `floor` (never below the current floor) of a locked event."""
    floor = max(event.changes_floor, min(floor, event.last_seq))
    session.execute(delete(Change).where(Change.event_id == event.id, Change.seq <= floor))
    event.changes_floor = floor
    return floor
