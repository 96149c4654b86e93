"""Reading what the rules need: the event's policy, a ticket, its passages, revocations."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, text

from scanner.checkin.codes import IssuedProof
from scanner.checkin.event_window import DEFAULT_GRACE_S
from scanner.checkin.keyring import Keyring, keyring_from_text
from scanner.checkin.reasons import Direction, TicketStatus
from scanner.checkin.records import EventPolicy, Passage, TicketRecord
from scanner.store.sealing import unseal

_TICKET = text(
    "SELECT ticket_id, ticket_type, status, days_json, holder_name, seat, flags_json, note,"
    " valid_from, valid_until FROM tickets WHERE event_id = :event AND ticket_id = :ticket"
)
_PROOF = text(
    "SELECT seed_sig, code_digest FROM tickets WHERE event_id = :event AND ticket_id = :ticket"
)
_PASSAGES = text(
    "SELECT direction, at, door, device_id, day, device_name FROM passages"
    " WHERE event_id = :event AND ticket_id = :ticket"
)
_OWN_DEVICE = text("SELECT key, value FROM settings WHERE key IN ('device_id', 'device_name')")
_REVOKED = text(
    "SELECT 1 FROM revocations WHERE event_id = :event AND ticket_id = :ticket"
    " AND (code_fp IS NULL OR code_fp = :fp) LIMIT 1"
)


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def load_ticket(conn: Connection, event_id: str, ticket_id: str) -> TicketRecord | None:
    row = conn.execute(_TICKET, {"event": event_id, "ticket": ticket_id}).first()
    if row is None:
        return None
    days = json.loads(row.days_json) if row.days_json else None
    return TicketRecord(
        ticket_id=row.ticket_id,
        ticket_type=row.ticket_type,
        status=TicketStatus(row.status),
        days=None if days is None else frozenset(days),
        holder_name=row.holder_name,
        seat=row.seat,
        flags=tuple(json.loads(row.flags_json)),
        note=row.note,
        valid_from=_time(row.valid_from),
        valid_until=_time(row.valid_until),
    )


def issued_proof(conn: Connection, event_id: str, ticket_id: str) -> IssuedProof | None:
    row = conn.execute(_PROOF, {"event": event_id, "ticket": ticket_id}).first()
    return None if row is None else IssuedProof(row[0], row[1])


def device_namer(conn: Connection) -> Callable[[str, str | None], str | None]:
    """What staff read for a device: this one's enrolment name from its settings, another's the
    name its passages carried (None: show the device id)."""
    own: dict[str, str] = {str(k): str(v) for k, v in conn.execute(_OWN_DEVICE)}
    own_id, own_name = own.get("device_id"), own.get("device_name")

    def name(device_id: str, carried: str | None) -> str | None:
        return own_name if own_name and device_id == own_id else carried

    return name


def passages(conn: Connection, event_id: str, ticket_id: str) -> list[Passage]:
    rows = conn.execute(_PASSAGES, {"event": event_id, "ticket": ticket_id})
    name = device_namer(conn)
    return [
        Passage(Direction(r[0]), datetime.fromisoformat(r[1]), r[2], r[3], r[4], name(r[3], r[5]))
        for r in rows
    ]


def is_revoked(conn: Connection, event_id: str, ticket_id: str, code_fp: str) -> bool:
    params = {"event": event_id, "ticket": ticket_id, "fp": code_fp}
    return conn.execute(_REVOKED, params).first() is not None


class NoEventError(LookupError):
    """Nothing imported yet: the door has no attendee list."""


def current_event_id(conn: Connection) -> str:
    row = conn.execute(text("SELECT value FROM settings WHERE key = 'event_id'")).first()
    if row is None:
        raise NoEventError("no event on this device yet: import a snapshot or attendee CSV first")
    return str(row[0])


def load_current_event(conn: Connection) -> tuple[EventPolicy, Keyring, dict[str, Any]]:
    return load_event(conn, current_event_id(conn))


@dataclass(frozen=True)
class CheckinList:
    """One of the event's check-in lists: a door named like it admits only its ticket types."""

    id: str
    name: str
    types: frozenset[str]


@dataclass(frozen=True)
class EventNames:
    """What staff read for the current event and its ticket types (not their ids)."""

    event: str
    ticket_types: dict[str, str]  # id -> name, for the types the event named


def event_names(conn: Connection) -> EventNames:
    event_id = current_event_id(conn)
    row = conn.execute(text("SELECT name FROM events WHERE id = :id"), {"id": event_id}).first()
    types = conn.execute(
        text("SELECT id, name FROM ticket_types WHERE event_id = :id AND name != ''"),
        {"id": event_id},
    )
    return EventNames(str(row[0] or "") if row else "", {str(i): str(n) for i, n in types})


def checkin_lists(conn: Connection) -> list[CheckinList]:
    """The current event's check-in lists ([] before an event was imported)."""
    try:
        _policy, _keyring, info = load_current_event(conn)
    except NoEventError:
        return []
    return [
        CheckinList(str(list_id), str(name), frozenset(types))
        for list_id, (name, types) in info["checkin_lists"].items()
    ]


def _grace(conn: Connection, key: str, from_event: int | None) -> int:
    """This door's setting (`scanner grace`), else the event's, else the default."""
    row = conn.execute(text("SELECT value FROM settings WHERE key = :k"), {"k": key}).first()
    if row is not None and str(row[0]).isdigit():
        return int(row[0])
    return DEFAULT_GRACE_S if from_event is None else from_event


def set_door_grace(conn: Connection, hours: dict[str, float | None], forget: bool) -> None:
    """Store this door's grace (keys grace_before_s / grace_after_s); `forget` drops both."""
    for key, value in hours.items():
        if value is None and not forget:
            continue
        conn.execute(text("DELETE FROM settings WHERE key = :k"), {"k": key})
        if value is not None and not forget:
            conn.execute(
                text("INSERT INTO settings (key, value) VALUES (:k, :v)"),
                {"k": key, "v": str(round(value * 3600))},
            )


def load_event(conn: Connection, event_id: str) -> tuple[EventPolicy, Keyring, dict[str, Any]]:
    """The event's policy, its keyring and its descriptive fields (name, lists, types)."""
    row = conn.execute(text("SELECT * FROM events WHERE id = :id"), {"id": event_id}).first()
    if row is None:
        raise NoEventError(f"event {event_id!r} is not on this device")
    days = {
        d: date.fromisoformat(iso)
        for d, iso in conn.execute(
            text("SELECT day, date FROM event_days WHERE event_id = :id"), {"id": event_id}
        )
    }
    lists = {
        list_id: (name, frozenset(json.loads(types)))
        for list_id, name, types in conn.execute(
            text("SELECT id, name, types_json FROM checkin_lists WHERE event_id = :id"),
            {"id": event_id},
        )
    }
    policy = EventPolicy(
        event_id=row.id,
        timezone=row.timezone,
        days=days,
        reentry=bool(row.reentry),
        max_code_age_s=row.max_code_age_s,
        grace_before_s=_grace(conn, "grace_before_s", row.grace_before_s),
        grace_after_s=_grace(conn, "grace_after_s", row.grace_after_s),
    )
    info = {
        "id": row.id,
        "name": row.name,
        "checkin_lists": lists,
        "cursor": row.cursor,
        "snapshot_generated_at": row.snapshot_generated_at,
        "imported_at": row.imported_at,
        "source": row.source,
    }
    return policy, keyring_from_text(unseal(row.keyring_json)), info
