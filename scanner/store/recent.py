"""This device's last scans, read back from its journal: what Recent scans shows after a
restart (so an admission of an hour ago is undone in the window, not on the command line)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, text

from scanner.checkin.reasons import Outcome, Reason
from scanner.checkin.records import Verdict

_RECENT = text(
    "SELECT j.id, j.seq, j.outcome, j.reason, j.ticket_id, j.format, j.day, j.source,"
    " j.scanned_at, j.note, t.holder_name, t.ticket_type, t.seat, t.flags_json,"
    " EXISTS (SELECT 1 FROM journal u WHERE u.annuls = j.id) AS undone"
    " FROM journal j LEFT JOIN tickets t ON t.event_id = j.event_id AND t.ticket_id = j.ticket_id"
    " WHERE j.device_id = :device AND j.event_id = :event AND j.kind = 'scan'"
    " ORDER BY j.seq DESC LIMIT :limit"
)


@dataclass(frozen=True)
class JournalScan:
    entry_id: str
    seq: int
    verdict: Verdict  # as far as the journal keeps it (no first admission, no ticket note)
    source: str
    scanned_at: datetime
    note: str | None
    undone: bool


def recent_scans(conn: Connection, event_id: str, device_id: str, limit: int) -> list[JournalScan]:
    """The newest `limit` scans this device made for the event, newest first."""
    params = {"device": device_id, "event": event_id, "limit": limit}
    return [_scan(row) for row in conn.execute(_RECENT, params)]


def _scan(row: Row[Any]) -> JournalScan:
    r = row._mapping
    outcome = Outcome(r["outcome"])
    flags = tuple(json.loads(r["flags_json"])) if r["flags_json"] else ()
    verdict = Verdict(
        outcome,
        Reason(r["reason"]),
        ticket_id=r["ticket_id"],
        code_format=r["format"],
        day=r["day"],
        holder_name=r["holder_name"],
        ticket_type=r["ticket_type"],
        seat=r["seat"],
        attention=flags if outcome is Outcome.ADMITTED else (),
    )
    return JournalScan(
        entry_id=str(r["id"]),
        seq=int(r["seq"]),
        verdict=verdict,
        source=str(r["source"]),
        scanned_at=datetime.fromisoformat(str(r["scanned_at"])),
        note=r["note"],
        undone=bool(r["undone"]),
    )
