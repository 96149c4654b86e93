"""A ticket's fields, declared once for every place that maps one.

Each field names the attendee row's attribute, its member in snapshot and change records, its
column in the door's tickets table and in the companion API's, its form (how its value is
written in each of those) and how a member's value is read and checked. `AttendeeRow` maps a
ticket to and from records and both tables through this table only: a field added here reaches
the snapshot, the changes, the door and the server at once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scanner.checkin.field_values import (
    holder_name,
    optional_text,
    parse_code_digest,
    parse_days,
    parse_flags,
    parse_seed_signature,
    parse_status,
    parse_time,
    require_id,
)
from scanner.checkin.reasons import TicketStatus

Convert = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class Form:
    """How one kind of value is written from the attribute's value: in records (JSON), in the
    door's column and in the companion API's column; and how each column is read back."""

    member: Convert
    door: Convert
    from_door: Convert
    server: Convert
    from_server: Convert


def as_is(value: Any) -> Any:
    return value


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _listed(values: tuple[Any, ...] | None) -> list[Any] | None:
    return None if values is None else list(values)


def _tupled(values: list[Any] | None) -> tuple[Any, ...] | None:
    return None if values is None else tuple(values)


def _days_json(days: tuple[int, ...] | None) -> str | None:
    return None if days is None else json.dumps(list(days))


def _days_from_json(text: str | None) -> tuple[int, ...] | None:
    return tuple(json.loads(text)) if text else None


def _flags_json(flags: tuple[str, ...]) -> str:
    return json.dumps(list(flags), ensure_ascii=False)


def _or_none(text: str) -> str | None:
    return text or None


PLAIN = Form(as_is, as_is, as_is, as_is, as_is)
STATUS = Form(str, str, TicketStatus, str, TicketStatus)
DAYS = Form(_listed, _days_json, _days_from_json, _listed, _tupled)  # None: every day
FLAGS = Form(
    list, _flags_json, lambda text: tuple(json.loads(text)), list, lambda v: tuple(v or ())
)
NAME = Form(_or_none, as_is, as_is, _or_none, lambda text: text or "")  # "" on the door: none
TIME = Form(_iso, _iso, _time, as_is, as_is)  # ISO 8601 text in records and on the door


@dataclass(frozen=True, slots=True)
class TicketField:
    attr: str  # of AttendeeRow
    member: str  # in snapshot and change records
    door: str  # column of the door's tickets table
    server: str  # column of the companion API's tickets table
    form: Form
    label: str  # what messages call it
    read: Callable[[object, str], Any]  # a member's value, checked (RowError, naming `label`)


TICKET_FIELDS: tuple[TicketField, ...] = (
    # attribute, record member, door column, server column, form, name in messages, reader
    TicketField("ticket_id", "id", "ticket_id", "id", PLAIN, "ticket id", require_id),
    TicketField("ticket_type", "type", "ticket_type", "type", PLAIN, "ticket type", require_id),
    TicketField("status", "status", "status", "status", STATUS, "status", parse_status),
    TicketField("days", "days", "days_json", "days", DAYS, "days", parse_days),
    TicketField("holder_name", "name", "holder_name", "name", NAME, "name", holder_name),
    TicketField("email", "email", "email", "email", PLAIN, "email", optional_text),
    TicketField(
        "order_code", "order", "order_code", "order_code", PLAIN, "order code", optional_text
    ),
    TicketField("seat", "seat", "seat", "seat", PLAIN, "seat", optional_text),
    TicketField("flags", "flags", "flags_json", "flags", FLAGS, "flags", parse_flags),
    TicketField("note", "note", "note", "note", PLAIN, "note", optional_text),
    TicketField(
        "valid_from", "valid_from", "valid_from", "valid_from", TIME, "valid_from", parse_time
    ),
    TicketField(
        "valid_until", "valid_until", "valid_until", "valid_until", TIME, "valid_until", parse_time
    ),
    TicketField(
        "seed_signature",
        "seed_sig",
        "seed_sig",
        "seed_sig",
        PLAIN,
        "seed signature",
        parse_seed_signature,
    ),
    TicketField(
        "code_digest",
        "code_digest",
        "code_digest",
        "code_digest",
        PLAIN,
        "code digest",
        parse_code_digest,
    ),
)
DOOR_COLUMNS = tuple(field.door for field in TICKET_FIELDS)
