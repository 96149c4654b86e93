"""The plain rows a report is built from: what every source (server, door) hands the model."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple, Protocol

BY_HAND_FORMATS = (None, "MANUAL")  # the wire drops MANUAL: a hand admission has no format


@dataclass(frozen=True)
class EventInfo:
    event_id: str
    name: str
    timezone: str  # IANA name: every local time in the report is in it
    days: Mapping[int, date] = field(default_factory=dict)
    reentry: bool = False
    ticket_types: Mapping[str, str] = field(default_factory=dict)  # id -> name
    scope: str = "all devices"  # what the source knows, printed in the report's header


class TicketRow(NamedTuple):
    ticket_id: str
    ticket_type: str
    status: str
    holder_name: str
    email: str | None
    order_code: str | None


class EntryRow(NamedTuple):
    """One journal entry (a scan, exit or undo) with its ticket's descriptive fields joined.
    A named tuple: 150,000 of these are made per pass, and tuples are the cheapest to make."""

    entry_id: str
    scanned_at: datetime  # aware; the model converts to UTC and the event's zone
    kind: str  # "scan" or "undo"
    direction: str
    outcome: str  # admitted, rejected, exited
    reason: str
    door: str
    device_id: str
    ticket_id: str | None = None
    ticket_type: str | None = None
    holder_name: str | None = None
    order_code: str | None = None
    checkin_list: str | None = None
    operator: str | None = None
    code_format: str | None = None
    day: int | None = None
    annuls: str | None = None
    annulled: bool = False  # an undo names this entry
    note: str | None = None
    received_at: datetime | None = None  # the server's receive time, when known
    offline: bool | None = None  # as the door recorded it; None: not known
    device_name: str | None = None  # the name the device was enrolled with, when known

    @property
    def by_hand(self) -> bool:
        return (
            self.kind == "scan"
            and self.outcome == "admitted"
            and self.ticket_id is not None
            and self.code_format in BY_HAND_FORMATS
        )


class ReportSource(Protocol):
    """Where a report's rows come from. Each call streams afresh, so a source may be read twice
    (once to count, once to list) without holding 150,000 entries in memory."""

    def event(self) -> EventInfo: ...

    def tickets(self) -> Iterable[TicketRow]:
        """Every ticket of the event, by ticket id."""
        ...

    def entries(self) -> Iterable[EntryRow]:
        """Every journal entry, oldest scan first (ties by entry id, the same everywhere)."""
        ...
