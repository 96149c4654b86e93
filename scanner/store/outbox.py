"""The journal seen as an outbox: entries waiting for upload, and what the server answered.

Only the upload columns of a journal row ever change; the entry itself is never touched. An
entry is settled only by the server's own answer for that entry (accepted, duplicate,
conflict). One the server could not take even alone is held back ("held", with the reason, and
the time in `uploaded_at`) and tried again later; never dropped. Older versions marked such
entries "rejected" for good: they are held entries too.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text

from scanner.checkin.reasons import Direction, Outcome, Reason
from scanner.checkin.uploads import EntryAnswer, UploadEntry, entry_kind, wire_format

WIRE_COLUMNS = (
    "id, seq, kind, ticket_id, code_fp, format, direction, outcome, reason, door, operator,"
    " scanned_at, day, annuls, note, offline"
)
_PENDING = text(
    f"SELECT {WIRE_COLUMNS} FROM journal WHERE upload_state = 'pending' ORDER BY seq LIMIT :n"  # noqa: S608
)
UNSENT = ("pending", "held", "rejected")
_DUE_HELD = text(
    f"SELECT {WIRE_COLUMNS} FROM journal WHERE upload_state IN ('held', 'rejected')"  # noqa: S608
    " AND (uploaded_at IS NULL OR uploaded_at <= :before) ORDER BY seq LIMIT :n"
)
_HELD_REASONS = text(
    "SELECT COALESCE(server_reason, ''), COUNT(*) FROM journal"
    " WHERE upload_state IN ('held', 'rejected') GROUP BY 1 ORDER BY 2 DESC"
)
_ALL = text(f"SELECT {WIRE_COLUMNS}, upload_state FROM journal ORDER BY seq")  # noqa: S608
_MARK = text(
    "UPDATE journal SET upload_state = :state, server_reason = :server_reason,"
    " conflict_json = :conflict, uploaded_at = :at"
    " WHERE id = :id AND upload_state IN ('pending', 'held', 'rejected')"
)
_COUNTS = text("SELECT upload_state, COUNT(*) FROM journal GROUP BY upload_state")


def upload_entry(row: Any) -> UploadEntry:
    """A journal row as the door uploads it (and writes it to a journal file)."""
    return UploadEntry(
        id=row.id,
        device_seq=row.seq,
        kind=entry_kind(row.kind),
        ticket_id=row.ticket_id,
        code_fp=row.code_fp,
        format=wire_format(row.format),
        direction=Direction(row.direction),
        outcome=Outcome(row.outcome),
        reason=Reason(row.reason),
        door=row.door,
        operator=row.operator,
        scanned_at=datetime.fromisoformat(row.scanned_at),
        day=row.day,
        annuls=row.annuls,
        note=row.note,
        offline=None if row.offline is None else bool(row.offline),
    )


def pending(conn: Connection, limit: int) -> list[UploadEntry]:
    return [upload_entry(row) for row in conn.execute(_PENDING, {"n": limit})]


def due_held(conn: Connection, before: datetime, limit: int) -> list[UploadEntry]:
    """Entries held back at or before `before`: their turn to be tried again."""
    rows = conn.execute(_DUE_HELD, {"n": limit, "before": iso(before)})
    return [upload_entry(row) for row in rows]


def held_reasons(conn: Connection) -> dict[str, int]:
    """Why entries are held back, with how many each (most first)."""
    return {str(reason): int(count) for reason, count in conn.execute(_HELD_REASONS)}


def unsent_count(conn: Connection) -> int:
    counts = upload_counts(conn)
    return sum(counts.get(state, 0) for state in UNSENT)


def all_entries(conn: Connection) -> list[tuple[UploadEntry, str]]:
    return [(upload_entry(row), row.upload_state) for row in conn.execute(_ALL)]


def record_answers(conn: Connection, answers: Sequence[EntryAnswer], now: datetime) -> None:
    """Store the server's per-entry answers (accepted, duplicate, conflict)."""
    rows = [
        {
            "id": answer.id,
            "state": answer.status,
            "server_reason": answer.server_reason,
            "conflict": None if answer.conflict is None else json.dumps(asdict(answer.conflict)),
            "at": iso(now),
        }
        for answer in answers
    ]
    if rows:
        conn.execute(_MARK, rows)


def record_held(conn: Connection, entry_ids: list[str], reason: str, now: datetime) -> None:
    """The server could not take these entries even alone: hold them back, say why, retry later."""
    rows = [
        {"id": i, "state": "held", "server_reason": reason, "conflict": None, "at": iso(now)}
        for i in entry_ids
    ]
    if rows:
        conn.execute(_MARK, rows)


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")


def upload_counts(conn: Connection) -> dict[str, int]:
    return {str(state): int(count) for state, count in conn.execute(_COUNTS)}
