"""Tickets of an event: import, status changes and their change-log records."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from types import SimpleNamespace
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from scanner.checkin.attendees import AttendeeRow
from scanner.checkin.issuing import new_ticket_id
from scanner.checkin.reasons import TicketStatus
from server_stub.models import Event, Ticket, utcnow
from server_stub.services.changes import append_changes, lock_event
from server_stub.services.events import ensure_ticket_types

CHUNK = 1000


class TicketError(LookupError):
    pass


def attendee_row(t: Any) -> AttendeeRow:
    """The shared AttendeeRow of a tickets row (ORM object or Core Row)."""
    return AttendeeRow.from_server(t)


def ticket_record(t: Any) -> dict[str, Any]:
    return attendee_row(t).to_snapshot()


def _values(event_id: str, row: AttendeeRow, current: Ticket | None) -> dict[str, Any]:
    values = {"event_id": event_id, **row.server_columns(), "updated_at": utcnow()}
    # A CSV without signatures keeps the ones the server issued.
    values["seed_sig"] = row.seed_signature or (current.seed_sig if current else None)
    values["code_digest"] = row.code_digest or (current.code_digest if current else None)
    return values


def _chunks(rows: Iterable[AttendeeRow]) -> Iterator[list[AttendeeRow]]:
    it = iter(rows)
    while chunk := list(islice(it, CHUNK)):
        yield chunk


def upsert_tickets(session: Session, event_id: str, rows: Iterable[AttendeeRow]) -> dict[str, int]:
    """Add or replace tickets (all or nothing: the caller's transaction); count what happened."""
    event = lock_event(session, event_id)
    counts = {"added": 0, "updated": 0, "unchanged": 0, "types_added": 0}
    for chunk in _chunks(rows):
        counts["types_added"] += len(ensure_ticket_types(event, {r.ticket_type for r in chunk}))
        ids = [r.ticket_id for r in chunk]
        known = {
            t.id: t
            for t in session.scalars(
                select(Ticket).where(Ticket.event_id == event_id, Ticket.id.in_(ids))
            )
        }
        fresh, records = [], []
        for row in chunk:
            current = known.get(row.ticket_id)
            values = _values(event_id, row, current)
            record = ticket_record(SimpleNamespace(**values))
            if current is None:
                fresh.append(values)
            elif record == ticket_record(current):
                counts["unchanged"] += 1  # re-importing the same file sends devices nothing
                continue
            else:
                counts["updated"] += 1
                for name, value in values.items():
                    setattr(current, name, value)
            records.append(record)
        if fresh:
            session.execute(insert(Ticket), fresh)
        counts["added"] += len(fresh)
        append_changes(session, event, records)
    return counts


def add_tickets(session: Session, event_id: str, ticket_type: str, count: int) -> list[str]:
    """Make `count` new tickets with short random ids (demos, tests, walk-in sales)."""
    rows = [AttendeeRow(new_ticket_id(), ticket_type) for _ in range(count)]
    upsert_tickets(session, event_id, rows)
    return [r.ticket_id for r in rows]


def get_tickets(session: Session, event: Event, ids: Iterable[str]) -> list[Ticket]:
    wanted = list(dict.fromkeys(ids))
    found = {
        t.id: t
        for t in session.scalars(
            select(Ticket).where(Ticket.event_id == event.id, Ticket.id.in_(wanted))
        )
    }
    missing = [i for i in wanted if i not in found]
    if missing:
        raise TicketError(f"no such ticket in event {event.id}: {', '.join(missing[:10])}")
    return [found[i] for i in wanted]


def set_status(
    session: Session, event_id: str, ids: Iterable[str], status: TicketStatus
) -> list[str]:
    event = lock_event(session, event_id)
    tickets = get_tickets(session, event, ids)
    for ticket in tickets:
        ticket.status = str(status)
        ticket.updated_at = utcnow()
    append_changes(session, event, [ticket_record(t) for t in tickets])
    return [t.id for t in tickets]
