"""Devices and organizers: enrolment codes, bearer tokens, revocation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from server_stub.core.security import (
    hash_secret,
    new_enrollment_code,
    new_id,
    new_token,
    normalise_enrollment_code,
    same_hash,
    split_token,
)
from server_stub.models import Device, EnrollmentCode, Event, OrganizerToken, utcnow


class EnrollError(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


class DeviceRevoked(Exception):
    """A device's own token, secret right, for a device the organizer revoked: the one answer
    that lets a door lock itself (a missing or unknown token never does)."""


@dataclass(frozen=True)
class Principal:
    """Who is calling: a door device or an organizer, each bound to one event."""

    kind: Literal["device", "organizer"]
    id: str
    event_id: str
    door: str | None = None
    checkin_list: str | None = None


def create_enrollment_code(
    session: Session, event: Event, door: str, checkin_list: str | None, ttl_s: int
) -> tuple[str, datetime]:
    if checkin_list is not None and checkin_list not in {c["id"] for c in event.checkin_lists}:
        raise ValueError(f"event {event.id} has no check-in list {checkin_list!r}")
    code = new_enrollment_code()
    expires = utcnow() + timedelta(seconds=ttl_s)
    session.add(
        EnrollmentCode(
            code_hash=hash_secret(code),
            event_id=event.id,
            door=door,
            checkin_list=checkin_list,
            expires_at=expires,
        )
    )
    return code, expires


def enroll(session: Session, code: str, name: str | None) -> tuple[Device, str]:
    """Trade a one-time enrolment code for a device and its token (shown once)."""
    # Lookup by the hash of a random 59-bit code: nothing to learn from timing here.
    row = session.scalars(
        select(EnrollmentCode)
        .where(EnrollmentCode.code_hash == hash_secret(normalise_enrollment_code(code)))
        .with_for_update()
    ).one_or_none()
    if row is None:
        raise EnrollError("enrollment_code_unknown", "no such enrolment code")
    if row.used_at is not None:
        raise EnrollError("enrollment_code_used", "this enrolment code was used already")
    if row.expires_at <= utcnow():
        raise EnrollError("enrollment_code_expired", "this enrolment code has expired")
    device_id = new_id("d", 10)
    token, token_hash = new_token(device_id)
    device = Device(
        id=device_id,
        event_id=row.event_id,
        door=row.door,
        checkin_list=row.checkin_list,
        name=name,
        token_hash=token_hash,
    )
    session.add(device)
    row.used_at = utcnow()
    row.device_id = device_id
    return device, token


def device_name(session: Session, device_id: str) -> str | None:
    """The name a device was enrolled with, as doors show it (None: no such device, or no name):
    passages carry it so that staff at other doors read "North gate", not a device id."""
    device = session.get(Device, device_id)
    return None if device is None else (device.name or "").strip() or None


def create_organizer_token(session: Session, event_id: str, label: str | None = None) -> str:
    token_id = new_id("o", 10)
    token, token_hash = new_token(token_id)
    session.add(OrganizerToken(id=token_id, event_id=event_id, token_hash=token_hash, label=label))
    return token


def authenticate(session: Session, token: str) -> Principal | None:
    """The caller behind a bearer token, or None (unknown or wrong: all look alike). A revoked
    device that proves its secret raises DeviceRevoked: only it learns it was revoked."""
    parts = split_token(token)
    if parts is None:
        return None
    row_id, secret = parts
    if row_id.startswith("d"):
        device = session.get(Device, row_id)
        if device is None or not same_hash(secret, device.token_hash):
            return None
        if device.revoked_at is not None:
            raise DeviceRevoked(device.id)
        return Principal("device", device.id, device.event_id, device.door, device.checkin_list)
    if row_id.startswith("o"):
        organizer = session.get(OrganizerToken, row_id)
        if organizer is None or organizer.revoked_at is not None:
            return None
        if not same_hash(secret, organizer.token_hash):
            return None
        return Principal("organizer", organizer.id, organizer.event_id)
    return None


def _revoke(row: Device | OrganizerToken | None, event_id: str) -> bool:
    """Mark a credential of `event_id` revoked (once); False when it is not that event's."""
    if row is None or row.event_id != event_id:
        return False
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    return True


def revoke_organizer_token(session: Session, event_id: str, token_id: str) -> bool:
    return _revoke(session.get(OrganizerToken, token_id), event_id)


def list_devices(session: Session, event_id: str) -> list[Device]:
    return list(
        session.scalars(
            select(Device).where(Device.event_id == event_id).order_by(Device.created_at)
        )
    )


def revoke_device(session: Session, event_id: str, device_id: str) -> bool:
    return _revoke(session.get(Device, device_id), event_id)
