"""Applying the server's changes since a cursor, in one transaction together with the cursor.

A record this door cannot apply is set aside (scanner/store/set_aside.py) and the rest of the
page is applied: one bad record never stops a door from learning later cancellations.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, text

from scanner.checkin.change_records import (
    KINDS,
    Annulment,
    ChangePage,
    ChangeRecord,
    Unreadable,
)
from scanner.checkin.sync_counts import ChangeCounts
from scanner.store import records, set_aside

_DELETE_TICKET = (
    text("DELETE FROM tickets WHERE event_id = :event_id AND ticket_id = :ticket_id"),
    text("DELETE FROM ticket_search WHERE event_id = :event_id AND ticket_id = :ticket_id"),
)
_ANNUL = text(
    "UPDATE remote_passages SET annulled = 1 WHERE event_id = :event AND entry_id = :entry"
)
_CURSOR = text("UPDATE events SET cursor = :cursor WHERE id = :event")


def apply_changes(
    conn: Connection, event_id: str, page: ChangePage, *, now: datetime
) -> ChangeCounts:
    """Apply a page with its cursor; counts per kind, and of the records kept aside."""
    counts = apply_records(conn, event_id, page.records, now=now)
    conn.execute(_CURSOR, {"cursor": page.cursor, "event": event_id})
    return counts


def apply_records(
    conn: Connection,
    event_id: str,
    found: Iterable[ChangeRecord | Unreadable],
    *,
    now: datetime,
    source: str = "changes",
) -> ChangeCounts:
    """Apply records as the changes feed brings them (a pull's page, or another door's passages
    heard over the venue's network: `source` "peers"); counts per kind, and of those kept aside.
    Applying a record twice changes nothing."""
    applied = dict.fromkeys(KINDS, 0)
    kept_aside = 0
    for index, record in enumerate(found):
        if isinstance(record, Unreadable):
            problem = f"change {index}: {record.problem}"
            set_aside.keep(conn, event_id, source, problem, record.record, now)
            kept_aside += 1
            continue
        applied[_apply(conn, event_id, record)] += 1
    return ChangeCounts(**applied, set_aside=kept_aside)


def _apply(conn: Connection, event_id: str, record: ChangeRecord) -> str:
    """Write one record (read and checked whole before); its kind."""
    if isinstance(record, Annulment):
        conn.execute(_ANNUL, {"event": event_id, "entry": record.entry_id})
        return "annulment"
    row = records.record_row(event_id, record)
    if row.kind == "ticket":
        for statement in _DELETE_TICKET:
            conn.execute(statement, row.values)
    records.insert(conn, row.kind, [row.values])
    return row.kind
