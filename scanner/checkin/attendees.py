"""One attendee ticket as imported from a snapshot or a CSV file, validated field by field.

Shared by the scanner's importers and the companion API, so both refuse the same rows with the
same words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scanner.checkin import ids
from scanner.checkin.reasons import TicketStatus
from scanner.checkin.records import TicketRecord

MAX_TEXT = 16_384  # names and notes longer than this are refused, not cut
_HEX64 = re.compile(r"[0-9a-fA-F]{64}")
_HEX32 = re.compile(r"[0-9a-f]{32}")


class RowError(ValueError):
    """A row that cannot be imported; the message names the field and what is wrong."""


@dataclass(frozen=True, slots=True)
class AttendeeRow:
    ticket_id: str
    ticket_type: str
    status: TicketStatus = TicketStatus.VALID
    days: tuple[int, ...] | None = None
    holder_name: str = ""
    email: str | None = None
    order_code: str | None = None
    seat: str | None = None
    flags: tuple[str, ...] = ()
    note: str | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    seed_signature: str | None = None
    code_digest: str | None = None

    def to_record(self) -> TicketRecord:
        """What the door rules need of this ticket."""
        return TicketRecord(
            ticket_id=self.ticket_id,
            ticket_type=self.ticket_type,
            status=self.status,
            days=None if self.days is None else frozenset(self.days),
            holder_name=self.holder_name,
            seat=self.seat,
            flags=self.flags,
            note=self.note,
            valid_from=self.valid_from,
            valid_until=self.valid_until,
        )

    def to_snapshot(self) -> dict[str, Any]:
        return {
            "k": "ticket",
            "id": self.ticket_id,
            "type": self.ticket_type,
            "status": str(self.status),
            "days": None if self.days is None else list(self.days),
            "name": self.holder_name or None,
            "email": self.email,
            "order": self.order_code,
            "seat": self.seat,
            "flags": list(self.flags),
            "note": self.note,
            "valid_from": None if self.valid_from is None else self.valid_from.isoformat(),
            "valid_until": None if self.valid_until is None else self.valid_until.isoformat(),
            "seed_sig": self.seed_signature,
            "code_digest": self.code_digest,
        }


def require_id(value: object, field: str) -> str:
    try:
        return ids.require_id(value, field)
    except ids.IdError as exc:
        raise RowError(str(exc)) from None


def optional_text(value: object, field: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise RowError(f"{field} must be text")
    if len(value) > MAX_TEXT:
        raise RowError(f"{field} is longer than {MAX_TEXT} characters")
    return value


def parse_status(value: object) -> TicketStatus:
    if value is None or value == "":
        return TicketStatus.VALID
    text = str(value).strip().lower()
    text = {"cancelled": "canceled", "refunded": "canceled", "paid": "valid"}.get(text, text)
    try:
        return TicketStatus(text)
    except ValueError:
        allowed = ", ".join(s.value for s in TicketStatus)
        raise RowError(f"status {value!r} is not one of {allowed}") from None


def parse_days(value: object) -> tuple[int, ...] | None:
    if value is None or value == "" or value == []:
        return None
    items: list[object]
    if isinstance(value, str):
        items = [part.strip() for part in re.split(r"[ ,;|]+", value.strip()) if part.strip()]
    elif isinstance(value, list):
        items = value
    else:
        raise RowError("days must be a list of day numbers")
    days: list[int] = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, int | str):
            raise RowError(f"day {item!r} is not a number from 1 to 366")
        try:
            number = int(item)
        except ValueError:
            raise RowError(f"day {item!r} is not a number from 1 to 366") from None
        if not 1 <= number <= 366:
            raise RowError(f"day {number} is not between 1 and 366")
        days.append(number)
    return tuple(sorted(set(days)))


def parse_flags(value: object) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    items = re.split(r"[,;|]", value) if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
        raise RowError("flags must be a list of words")
    return tuple(flag.strip() for flag in items if flag.strip())


def parse_time(value: object, field: str) -> datetime | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise RowError(f"{field} must be an ISO 8601 time")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise RowError(f"{field} {value!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise RowError(f"{field} {value!r} has no UTC offset")
    return moment


def parse_seed_signature(value: object) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _HEX64.fullmatch(value.strip()):
        raise RowError("seed signature must be 64 hexadecimal characters")
    return value.strip().lower()


def parse_code_digest(value: object) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _HEX32.fullmatch(value):
        raise RowError("code digest must be 32 lower-case hexadecimal characters")
    return value


def attendee_from_mapping(row: Mapping[str, object]) -> AttendeeRow:
    """Build a row from the snapshot's member names (the CSV importer maps its headers to them)."""
    valid_from = parse_time(row.get("valid_from"), "valid_from")
    valid_until = parse_time(row.get("valid_until"), "valid_until")
    if valid_from and valid_until and valid_until <= valid_from:
        raise RowError("valid_until is not after valid_from")
    return AttendeeRow(
        ticket_id=require_id(row.get("id"), "ticket id"),
        ticket_type=require_id(row.get("type"), "ticket type"),
        status=parse_status(row.get("status")),
        days=parse_days(row.get("days")),
        holder_name=optional_text(row.get("name"), "name") or "",
        email=optional_text(row.get("email"), "email"),
        order_code=optional_text(row.get("order"), "order code"),
        seat=optional_text(row.get("seat"), "seat"),
        flags=parse_flags(row.get("flags")),
        note=optional_text(row.get("note"), "note"),
        valid_from=valid_from,
        valid_until=valid_until,
        seed_signature=parse_seed_signature(row.get("seed_sig")),
        code_digest=parse_code_digest(row.get("code_digest")),
    )
