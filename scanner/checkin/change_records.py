"""The records a door learns from the server: in a snapshot, or in a page of the changes feed.

A record is a ticket (`AttendeeRow`), a revocation of a code, another door's passage, or the
annulment of one; read from the wire here, and only here, with every member checked before the
door writes anything. A record the door cannot read is kept as it came, with the reason
(`Unreadable`): one bad record never stops a door from learning every later change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scanner.checkin.attendees import AttendeeRow, attendee_from_mapping
from scanner.checkin.clock_trust import server_time_text
from scanner.checkin.field_values import RowError, require_id
from scanner.checkin.reasons import Direction

KINDS = ("ticket", "revocation", "passage", "annulment")


class ChangeError(ValueError):
    """A change record the door cannot apply (it is set aside, not raised, by the store)."""


class PageError(ValueError):
    """A page of changes whose shape is not the feed's: nothing of it is applied."""


@dataclass(frozen=True)
class Revocation:
    """A ticket's code replaced (transferred or reissued): that code, or every code when
    `code_fp` is None, is refused from now on."""

    ticket_id: str
    code_fp: str | None = None


@dataclass(frozen=True)
class RemotePassage:
    """Another door's admission or exit, as the server passes it on."""

    entry_id: str
    ticket_id: str
    direction: Direction
    at: datetime
    door: str
    device_id: str
    day: int | None = None
    device_name: str | None = None  # the other device's enrolment name, when known


@dataclass(frozen=True)
class Annulment:
    """A passage undone at its door: it no longer counts."""

    entry_id: str
    ticket_id: str | None = None  # for people reading the feed; the door needs the entry only


ChangeRecord = AttendeeRow | Revocation | RemotePassage | Annulment


@dataclass(frozen=True)
class Unreadable:
    """A record of a page the door cannot read: kept aside as received, with why."""

    record: object
    problem: str


@dataclass(frozen=True)
class ChangePage:
    """One answer of the changes feed: its records in order, and where the next page starts."""

    cursor: str
    records: tuple[ChangeRecord | Unreadable, ...]
    more: bool  # ask again with the new cursor for the rest
    server_time: datetime | None = None  # the server's clock when it answered (None: not said)

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> ChangePage:
        cursor, items = body.get("cursor"), body.get("records")
        if not isinstance(cursor, str) or not isinstance(items, list):
            raise PageError("the server's changes answer has an unexpected shape")
        records = tuple(_readable(item) for item in items)
        return cls(
            cursor, records, bool(body.get("more")), server_time_text(body.get("server_time"))
        )


def _readable(item: object) -> ChangeRecord | Unreadable:
    try:
        return read_change(item)
    except ChangeError as exc:
        return Unreadable(item, str(exc))


def read_change(item: object) -> ChangeRecord:
    """A record of the changes feed; ChangeError says why it cannot be applied."""
    kind = item.get("k") if isinstance(item, dict) else None
    if kind not in KINDS:
        raise ChangeError(f"unknown kind {kind!r}"[:200])
    assert isinstance(item, dict)
    try:
        return read_record(kind, item)
    except (RowError, KeyError, TypeError, ValueError) as exc:
        raise ChangeError(f"{kind}: {exc}") from None


def read_record(kind: str, obj: dict[str, Any]) -> ChangeRecord:
    """A record of `kind` (a snapshot's or a change's), every member checked: raises RowError,
    KeyError, TypeError or ValueError naming what is wrong."""
    if kind == "ticket":
        return attendee_from_mapping(obj)
    if kind == "revocation":
        return _revocation(obj)
    if kind == "passage":
        return _passage(obj)
    return Annulment(
        require_id(obj.get("entry_id"), "entry_id"), _text_or_none(obj.get("ticket_id"))
    )


def _revocation(obj: dict[str, Any]) -> Revocation:
    fp = obj.get("code_fp")
    if fp is not None and (not isinstance(fp, str) or len(fp) != 32):
        raise ValueError("code_fp must be 32 hexadecimal characters or null")
    return Revocation(require_id(obj.get("ticket_id"), "ticket_id"), fp)


def _passage(obj: dict[str, Any]) -> RemotePassage:
    day = obj.get("day")
    if day is not None and (not isinstance(day, int) or isinstance(day, bool)):
        raise ValueError("day must be an integer or null")
    return RemotePassage(
        entry_id=require_id(obj.get("entry_id"), "entry_id"),
        ticket_id=require_id(obj.get("ticket_id"), "ticket_id"),
        direction=Direction(str(obj.get("direction"))),
        at=datetime.fromisoformat(str(obj.get("at"))),
        door=str(obj.get("door") or ""),
        device_id=str(obj.get("device_id") or ""),
        day=day,
        device_name=_device_name(obj.get("device_name")),
    )


def _device_name(value: object) -> str | None:
    """The other device's enrolment name, for people only: older servers send none, and a name
    that is not text is dropped rather than the passage (which says who is inside)."""
    return (value.strip() or None) if isinstance(value, str) else None


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None
