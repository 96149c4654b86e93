"""Check-in upload: store every journal entry once, answer per entry, find conflicts.

One batch is one transaction under the event's lock, so concurrent uploads from many doors see
each other's admissions in a definite order and conflict answers are exact. An uploaded scan is a
fact: it is stored whatever the ticket's state; `server_reason` records what the server's rules
would have said. An undo is a fact too, but it annuls an admission only when it comes from the
device that recorded it, or from an organizer; any other is stored, flagged and not applied.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from scanner.checkin.clock_trust import ahead_of_receipt, trusted_time
from scanner.checkin.rules import event_day
from server_stub.db import insert_rows
from server_stub.models import Checkin, Event
from server_stub.schemas import CheckinEntry
from server_stub.services import events
from server_stub.services.changes import append_changes, lock_event
from server_stub.services.devices import device_name
from server_stub.services.judging import server_reason
from server_stub.services.passages import Mark
from server_stub.services.upload_batch import (
    PASSAGE_OUTCOMES,
    Batch,
    earliest_admissions,
    is_passage,
    load_marks,
    mark_of,
)

__all__ = ["PASSAGE_OUTCOMES", "UNDO_REFUSED", "Uploader", "ingest", "load_marks", "mark_of"]

UNDO_REFUSED = "undo_not_allowed"  # server_reason of an undo stored but not applied


@dataclass(frozen=True)
class Uploader:
    device_id: str
    checkin_list: str | None = None
    may_annul_any: bool = False  # organizers may annul any device's admission


def ingest(
    session: Session,
    event_id: str,
    uploader: Uploader,
    entries: Sequence[CheckinEntry],
    received_at: datetime,
) -> list[dict[str, Any]]:
    event = lock_event(session, event_id)
    batch = Batch.load(session, event, entries)
    policy = events.policy(event)
    admits = events.admitted_types(event, uploader.checkin_list)
    changes: list[dict[str, Any]] = []
    refused_undos: list[str] = []  # stored before their target, from another device
    answers: list[dict[str, Any]] = []
    resent: list[tuple[dict[str, Any], Mark | None]] = []  # duplicates: answered at the end
    name = device_name(session, uploader.device_id)  # organizers and unknown devices: None
    for entry in entries:
        eid = str(entry.id)
        if eid in batch.existing or eid in batch.new_rows:
            stored = batch.existing.get(eid) or SimpleNamespace(**batch.new_rows[eid])
            answers.append(_answer(eid, "duplicate", None, stored.server_reason))
            resent.append((answers[-1], _standing_mark(stored)))
            continue
        row = _row(event, uploader, name, entry, received_at)
        if eid in batch.pending_undos:
            undo_id, undo_device = batch.pending_undos[eid]
            if undo_device == uploader.device_id:
                row["annulled_by"] = undo_id
            else:
                refused_undos.append(undo_id)
        other: Mark | None = None
        if entry.kind == "undo":
            _undo(session, batch, uploader, row, changes)
        else:
            # a scan time far ahead of its arrival is a wrong clock: judged by our receipt
            at = trusted_time(entry.scanned_at, received_at)
            if row["day"] is None or row["clock_ahead_s"] is not None:
                row["day"] = event_day(policy, at)
            scope = batch.ledger.scope(entry.ticket_id or "", event_day(policy, at))
            row["server_reason"] = server_reason(
                entry,
                batch.tickets.get(entry.ticket_id or ""),
                revocations=batch.revocations.get(entry.ticket_id or "", ()),
                history=scope.history(at) if entry.ticket_id else (),
                policy=policy,
                device_id=uploader.device_id,
                admits_types=admits,
                at=at,
            )
            mark = _standing_mark(SimpleNamespace(**row))
            if mark is not None:
                batch.ledger.scope(mark.ticket_id, mark.day).add(mark)
                changes.append(mark.record())
                other = batch.ledger.partner(mark)  # as if the entries had come one by one
        batch.new_rows[eid] = row
        answers.append(
            _answer(eid, "conflict" if other else "accepted", other, row["server_reason"])
        )
    insert_rows(session, Checkin, list(batch.new_rows.values()))
    if refused_undos:
        session.execute(
            update(Checkin)
            .where(Checkin.event_id == event.id, Checkin.entry_id.in_(refused_undos))
            .values(server_reason=UNDO_REFUSED)
        )
    append_changes(session, event, changes)
    for answer, mark in resent:  # a re-sent entry learns what it collides with now
        other = batch.ledger.partner(mark) if mark else None
        answer["conflict"] = other.ref() if other else None
    return answers


def _standing_mark(row: Any) -> Mark | None:
    return mark_of(row) if is_passage(row) and not row.annulled_by else None


def _row(
    event: Event, uploader: Uploader, name: str | None, e: CheckinEntry, now: datetime
) -> dict[str, Any]:
    return {
        "event_id": event.id,
        "entry_id": str(e.id),
        "device_id": uploader.device_id,
        "device_name": name,
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
        "offline": e.offline,
        "received_at": now,
        "server_reason": None,
        "annulled_by": None,
        "clock_ahead_s": _clock_ahead_s(e.scanned_at, now),
    }


# The column is a 4-byte integer: a scan time decades ahead (a clock set to 9999) is kept as
# "at least 68 years ahead", not refused: the entry itself is stored as the door recorded it.
CLOCK_AHEAD_MAX_S = 2**31 - 1


def _clock_ahead_s(scanned_at: datetime, received_at: datetime) -> int | None:
    ahead = ahead_of_receipt(scanned_at, received_at)
    return None if ahead is None else min(round(ahead.total_seconds()), CLOCK_AHEAD_MAX_S)


def _undo(
    session: Session,
    batch: Batch,
    uploader: Uploader,
    undo: dict[str, Any],
    changes: list[dict[str, Any]],
) -> None:
    undo_id, target = undo["entry_id"], undo["annuls"]
    if target in batch.new_rows:  # recorded in this very upload, by this uploader
        row = batch.new_rows[target]
        if row["annulled_by"]:
            return
        passage = _standing_mark(SimpleNamespace(**row)) is not None
        row["annulled_by"] = undo_id
        ticket_id, day = row["ticket_id"], row["day"]
    elif target in batch.targets:
        stored = batch.targets[target]
        if not uploader.may_annul_any and stored.device_id != uploader.device_id:
            undo["server_reason"] = UNDO_REFUSED
            return
        if stored.annulled_by is not None:
            return
        batch.targets[target] = replace(stored, annulled_by=undo_id, passage=False)
        session.execute(  # now, so that a re-read of the earliest admissions sees it
            update(Checkin)
            .where(Checkin.event_id == batch.event.id, Checkin.entry_id == target)
            .values(annulled_by=undo_id)
        )
        passage, ticket_id, day = stored.passage, stored.ticket_id, stored.day
    else:
        return  # not here yet: it is annulled when it arrives, if from the undo's device
    if not passage or ticket_id is None:
        return
    changes.append({"k": "annulment", "entry_id": target, "ticket_id": ticket_id})
    scope = batch.ledger.scope(ticket_id, day)
    if scope.remove(target) is not None and scope.partial:
        # One of the two earliest went: read the earliest again (new rows are not stored yet).
        for mark in earliest_admissions(session, batch.event, {ticket_id}):
            into = batch.ledger.scope(mark.ticket_id, mark.day)
            if into.find(mark.entry_id) is None:
                into.add(mark)


def _answer(eid: str, status: str, other: Mark | None, reason: str | None) -> dict[str, Any]:
    conflict = other.ref() if other else None
    return {"id": eid, "status": status, "conflict": conflict, "server_reason": reason}
