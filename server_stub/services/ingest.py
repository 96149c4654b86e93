"""Check-in upload: store every journal entry once, answer per entry, find conflicts.

One batch is one transaction under the event's lock, so concurrent uploads from many doors see
each other's admissions in a definite order and conflict answers are exact. An uploaded scan is a
fact: it is stored whatever the ticket's state; `server_reason` records what the server's rules
would have said.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from scanner.checkin.reasons import Direction, Outcome
from scanner.checkin.rules import event_day
from server_stub.db import insert_rows
from server_stub.models import Checkin, Event, Revocation, Ticket
from server_stub.schemas import CheckinEntry
from server_stub.services import events
from server_stub.services.changes import append_changes, lock_event
from server_stub.services.judging import server_reason
from server_stub.services.passages import Mark, Pair, conflict_pairs, partner

PASSAGE_OUTCOMES = (Outcome.ADMITTED.value, Outcome.EXITED.value)


@dataclass(frozen=True)
class Uploader:
    device_id: str
    checkin_list: str | None = None


def mark_of(row: Any) -> Mark:
    """A Mark from a checkins row (ORM object or Row with the same names)."""
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
    )


def load_marks(session: Session, event_id: str, ticket_ids: set[str]) -> dict[str, list[Mark]]:
    marks: dict[str, list[Mark]] = defaultdict(list)
    if not ticket_ids:
        return marks
    rows = session.execute(
        select(Checkin).where(
            Checkin.event_id == event_id,
            Checkin.ticket_id.in_(ticket_ids),
            Checkin.kind == "scan",
            Checkin.outcome.in_(PASSAGE_OUTCOMES),
            Checkin.annulled_by.is_(None),
        )
    ).scalars()
    for row in rows:
        marks[row.ticket_id or ""].append(mark_of(row))
    return marks


@dataclass
class _Batch:
    """What one upload needs from the database, loaded with a handful of IN queries."""

    event: Event
    existing: dict[str, tuple[str | None, str | None]]  # entry id -> (ticket id, server reason)
    targets: dict[str, tuple[str | None, str | None]]  # undo target -> (ticket id, annulled_by)
    pending_undos: dict[str, str]  # entry id -> the undo that arrived before it
    tickets: dict[str, Ticket]
    revocations: dict[str, list[Revocation]]
    marks: dict[str, list[Mark]]
    new_rows: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, event: Event, entries: Sequence[CheckinEntry]) -> _Batch:
        eid = event.id
        ids = {str(e.id) for e in entries}
        annuls = {str(e.annuls) for e in entries if e.kind == "undo" and e.annuls}
        found = session.execute(
            select(
                Checkin.entry_id, Checkin.ticket_id, Checkin.server_reason, Checkin.annulled_by
            ).where(Checkin.event_id == eid, Checkin.entry_id.in_(ids | annuls))
        ).all()
        existing = {r.entry_id: (r.ticket_id, r.server_reason) for r in found if r.entry_id in ids}
        targets = {r.entry_id: (r.ticket_id, r.annulled_by) for r in found if r.entry_id in annuls}
        pending = session.execute(
            select(Checkin.annuls, Checkin.entry_id).where(
                Checkin.event_id == eid, Checkin.annuls.in_(ids - set(existing))
            )
        ).all()
        ticket_ids = {e.ticket_id for e in entries if e.ticket_id}
        ticket_ids |= {t for t, _ in (*existing.values(), *targets.values()) if t}
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
            {str(r.annuls): r.entry_id for r in pending},
            {t.id: t for t in tickets},
            revocations,
            load_marks(session, eid, ticket_ids),
        )


def ingest(
    session: Session,
    event_id: str,
    uploader: Uploader,
    entries: Sequence[CheckinEntry],
    received_at: datetime,
) -> list[dict[str, Any]]:
    event = lock_event(session, event_id)
    batch = _Batch.load(session, event, entries)
    policy = events.policy(event)
    admits = events.admitted_types(event, uploader.checkin_list)
    changes: list[dict[str, Any]] = []
    annulled: list[tuple[str, str]] = []  # (stored entry id, undo id)
    answers: list[dict[str, Any]] = []
    resent: list[tuple[dict[str, Any], str | None]] = []  # duplicates: answered at the end
    for entry in entries:
        eid = str(entry.id)
        if eid in batch.existing or eid in batch.new_rows:
            ticket_id, reason = batch.existing.get(eid) or (
                batch.new_rows[eid]["ticket_id"],
                batch.new_rows[eid]["server_reason"],
            )
            answers.append(_answer(eid, "duplicate", None, reason))
            resent.append((answers[-1], ticket_id))
            continue
        row = _row(event, uploader, entry, received_at)
        row["annulled_by"] = batch.pending_undos.get(eid)
        other: Mark | None = None
        if entry.kind == "undo":
            _undo(batch, eid, str(entry.annuls), changes, annulled)
        else:
            if row["day"] is None:
                row["day"] = event_day(policy, entry.scanned_at)
            history = [m.passage() for m in batch.marks.get(entry.ticket_id or "", ())]
            row["server_reason"] = server_reason(
                entry,
                batch.tickets.get(entry.ticket_id or ""),
                revocations=batch.revocations.get(entry.ticket_id or "", ()),
                history=history,
                policy=policy,
                device_id=uploader.device_id,
                admits_types=admits,
            )
            if entry.ticket_id and row["outcome"] in PASSAGE_OUTCOMES and not row["annulled_by"]:
                mark = mark_of(SimpleNamespace(**row))
                batch.marks.setdefault(entry.ticket_id, []).append(mark)
                changes.append(mark.record())
                # Judged now, as if the batch's entries had come one by one.
                other = partner(eid, _pairs(batch, entry.ticket_id))
        batch.new_rows[eid] = row
        status = "conflict" if other else "accepted"
        answers.append(_answer(eid, status, other, row["server_reason"]))
    if batch.new_rows:
        insert_rows(session, Checkin, list(batch.new_rows.values()))
    for target, undo_id in annulled:
        session.execute(
            update(Checkin)
            .where(Checkin.event_id == event.id, Checkin.entry_id == target)
            .values(annulled_by=undo_id)
        )
    append_changes(session, event, changes)
    for answer, ticket_id in resent:  # a re-sent entry learns what it collides with now
        other = partner(answer["id"], _pairs(batch, ticket_id)) if ticket_id else None
        answer["conflict"] = other.ref() if other else None
    return answers


def _row(event: Event, uploader: Uploader, e: CheckinEntry, now: datetime) -> dict[str, Any]:
    return {
        "event_id": event.id,
        "entry_id": str(e.id),
        "device_id": uploader.device_id,
        "device_seq": e.device_seq,
        "kind": e.kind,
        "ticket_id": e.ticket_id,
        "code_fp": e.code_fp,
        "format": e.format,
        "direction": str(e.direction),
        "outcome": str(e.outcome),
        "reason": str(e.reason),
        "door": e.door,
        "operator": e.operator,
        "scanned_at": e.scanned_at.astimezone(UTC),  # COPY skips the column type: PG takes
        # offsets only up to 15:59, devices may send any
        "scanned_local": e.scanned_at.isoformat(),
        "day": e.day,
        "annuls": None if e.annuls is None else str(e.annuls),
        "note": e.note,
        "received_at": now,
        "server_reason": None,
        "annulled_by": None,
    }


def _undo(
    batch: _Batch,
    undo_id: str,
    target: str,
    changes: list[dict[str, Any]],
    annulled: list[tuple[str, str]],
) -> None:
    if target in batch.new_rows:
        row = batch.new_rows[target]
        if row["annulled_by"]:
            return
        row["annulled_by"] = undo_id
        ticket_id = row["ticket_id"]
    elif target in batch.targets and batch.targets[target][1] is None:
        ticket_id = batch.targets[target][0]
        batch.targets[target] = (ticket_id, undo_id)
        annulled.append((target, undo_id))
    else:
        return  # already annulled, or not here yet: it will arrive annulled
    if ticket_id is None:
        return
    marks = batch.marks.get(ticket_id, [])
    if any(m.entry_id == target for m in marks):
        batch.marks[ticket_id] = [m for m in marks if m.entry_id != target]
        changes.append({"k": "annulment", "entry_id": target, "ticket_id": ticket_id})


def _answer(eid: str, status: str, other: Mark | None, reason: str | None) -> dict[str, Any]:
    conflict = other.ref() if other else None
    return {"id": eid, "status": status, "conflict": conflict, "server_reason": reason}


def _pairs(batch: _Batch, ticket_id: str) -> list[Pair]:
    return conflict_pairs(
        batch.marks.get(ticket_id, ()),
        reentry=batch.event.reentry,
        multi_day=bool(batch.event.days),
    )
