"""Applying the server's changes since a cursor, in one transaction together with the cursor.

A record this door cannot apply is set aside (scanner/store/set_aside.py) and the rest of the
page is applied: one bad record never stops a door from learning later cancellations.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text

from scanner.checkin.attendees import RowError, attendee_from_mapping, require_id
from scanner.store import records, set_aside

_DELETE_TICKET = (
    text("DELETE FROM tickets WHERE event_id = :event_id AND ticket_id = :ticket_id"),
    text("DELETE FROM ticket_search WHERE event_id = :event_id AND ticket_id = :ticket_id"),
)
_ANNUL = text(
    "UPDATE remote_passages SET annulled = 1 WHERE event_id = :event AND entry_id = :entry"
)
_CURSOR = text("UPDATE events SET cursor = :cursor WHERE id = :event")
KINDS = ("ticket", "revocation", "passage", "annulment")


class ChangeError(ValueError):
    """A change record the scanner cannot apply (it is set aside, not raised, by apply_changes)."""


def apply_changes(
    conn: Connection, event_id: str, changes: list[Any], cursor: str, *, now: datetime
) -> dict[str, int]:
    """Apply a page; counts per kind, and `set_aside` for the records kept aside."""
    counts = dict.fromkeys(KINDS, 0)
    counts["set_aside"] = 0
    for index, record in enumerate(changes):
        try:
            kind = _apply(conn, event_id, record)
        except ChangeError as exc:
            set_aside.keep(conn, event_id, "changes", f"change {index}: {exc}", record, now)
            counts["set_aside"] += 1
            continue
        counts[kind] += 1
    conn.execute(_CURSOR, {"cursor": cursor, "event": event_id})
    return counts


def _apply(conn: Connection, event_id: str, record: Any) -> str:
    kind = record.get("k") if isinstance(record, dict) else None
    if kind not in KINDS:
        raise ChangeError(f"unknown kind {kind!r}"[:200])
    try:  # the whole record is validated before anything is written
        row = _row(event_id, kind, record)
    except (RowError, KeyError, TypeError, ValueError) as exc:
        raise ChangeError(f"{kind}: {exc}") from None
    if kind == "ticket":
        for statement in _DELETE_TICKET:
            conn.execute(statement, row)
    if kind == "annulment":
        conn.execute(_ANNUL, row)
    else:
        records.insert(conn, kind, [row])
    return str(kind)


def _row(event_id: str, kind: str, record: dict[str, Any]) -> dict[str, Any]:
    if kind == "ticket":
        return records.ticket_row(event_id, attendee_from_mapping(record))
    if kind == "revocation":
        return records.revocation_row(event_id, record)
    if kind == "passage":
        return records.passage_row(event_id, record)
    return {"event": event_id, "entry": require_id(record.get("entry_id"), "entry_id")}
