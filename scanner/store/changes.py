"""Applying the server's changes since a cursor, in one transaction together with the cursor."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, text

from scanner.checkin.attendees import RowError, attendee_from_mapping
from scanner.store import records

_DELETE_TICKET = (
    text("DELETE FROM tickets WHERE event_id = :event_id AND ticket_id = :ticket_id"),
    text("DELETE FROM ticket_search WHERE event_id = :event_id AND ticket_id = :ticket_id"),
)
_ANNUL = text(
    "UPDATE remote_passages SET annulled = 1 WHERE event_id = :event AND entry_id = :entry"
)
_CURSOR = text("UPDATE events SET cursor = :cursor WHERE id = :event")


class ChangeError(ValueError):
    """A change record the scanner cannot apply; nothing of its page was applied."""


def apply_changes(
    conn: Connection, event_id: str, changes: list[dict[str, Any]], cursor: str
) -> dict[str, int]:
    counts = {"ticket": 0, "revocation": 0, "passage": 0, "annulment": 0}
    for index, record in enumerate(changes):
        kind = record.get("k")
        if kind not in counts:
            raise ChangeError(f"change {index}: unknown kind {kind!r}")
        try:
            _apply(conn, event_id, kind, record)
        except (RowError, KeyError, TypeError, ValueError) as exc:
            raise ChangeError(f"change {index} ({kind}): {exc}") from None
        counts[kind] += 1
    conn.execute(_CURSOR, {"cursor": cursor, "event": event_id})
    return counts


def _apply(conn: Connection, event_id: str, kind: str, record: dict[str, Any]) -> None:
    if kind == "ticket":
        row = records.ticket_row(event_id, attendee_from_mapping(record))
        for statement in _DELETE_TICKET:
            conn.execute(statement, row)
        records.insert(conn, "ticket", [row])
    elif kind == "revocation":
        records.insert(conn, "revocation", [records.revocation_row(event_id, record)])
    elif kind == "passage":
        records.insert(conn, "passage", [records.passage_row(event_id, record)])
    else:
        conn.execute(_ANNUL, {"event": event_id, "entry": str(record["entry_id"])})
