"""How each door is doing, as the organizer's device list shows it: what the door told at its
last upload (its build, the entries it still holds, its clock against ours), and when it last
called. Headers a door may leave out or get wrong: odd values are ignored, an upload is never
refused for them."""

from __future__ import annotations

from datetime import datetime
from email.utils import parsedate_to_datetime

from sqlalchemy.orm import Session

from server_stub.models import Device

MAX_VERSION = 64


def note_upload(
    session: Session,
    device_id: str,
    now: datetime,
    user_agent: str | None,
    date: str | None,
    waiting: str | None,
) -> None:
    device = session.get(Device, device_id)
    if device is None:
        return
    device.last_seen_at = now
    version = door_version(user_agent)
    if version is not None:
        device.app_version = version
    offset = clock_offset(date, now)
    if offset is not None:
        device.clock_offset_s = offset
    count = _count(waiting)
    if count is not None:
        device.waiting = count


def door_version(user_agent: str | None) -> str | None:
    """`door-scanner/1.4.0` -> "1.4.0"; anything else (a script, a browser) tells nothing."""
    product, _, version = (user_agent or "").partition("/")
    if product != "door-scanner" or not version:
        return None
    return version.split()[0][:MAX_VERSION].replace("\x00", "")


def clock_offset(date: str | None, now: datetime) -> float | None:
    """The door's clock minus ours, in seconds (the Date header has whole seconds)."""
    if not date:
        return None
    try:
        theirs = parsedate_to_datetime(date)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if theirs.tzinfo is None:
        return None
    try:
        return round((theirs - now).total_seconds(), 0)
    except OverflowError:
        return None


def _count(text: str | None) -> int | None:
    if text is None or not text.isascii() or not text.isdigit() or len(text) > 9:
        return None
    return int(text)
