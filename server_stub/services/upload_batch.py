"""What one check-in upload needs from the database, loaded with a handful of IN queries.

The cost of a batch must not grow with a ticket's history: without re-entry only the two
earliest standing admissions per ticket and scope are read (by window function, on the partial
index of standing admissions); with re-entry the exits matter too, so all standing passages of
the batch's tickets are read, once per batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, func, select, text
from sqlalchemy.orm import Session

from scanner.checkin.reasons import Direction, Outcome
from server_stub.models import STANDING_ADMISSION, Checkin, Event, Revocation, Ticket
from server_stub.schemas import CheckinEntry
from server_stub.services.ledger import Ledger
from server_stub.services.passages import Mark

PASSAGE_OUTCOMES = (Outcome.ADMITTED.value, Outcome.EXITED.value)
MARK_COLUMNS = (
    Checkin.entry_id,
    Checkin.ticket_id,
    Checkin.outcome,
    Checkin.scanned_at,
    Checkin.scanned_local,
    Checkin.door,
    Checkin.device_id,
    Checkin.day,
    Checkin.device_name,
)


def mark_of(row: Any) -> Mark:
    """A Mark from a checkins row (ORM object, Row or namespace with the same names)."""
    direction = Direction.ENTRY if row.outcome == Outcome.ADMITTED else Direction.EXIT
    return Mark(
        row.entry_id,
        row.ticket_id,
        direction,
        row.scanned_at,
        row.scanned_local,
        row.door,
        row.device_id,
        row.day,
        row.device_name,
    )


def standing(event_id: str, *outcomes: str) -> tuple[ColumnElement[bool], ...]:
    """Scans of the event with one of `outcomes` that no undo has annulled."""
    return (
        Checkin.event_id == event_id,
        Checkin.kind == "scan",
        Checkin.outcome.in_(outcomes),
        Checkin.annulled_by.is_(None),
    )


def load_marks(session: Session, event_id: str, ticket_ids: set[str]) -> dict[str, list[Mark]]:
    marks: dict[str, list[Mark]] = defaultdict(list)
    if not ticket_ids:
        return marks
    rows = session.execute(
        select(*MARK_COLUMNS).where(
            *standing(event_id, *PASSAGE_OUTCOMES), Checkin.ticket_id.in_(ticket_ids)
        )
    )
    for row in rows:
        marks[row.ticket_id or ""].append(mark_of(row))
    return marks


def earliest_admissions(session: Session, event: Event, ticket_ids: set[str]) -> list[Mark]:
    """The two earliest standing admissions per ticket and scope (all a conflict needs)."""
    scope = [Checkin.ticket_id, Checkin.day] if event.days else [Checkin.ticket_id]
    order = (Checkin.scanned_at, Checkin.entry_id)
    rank = func.row_number().over(partition_by=scope, order_by=order).label("rank")
    inner = (
        select(*MARK_COLUMNS, rank)
        # The index's own predicate, word for word: SQLite uses a partial index only then.
        .where(Checkin.event_id == event.id, text(STANDING_ADMISSION))
        .where(Checkin.ticket_id.in_(ticket_ids))
        .subquery()
    )
    return [mark_of(row) for row in session.execute(select(inner).where(inner.c.rank <= 2))]


def load_ledger(session: Session, event: Event, ticket_ids: set[str]) -> Ledger:
    ledger = Ledger(reentry=event.reentry, multi_day=bool(event.days))
    if not ticket_ids:
        return ledger
    if event.reentry:
        marks = [m for ms in load_marks(session, event.id, ticket_ids).values() for m in ms]
    else:
        marks = earliest_admissions(session, event, ticket_ids)
    for mark in marks:
        ledger.scope(mark.ticket_id, mark.day).add(mark)
    return ledger


@dataclass(frozen=True)
class Target:
    """A stored entry an undo names."""

    ticket_id: str | None
    annulled_by: str | None
    device_id: str
    day: int | None
    passage: bool  # a standing admission or exit until now


def is_passage(row: Any) -> bool:
    """An admission or exit naming a ticket (what undo takes back and conflicts count)."""
    return bool(row.ticket_id) and row.kind == "scan" and row.outcome in PASSAGE_OUTCOMES


@dataclass
class Batch:
    event: Event
    existing: dict[str, Any]  # entry id -> its stored row (a re-sent entry)
    targets: dict[str, Target]  # undo target -> what it is
    pending_undos: dict[str, tuple[str, str]]  # entry id -> (undo that came first, its device)
    tickets: dict[str, Ticket]
    revocations: dict[str, list[Revocation]]
    ledger: Ledger
    new_rows: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, event: Event, entries: Sequence[CheckinEntry]) -> Batch:
        eid = event.id
        ids = {str(e.id) for e in entries}
        annuls = {str(e.annuls) for e in entries if e.kind == "undo" and e.annuls}
        found = session.execute(
            select(Checkin.__table__).where(
                Checkin.event_id == eid, Checkin.entry_id.in_(ids | annuls)
            )
        ).all()
        existing = {r.entry_id: r for r in found if r.entry_id in ids}
        targets = {
            r.entry_id: Target(
                r.ticket_id, r.annulled_by, r.device_id, r.day, is_passage(r) and not r.annulled_by
            )
            for r in found
            if r.entry_id in annuls
        }
        pending = session.execute(
            select(Checkin.annuls, Checkin.entry_id, Checkin.device_id).where(
                Checkin.event_id == eid, Checkin.annuls.in_(ids - set(existing))
            )
        ).all()
        ticket_ids = {e.ticket_id for e in entries if e.ticket_id}
        ticket_ids |= {r.ticket_id for r in existing.values() if r.ticket_id}
        ticket_ids |= {t.ticket_id for t in targets.values() if t.ticket_id}
        tickets = session.scalars(
            select(Ticket).where(Ticket.event_id == eid, Ticket.id.in_(ticket_ids))
        ).all()
        revocations: dict[str, list[Revocation]] = defaultdict(list)
        for rev in session.scalars(
            select(Revocation).where(
                Revocation.event_id == eid, Revocation.ticket_id.in_(ticket_ids)
            )
        ):
            revocations[rev.ticket_id].append(rev)
        return cls(
            event,
            existing,
            targets,
            {str(r.annuls): (r.entry_id, r.device_id) for r in pending},
            {t.id: t for t in tickets},
            revocations,
            load_ledger(session, event, ticket_ids),
        )
