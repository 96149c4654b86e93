"""What organizers read: conflicts, live counts, and the check-in export (CSV, streamed)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scanner.checkin.clock_trust import clock_wrong_words
from server_stub.db import Database
from server_stub.models import Checkin, Event, Ticket
from server_stub.services.ingest import load_marks
from server_stub.services.passages import conflict_pairs, group_pairs

_STANDING_ADMISSION = (
    Checkin.kind == "scan",
    Checkin.outcome == "admitted",
    Checkin.annulled_by.is_(None),
    Checkin.ticket_id.is_not(None),
)


def conflicts(session: Session, event: Event) -> list[dict[str, Any]]:
    ticket_ids = session.scalars(
        select(Checkin.ticket_id)
        .where(Checkin.event_id == event.id, *_STANDING_ADMISSION)
        .group_by(Checkin.ticket_id)
        .having(func.count() > 1)
    ).all()
    marks = load_marks(session, event.id, {t for t in ticket_ids if t})
    pairs = conflict_pairs(
        (m for ms in marks.values() for m in ms), reentry=event.reentry, multi_day=bool(event.days)
    )
    return [
        {
            "ticket_id": first.ticket_id,
            "day": first.day if event.days else None,
            "first": first.ref(),
            "others": [m.ref() for m in sorted(others, key=lambda m: (m.at, m.entry_id))],
        }
        for first, others in group_pairs(pairs)
    ]


def clock_wrong(session: Session, event: Event) -> list[dict[str, Any]]:
    """Devices whose scan times lay ahead of our receive times beyond the tolerance."""
    rows = session.execute(
        select(
            Checkin.device_id,
            func.max(Checkin.device_name),
            func.count(),
            func.max(Checkin.clock_ahead_s),
            func.min(Checkin.received_at),
        )
        .where(Checkin.event_id == event.id, Checkin.clock_ahead_s.is_not(None))
        .group_by(Checkin.device_id)
        .order_by(Checkin.device_id)
    ).all()
    return [
        {
            "device_id": device,
            "device_name": name,
            "entries": count,
            "ahead_s": ahead,
            "first_received_at": first,
            "words": clock_wrong_words(name or device, timedelta(seconds=ahead or 0)),
        }
        for device, name, count, ahead, first in rows
    ]


def stats(session: Session, event: Event) -> dict[str, Any]:
    eid = event.id
    expected: dict[str, int] = dict(
        session.execute(
            select(Ticket.type, func.count())
            .where(Ticket.event_id == eid, Ticket.status == "valid")
            .group_by(Ticket.type)
        ).all()
    )
    admitted_tickets = (
        select(Checkin.ticket_id, Checkin.door)
        .where(Checkin.event_id == eid, *_STANDING_ADMISSION)
        .distinct()
        .subquery()
    )
    by_door_type = session.execute(
        select(admitted_tickets.c.door, Ticket.type, func.count())
        .select_from(admitted_tickets)
        .outerjoin(Ticket, (Ticket.event_id == eid) & (Ticket.id == admitted_tickets.c.ticket_id))
        .group_by(admitted_tickets.c.door, Ticket.type)
    ).all()
    admitted_by_type: dict[str | None, int] = dict(
        session.execute(
            select(Ticket.type, func.count(func.distinct(Checkin.ticket_id)))
            .select_from(Checkin)
            .outerjoin(Ticket, (Ticket.event_id == eid) & (Ticket.id == Checkin.ticket_id))
            .where(Checkin.event_id == eid, *_STANDING_ADMISSION)
            .group_by(Ticket.type)
        ).all()
    )
    doors: dict[str, dict[str, Any]] = {}
    for door, outcome, count in session.execute(
        select(Checkin.door, Checkin.outcome, func.count())
        .where(Checkin.event_id == eid, Checkin.kind == "scan", Checkin.annulled_by.is_(None))
        .group_by(Checkin.door, Checkin.outcome)
    ):
        entry = doors.setdefault(door, {"door": door, "admitted": 0, "rejected": 0, "exited": 0})
        entry[outcome] = count
    names = {t["id"]: t["name"] for t in event.ticket_types}
    types = sorted(set(names) | {t for t in admitted_by_type if t})
    by_type = [
        {
            "type": t,
            "name": names.get(t, t),
            "expected": expected.get(t, 0),
            "admitted": admitted_by_type.get(t, 0),
        }
        for t in types
    ]
    if admitted_by_type.get(None):  # TK1 tickets sold after the list was cut
        by_type.append(
            {
                "type": "",
                "name": "not on the list",
                "expected": 0,
                "admitted": admitted_by_type[None],
            }
        )
    return {
        "event_id": eid,
        "expected": sum(expected.values()),
        "admitted": sum(admitted_by_type.values()),
        "by_door": sorted(doors.values(), key=lambda d: d["door"]),
        "by_type": by_type,
        "by_door_and_type": sorted(
            ({"door": d, "type": t or "", "admitted": n} for d, t, n in by_door_type),
            key=lambda r: (r["door"], r["type"]),
        ),
    }


EXPORT_COLUMNS = [
    "entry_id", "device_id", "device_seq", "door", "operator", "kind", "direction", "outcome",
    "reason", "server_reason", "ticket_id", "ticket_type", "holder_name", "format", "code_fp",
    "scanned_at", "received_at", "day", "annuls", "annulled_by", "note", "clock_ahead_s",
]  # fmt: skip


def export_csv(db: Database, event_id: str) -> Iterator[bytes]:
    """All check-ins of an event as CSV, oldest scan first, streamed in chunks."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    query = (
        select(
            Checkin.__table__, Ticket.type.label("ticket_type"), Ticket.name.label("holder_name")
        )
        .outerjoin(Ticket, (Ticket.event_id == Checkin.event_id) & (Ticket.id == Checkin.ticket_id))
        .where(Checkin.event_id == event_id)
        .order_by(Checkin.scanned_at, Checkin.entry_id)
    )
    with db.engine.connect() as conn, conn.begin():
        for row in conn.execution_options(yield_per=2000).execute(query):
            values = row._mapping
            writer.writerow(
                [
                    values["scanned_local"] if c == "scanned_at" else _cell(values[c])
                    for c in EXPORT_COLUMNS
                ]
            )
            if out.tell() > 64 * 1024:
                yield out.getvalue().encode("utf-8")
                out.seek(0)
                out.truncate()
    yield out.getvalue().encode("utf-8")


def _cell(value: object) -> object:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value  # a note must not become a spreadsheet formula
    return value
