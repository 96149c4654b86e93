"""Reading what the rules need: the event's policy, a ticket, its passages, revocations."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, text

from scanner.checkin.attendees import AttendeeRow
from scanner.checkin.codes import IssuedProof
from scanner.checkin.event_record import CheckinList, EventRecord
from scanner.checkin.event_window import DEFAULT_GRACE_S
from scanner.checkin.keyring import keyring_from_text
from scanner.checkin.reasons import Direction
from scanner.checkin.records import EventPolicy, Passage, TicketRecord
from scanner.checkin.ticket_fields import DOOR_COLUMNS
from scanner.store.sealing import unseal

_TICKET = text(
    f"SELECT {', '.join(DOOR_COLUMNS)} FROM tickets"  # noqa: S608
    " WHERE event_id = :event AND ticket_id = :ticket"
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


def load_ticket(conn: Connection, event_id: str, ticket_id: str) -> TicketRecord | None:
    row = conn.execute(_TICKET, {"event": event_id, "ticket": ticket_id}).first()
    return None if row is None else AttendeeRow.from_door(row).to_record()


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


def load_current_event(conn: Connection) -> EventRecord:
    return load_event(conn, current_event_id(conn))


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


def checkin_lists(conn: Connection) -> tuple[CheckinList, ...]:
    """The current event's check-in lists (none before an event was imported)."""
    try:
        return load_current_event(conn).checkin_lists
    except NoEventError:
        return ()


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


def load_event(conn: Connection, event_id: str) -> EventRecord:
    """The event's policy, its keyring and its descriptive fields (name, lists, times)."""
    row = conn.execute(text("SELECT * FROM events WHERE id = :id"), {"id": event_id}).first()
    if row is None:
        raise NoEventError(f"event {event_id!r} is not on this device")
    days = {
        d: date.fromisoformat(iso)
        for d, iso in conn.execute(
            text("SELECT day, date FROM event_days WHERE event_id = :id"), {"id": event_id}
        )
    }
    lists = tuple(
        CheckinList(str(list_id), str(name), frozenset(json.loads(types)))
        for list_id, name, types in conn.execute(
            text("SELECT id, name, types_json FROM checkin_lists WHERE event_id = :id"),
            {"id": event_id},
        )
    )
    policy = EventPolicy(
        event_id=row.id,
        timezone=row.timezone,
        days=days,
        reentry=bool(row.reentry),
        max_code_age_s=row.max_code_age_s,
        grace_before_s=_grace(conn, "grace_before_s", row.grace_before_s),
        grace_after_s=_grace(conn, "grace_after_s", row.grace_after_s),
    )
    return EventRecord(
        policy=policy,
        keyring=keyring_from_text(unseal(row.keyring_json)),
        name=row.name or "",
        checkin_lists=lists,
        imported_at=str(row.imported_at),
        source=str(row.source),
        cursor=None if row.cursor is None else str(row.cursor),
        snapshot_generated_at=(
            None if row.snapshot_generated_at is None else str(row.snapshot_generated_at)
        ),
    )
