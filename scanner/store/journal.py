"""The journal: every scan attempt, exit and undo, appended and never deleted.

A scan is one job on the writer: read the ticket and its history, decide, append, commit. The
verdict leaves this module only after the commit, so a verdict shown is a verdict kept.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text

from scanner.checkin.codes import CodeCheck, verify_code
from scanner.checkin.event_record import EventRecord
from scanner.checkin.reasons import Outcome, Reason
from scanner.checkin.records import DoorSettings, Verdict
from scanner.checkin.rules import decide, event_day
from scanner.checkin.snapshot_file import code_fingerprint
from scanner.store import tickets

_NEXT_SEQ = text("SELECT COALESCE(MAX(seq), 0) + 1 FROM journal")
_INSERT = text(
    "INSERT INTO journal (id, seq, device_id, event_id, kind, ticket_id, code_fp, format,"
    " direction, outcome, reason, door, operator, source, scanned_at, day, annuls, note,"
    " offline, upload_state) VALUES (:id, :seq, :device_id, :event_id, :kind, :ticket_id,"
    " :code_fp, :format, :direction, :outcome, :reason, :door, :operator, :source, :scanned_at,"
    " :day, :annuls, :note, :offline, 'pending')"
)


class UndoError(ValueError):
    """The entry cannot be annulled; the message says why."""


class NoSuchEntry(UndoError):
    """No journal entry has that id on this device."""


@dataclass(frozen=True)
class ScanRecord:
    entry_id: str
    seq: int
    verdict: Verdict
    offline: bool | None = None  # decided without the server's recent word (as recorded)


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")


def append(conn: Connection, **entry: Any) -> tuple[str, int]:
    entry_id = str(uuid.uuid4())
    seq = int(conn.execute(_NEXT_SEQ).scalar_one())
    conn.execute(_INSERT, {"id": entry_id, "seq": seq, "offline": None, **entry})
    return entry_id, seq


def record_scan(
    conn: Connection,
    event: EventRecord,
    code_text: str,
    door: DoorSettings,
    now: datetime,
    source: str,
    offline: bool | None = None,
) -> ScanRecord:
    event_id = event.id
    check = verify_code(code_text, event.keyring, lambda t: tickets.issued_proof(conn, event_id, t))
    return record_check(conn, event, check, door, now, source, offline=offline)


def record_check(
    conn: Connection,
    event: EventRecord,
    check: CodeCheck,
    door: DoorSettings,
    now: datetime,
    source: str,
    note: str | None = None,
    offline: bool | None = None,
) -> ScanRecord:
    """`note`: why staff admitted a ticket by hand (kept in the journal). `offline`: the door
    decided without the server's recent word (None: not known); uploaded with the entry."""
    event_id = event.id
    verdict, fp = _decide(conn, event, check, door, now)
    entry_id, seq = append(
        conn,
        device_id=door.device_id,
        event_id=event_id,
        kind="scan",
        ticket_id=verdict.ticket_id,
        code_fp=fp,
        format=verdict.code_format,
        direction=str(door.direction),
        outcome=str(verdict.outcome),
        reason=str(verdict.reason),
        door=door.door,
        operator=door.operator,
        source=source,
        scanned_at=iso(now),
        day=verdict.day if verdict.day is not None else event_day(event.policy, now),
        annuls=None,
        note=note or ("checked in by hand, without a code" if check.format == "MANUAL" else None),
        offline=offline,
    )
    return ScanRecord(entry_id, seq, verdict, offline)


def _decide(
    conn: Connection, event: EventRecord, check: CodeCheck, door: DoorSettings, now: datetime
) -> tuple[Verdict, str | None]:
    if not check.ok or check.code is None:
        return decide(check, None, event=event.policy, door=door, now=now), None
    event_id, ticket_id = event.id, check.code.ticket_id
    # a hand-picked ticket has no code: only revocations of the whole ticket apply
    fp = code_fingerprint(check.code.signature) if check.code.signature else None
    verdict = decide(
        check,
        tickets.load_ticket(conn, event_id, ticket_id),
        event=event.policy,
        door=door,
        history=tickets.passages(conn, event_id, ticket_id),
        code_revoked=tickets.is_revoked(conn, event_id, ticket_id, fp or ""),
        now=now,
    )
    return verdict, fp


_ENTRY = text("SELECT * FROM journal WHERE id = :id")
_ANNULLED_BY = text("SELECT id FROM journal WHERE annuls = :id")


def undo(
    conn: Connection, entry_id: str, *, device_id: str, operator: str, why: str, now: datetime
) -> ScanRecord:
    """Annul an admission (or exit) by appending an undo entry that names it."""
    target = conn.execute(_ENTRY, {"id": entry_id}).first()
    if target is None:
        raise NoSuchEntry(f"no journal entry {entry_id!r} on this device")
    if target.kind != "scan" or target.outcome not in (Outcome.ADMITTED, Outcome.EXITED):
        raise UndoError(f"entry {entry_id} is a {target.outcome} {target.kind}: nothing to undo")
    annulled = conn.execute(_ANNULLED_BY, {"id": entry_id}).first()
    if annulled is not None:
        raise UndoError(f"entry {entry_id} was already undone by {annulled[0]}")
    if not why.strip():
        raise UndoError("say why the admission is undone (--reason)")
    new_id, seq = append(
        conn,
        device_id=device_id,
        event_id=target.event_id,
        kind="undo",
        ticket_id=target.ticket_id,
        code_fp=target.code_fp,
        format=target.format,
        direction=target.direction,
        outcome=target.outcome,
        reason=Reason.OK,
        door=target.door,
        operator=operator,
        source="manual",
        scanned_at=iso(now),
        day=target.day,
        annuls=entry_id,
        note=why.strip(),
    )
    verdict = Verdict(Outcome(target.outcome), Reason.OK, ticket_id=target.ticket_id)
    return ScanRecord(new_id, seq, verdict)
