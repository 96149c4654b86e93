"""The plain records the rules work on: event policy, door settings, ticket, passages, verdict."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from scanner.checkin.reasons import Direction, Outcome, Reason, TicketStatus

# Attention flags a door knows how to say; anything else is shown as written.
FLAG_TEXT: dict[str, str] = {
    "check_id": "Check ID",
    "minor": "Minor: check age",
    "vip": "VIP",
    "accessibility": "Accessibility needs",
    "wristband": "Hand out wristband",
    "not_in_snapshot": "Not on the downloaded list: admitted by its signature",
    "not_inside": "Was not checked in: exit recorded",
    "outside_event_days": "Outside the event's days",
}


@dataclass(frozen=True)
class EventPolicy:
    event_id: str
    timezone: str = "UTC"  # IANA name; days are counted in the event's own time zone
    days: Mapping[int, date] = field(default_factory=dict)  # day number -> local date
    reentry: bool = False  # exits are scanned and a ticket that left may come back
    max_code_age_s: int | None = None  # SEEDJSON codes older than this are refused
    # doors admit from the first day minus this to the end of the last day plus that
    grace_before_s: int = 12 * 3600
    grace_after_s: int = 12 * 3600


@dataclass(frozen=True)
class DoorSettings:
    door: str
    device_id: str
    admits_types: frozenset[str] | None = None  # the door's check-in list; None admits all
    direction: Direction = Direction.ENTRY
    operator: str | None = None


@dataclass(frozen=True)
class TicketRecord:
    ticket_id: str
    ticket_type: str
    status: TicketStatus = TicketStatus.VALID
    days: frozenset[int] | None = None  # None: every day of the event
    holder_name: str = ""
    seat: str | None = None
    flags: tuple[str, ...] = ()
    note: str | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None


@dataclass(frozen=True)
class Passage:
    """An admission or exit that stands in the journal (not annulled), this door's or another's."""

    direction: Direction
    at: datetime
    door: str
    device_id: str
    day: int | None = None
    device_name: str | None = None  # the name given at enrolment (`--name`), when known


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    reason: Reason
    ticket_id: str | None = None
    code_format: str | None = None
    day: int | None = None
    holder_name: str | None = None
    ticket_type: str | None = None
    seat: str | None = None
    attention: tuple[str, ...] = ()
    note: str | None = None
    first_admission: Passage | None = None

    @property
    def admitted(self) -> bool:
        return self.outcome is Outcome.ADMITTED

    def to_json(self) -> dict[str, Any]:
        first = self.first_admission
        return {
            "outcome": str(self.outcome),
            "reason": str(self.reason),
            "ticket_id": self.ticket_id,
            "format": self.code_format,
            "day": self.day,
            "holder_name": self.holder_name,
            "ticket_type": self.ticket_type,
            "seat": self.seat,
            "attention": list(self.attention),
            "note": self.note,
            "first_admission": None
            if first is None
            else {
                "at": first.at.isoformat(),
                "door": first.door,
                "device_id": first.device_id,
                "device_name": first.device_name,
            },
        }
