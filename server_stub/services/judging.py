"""What the server's rules say about an uploaded scan: the door rules of scanner.checkin.

The device sends the ticket id and code fingerprint, not the code, so the server judges the
ticket (status, revocation, type, days, time window, earlier admissions), not the signature.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from scanner.checkin.codes import CodeCheck, TicketCode
from scanner.checkin.reasons import Direction
from scanner.checkin.records import DoorSettings, EventPolicy, Passage, TicketRecord
from scanner.checkin.rules import decide
from server_stub.models import Revocation, Ticket
from server_stub.schemas import CheckinEntry
from server_stub.services.tickets import attendee_row


def ticket_record(ticket: Ticket) -> TicketRecord:
    return attendee_row(ticket).to_record()


def code_revoked(code_fp: str | None, revocations: Sequence[Revocation]) -> bool:
    return any(r.code_fp is None or r.code_fp == code_fp for r in revocations)


def server_reason(
    entry: CheckinEntry,
    ticket: Ticket | None,
    *,
    revocations: Sequence[Revocation],
    history: Sequence[Passage],
    policy: EventPolicy,
    device_id: str,
    admits_types: frozenset[str] | None,
    at: datetime,
) -> str | None:
    """`at`: the time to judge by (the scan's, unless the device's clock was wrong)."""
    if entry.kind != "scan" or entry.ticket_id is None:
        return None
    # A manual lookup (no format) must name a listed ticket, like a SEEDJSON code.
    fmt = entry.format or "SEEDJSON"
    code = TicketCode(format=fmt, ticket_id=entry.ticket_id, claims={}, signature=b"")
    door = DoorSettings(
        door=entry.door,
        device_id=device_id,
        # Without the ticket the server does not know its type (it is in the code's claims).
        admits_types=admits_types if ticket is not None else None,
        direction=Direction(entry.direction),
    )
    verdict = decide(
        CodeCheck(True, None, fmt, code),
        ticket_record(ticket) if ticket is not None else None,
        event=policy,
        door=door,
        history=[p for p in history if p.at < at],
        code_revoked=code_revoked(entry.code_fp, revocations),
        now=at,
    )
    return str(verdict.reason)
