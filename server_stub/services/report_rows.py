"""An event's report rows on the server: every device's journal, as received (docs/reports.md).

Streams: the report reads the check-ins twice (summary, then scan log), 2,000 rows at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import select

from scanner.reports.model import Options, Report, build_report
from scanner.reports.rows import EntryRow, EventInfo, TicketRow, decided_offline
from server_stub.db import Database
from server_stub.models import Checkin, Device, Event, Ticket, utcnow

_BATCH = 2000


class ServerReportSource:
    def __init__(self, db: Database, event_id: str) -> None:
        self.db = db
        with db.reading() as session:
            event = session.get(Event, event_id)
            if event is None:
                raise LookupError(f"no event {event_id}")
            self._event = EventInfo(
                event_id=event.id,
                name=event.name,
                timezone=event.timezone,
                days={int(d["day"]): date.fromisoformat(d["date"]) for d in event.days},
                reentry=event.reentry,
                ticket_types={t["id"]: t["name"] for t in event.ticket_types},
                scope="all devices, as received by the server",
            )

    def event(self) -> EventInfo:
        return self._event

    def tickets(self) -> Iterator[TicketRow]:
        query = (
            select(
                Ticket.id, Ticket.type, Ticket.status, Ticket.name, Ticket.email, Ticket.order_code
            )
            .where(Ticket.event_id == self._event.event_id)
            .order_by(Ticket.id)
        )
        for r in self._stream(query):
            yield TicketRow(r[0], r[1], r[2], r[3] or "", r[4], r[5])

    def entries(self) -> Iterator[EntryRow]:
        eid = self._event.event_id
        query = (
            select(Checkin, Ticket.type, Ticket.name, Ticket.order_code, Device.checkin_list)
            .outerjoin(Ticket, (Ticket.event_id == eid) & (Ticket.id == Checkin.ticket_id))
            .outerjoin(Device, Device.id == Checkin.device_id)
            .where(Checkin.event_id == eid)
            .order_by(Checkin.scanned_at, Checkin.entry_id)
        )
        for c, ticket_type, name, order_code, checkin_list in self._stream(query):
            yield EntryRow(
                entry_id=c.entry_id, scanned_at=c.scanned_at, kind=c.kind,
                direction=c.direction, outcome=c.outcome, reason=c.reason, door=c.door,
                device_id=c.device_id, ticket_id=c.ticket_id, ticket_type=ticket_type,
                holder_name=name, order_code=order_code, checkin_list=checkin_list,
                operator=c.operator, code_format=c.format, day=c.day, annuls=c.annuls,
                annulled=c.annulled_by is not None, note=c.note, received_at=c.received_at,
                offline=decided_offline(c.scanned_at, c.received_at),
            )  # fmt: skip

    def _stream(self, query: Any) -> Iterator[Any]:
        with self.db.reading() as session:
            result = session.execute(query.execution_options(yield_per=_BATCH))
            yield from result


def event_report(db: Database, event_id: str, options: Options | None = None) -> Report:
    return build_report(ServerReportSource(db, event_id), utcnow(), options)
