"""This door's own passages and undos as the doors next to it hear them (scanner/peers).

Each is read from the journal by its per-device sequence number, so a peer that says "I hold
yours up to seq N" is sent exactly what it misses, in order: an undo always after the passage
it annuls. Only passages travel: no ticket, no name, no code.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, text

from scanner.checkin.change_records import Annulment, RemotePassage
from scanner.checkin.reasons import Direction
from scanner.store.records import get_setting

PeerEntry = tuple[int, RemotePassage | Annulment]  # (this device's seq, the record)

_OWN = text(
    "SELECT seq, id, kind, ticket_id, direction, scanned_at, door, device_id, day, annuls"
    " FROM journal WHERE event_id = :event AND seq > :after AND ticket_id IS NOT NULL"
    " AND ((kind = 'scan' AND outcome IN ('admitted', 'exited')) OR kind = 'undo')"
    " ORDER BY seq LIMIT :n"
)
_LAST = text("SELECT COALESCE(MAX(seq), 0) FROM journal")


def own_entries(conn: Connection, event_id: str, after: int, limit: int) -> list[PeerEntry]:
    """This door's passages and undos of `event_id` after seq `after`, oldest first."""
    name = get_setting(conn, "device_name") or None
    found: list[PeerEntry] = []
    for row in conn.execute(_OWN, {"event": event_id, "after": after, "n": limit}):
        if row.kind == "undo":
            found.append((row.seq, Annulment(row.annuls, row.ticket_id)))
            continue
        passage = RemotePassage(
            entry_id=row.id,
            ticket_id=row.ticket_id,
            direction=Direction(row.direction),
            at=datetime.fromisoformat(row.scanned_at),
            door=row.door,
            device_id=row.device_id,
            day=row.day,
            device_name=name,
        )
        found.append((row.seq, passage))
    return found


def last_seq(conn: Connection) -> int:
    return int(conn.execute(_LAST).scalar_one())
