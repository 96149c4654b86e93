"""Events: creation, and their views for the door (policy, keyring, snapshot header)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select, text
from sqlalchemy.orm import Session, object_session

from scanner.checkin.issuing import SigningKey, keyring_for
from scanner.checkin.keyring import Keyring
from scanner.checkin.records import EventPolicy
from server_stub.core.security import new_id
from server_stub.db import server_key
from server_stub.models import Event
from server_stub.services.secrets_at_rest import open_secret, open_signing_key, seal_signing_key

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


class EventError(ValueError):
    """The event settings cannot be used; the message says which and why."""


@dataclass(frozen=True)
class EventSpec:
    name: str
    timezone: str = "UTC"
    days: tuple[date, ...] = ()
    ticket_types: tuple[tuple[str, str], ...] = (("general", "General admission"),)
    checkin_lists: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    reentry: bool = False
    max_code_age_s: int | None = None
    algorithms: tuple[str, ...] = ("Ed25519",)
    seed_json_secret: str | None = field(default=None, repr=False)
    seed_secret_to_devices: bool = False
    event_id: str | None = None


def _check(spec: EventSpec) -> None:
    if not spec.name.strip():
        raise EventError("the event needs a name")
    if spec.event_id is not None and not ID_PATTERN.fullmatch(spec.event_id):
        raise EventError("event id: 1 to 64 of A-Z a-z 0-9 . _ - (starting with a letter/digit)")
    try:
        ZoneInfo(spec.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise EventError(f"unknown time zone {spec.timezone!r} (use an IANA name)") from None
    type_ids = [type_id for type_id, _ in spec.ticket_types]
    if not type_ids or len(set(type_ids)) != len(type_ids):
        raise EventError("ticket type ids must be given and distinct")
    for type_id in type_ids:
        if not ID_PATTERN.fullmatch(type_id):
            raise EventError(f"ticket type id {type_id!r}: use 1 to 64 of A-Z a-z 0-9 . _ -")
    for list_id, _, types in spec.checkin_lists:
        unknown = set(types) - set(type_ids)
        if not ID_PATTERN.fullmatch(list_id) or unknown:
            raise EventError(f"check-in list {list_id!r}: bad id or unknown types {unknown}")
    if len(set(spec.days)) != len(spec.days):
        raise EventError("the same date is given twice")
    if not spec.algorithms and spec.seed_json_secret is None:
        raise EventError("the event needs a signing key or a SEEDJSON secret")
    if any(alg not in ("Ed25519", "HS256") for alg in spec.algorithms):
        raise EventError("key algorithms are Ed25519 and HS256")


def create_event(session: Session, spec: EventSpec) -> Event:
    _check(spec)
    event_id = spec.event_id or new_id("", 6)
    if session.get(Event, event_id) is not None:
        raise EventError(f"event {event_id!r} exists already")
    number = _next_kid_number(session)
    key = server_key(session)
    keys = [
        seal_signing_key(key, SigningKey.generate(f"{alg[0]}{number}", alg))  # type: ignore[arg-type]
        for alg in spec.algorithms
    ]
    seed = None if spec.seed_json_secret is None else key.seal(spec.seed_json_secret)
    event = Event(
        id=event_id,
        name=spec.name.strip(),
        timezone=spec.timezone,
        days=[{"day": n, "date": d.isoformat()} for n, d in enumerate(sorted(spec.days), 1)],
        reentry=spec.reentry,
        max_code_age_s=spec.max_code_age_s,
        ticket_types=[{"id": i, "name": n} for i, n in spec.ticket_types],
        checkin_lists=[{"id": i, "name": n, "types": list(t)} for i, n, t in spec.checkin_lists],
        signing_keys=keys,
        seed_json_secret=seed,
        seed_secret_to_devices=spec.seed_secret_to_devices,
        last_seq=0,
        changes_floor=0,
    )
    session.add(event)
    session.flush()
    return event


_KID_NUMBER = re.compile(r"[EH]([0-9]{1,7})")


def _next_kid_number(session: Session) -> int:
    """Key ids are unique across the platform: E<n>/H<n> with n one more than any event's
    (docs/key-ids.md). Doors tell another event's ticket from a forgery by its kid."""
    if session.get_bind().dialect.name == "postgresql":  # concurrent creations take turns
        session.execute(text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": _KID_LOCK})
    highest = 0
    for keys in session.scalars(select(Event.signing_keys)):
        for key in keys or ():
            match = _KID_NUMBER.fullmatch(str(key.get("kid", "")))
            if match:
                highest = max(highest, int(match.group(1)))
    if highest + 1 >= 10**7:
        raise EventError("the platform has run out of key ids (E9999999)")
    return highest + 1


_KID_LOCK = 0x6B6964  # "kid"


def other_events_kids(session: Session, event_id: str) -> dict[str, str]:
    """kid -> event id of every other event's keys (no key material): sent to doors."""
    out: dict[str, str] = {}
    for other_id, keys in session.execute(
        select(Event.id, Event.signing_keys).where(Event.id != event_id)
    ):
        for key in keys or ():
            out.setdefault(str(key["kid"]), str(other_id))
    return out


def _session(event: Event) -> Session:
    session = object_session(event)
    if session is None:
        raise RuntimeError(f"event {event.id} is not in a session: its keys cannot be opened")
    return session


def signing_keys(event: Event) -> list[SigningKey]:
    key = server_key(_session(event))
    return [open_signing_key(key, stored) for stored in event.signing_keys]


def seed_secret(event: Event) -> str | None:
    """The event's SEEDJSON secret (None: the event has none)."""
    stored = event.seed_json_secret
    return None if stored is None else open_secret(server_key(_session(event)), stored)


def door_keyring(event: Event, secrets: bool = True) -> Keyring:
    """What devices get: public keys, and with `secrets` the HS256 keys and (if the event allows
    it) the SEEDJSON secret; without, nothing that could mint a code. Either way the map of the
    platform's other events' key ids (no key material), so a door that imported an exported file
    calls another event's ticket what it is, as an enrolled door does."""
    if secrets:
        seed = seed_secret(event) if event.seed_secret_to_devices else None
        keyring = keyring_for(signing_keys(event), seed)
    else:
        keyring = keyring_for([k for k in signing_keys(event) if k.alg != "HS256"], None)
    others = other_events_kids(_session(event), event.id)
    return replace(keyring, other_events={k: e for k, e in others.items() if k not in keyring.keys})


def verifying_keyring(event: Event) -> Keyring:
    """The server's own view: it always knows the platform secret."""
    return keyring_for(signing_keys(event), seed_secret(event))


def policy(event: Event) -> EventPolicy:
    return EventPolicy(
        event_id=event.id,
        timezone=event.timezone,
        days={d["day"]: date.fromisoformat(d["date"]) for d in event.days},
        reentry=event.reentry,
        max_code_age_s=event.max_code_age_s,
    )


def admitted_types(event: Event, checkin_list: str | None) -> frozenset[str] | None:
    for entry in event.checkin_lists:
        if entry["id"] == checkin_list:
            return frozenset(entry["types"])
    return None  # no list: the door admits every type


def event_json(event: Event) -> dict[str, Any]:
    """The snapshot header's `event` member."""
    return {
        "id": event.id,
        "name": event.name,
        "timezone": event.timezone,
        "days": list(event.days),
        "reentry": event.reentry,
        "max_code_age_s": event.max_code_age_s,
        "ticket_types": list(event.ticket_types),
        "checkin_lists": list(event.checkin_lists),
    }


def ensure_ticket_types(event: Event, type_ids: set[str]) -> list[str]:
    """Add ticket types an attendee import names but the event lacks; return the added ids."""
    known = {t["id"] for t in event.ticket_types}
    added = sorted(type_ids - known)
    if added:
        event.ticket_types = [*event.ticket_types, *({"id": t, "name": t} for t in added)]
    return added
