"""What an import may replace: only this door's own event, and never with an older list.

The platform's signing key signs every event's snapshots, so a valid signature alone says
neither which event a door is for nor whether the file is the newest: a door enrolled for event
A would otherwise take event B's file, and an old file would bring back canceled tickets and
revoked codes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, text

from scanner.checkin.snapshot_file import SnapshotError
from scanner.store.records import get_setting

_EVENT = text("SELECT name, cursor, snapshot_generated_at FROM events WHERE id = :id")
_NAME = text("SELECT name FROM events WHERE id = :id")


def require_own_event(conn: Connection, event_id: str, event_name: str) -> None:
    """An enrolled door imports files of the event it is enrolled for, and no other."""
    if not get_setting(conn, "device_token"):
        return
    enrolled = get_setting(conn, "enrolled_event_id") or ""
    if not enrolled or enrolled == event_id:
        return
    row = conn.execute(_NAME, {"id": enrolled}).first()
    mine = _named(enrolled, row[0] if row else "")
    raise SnapshotError(
        f"this door is enrolled for event {mine}; the file is for event "
        f"{_named(event_id, event_name)}: use that event's file, or enrol the door again"
    )


def require_not_older(
    conn: Connection, event_id: str, cursor: str | None, generated_at: str | None
) -> None:
    """Refuse a list older than the one in use (by its cursor, else its generation time)."""
    row = conn.execute(_EVENT, {"id": event_id}).first()
    if row is None:
        return
    _name, old_cursor, old_generated = row
    if _is_older(cursor, generated_at, old_cursor, old_generated):
        raise SnapshotError(
            f"line 1: this attendee list (made {generated_at}) is older than the one in use "
            f"(made {old_generated}): importing it would bring back tickets canceled and codes "
            "revoked since; if that is really wanted, import again with --allow-older"
        )


def _is_older(
    cursor: str | None, generated: str | None, old_cursor: str | None, old_generated: str | None
) -> bool:
    if cursor and old_cursor and cursor.isdigit() and old_cursor.isdigit():
        return int(cursor) < int(old_cursor)
    if not generated or not old_generated:
        return False
    try:
        return datetime.fromisoformat(generated) < datetime.fromisoformat(old_generated)
    except (TypeError, ValueError):
        return False  # the header's time was checked when the old list was read


def _named(event_id: str, name: str) -> str:
    return f"{event_id} ({name})" if name and name != event_id else event_id
