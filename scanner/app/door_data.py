"""Door-level data the command line and the window read or set through app: the grace around
the event's days, and the server records this door set aside."""

from __future__ import annotations

from scanner.app.session import DoorSession
from scanner.checkin.records import EventPolicy
from scanner.store.set_aside import SetAside


def set_grace(
    session: DoorSession, before_h: float | None, after_h: float | None, forget: bool
) -> EventPolicy:
    """Store this door's grace (hours; None keeps the current value) and return the policy."""
    wanted = {"grace_before_s": before_h, "grace_after_s": after_h}
    return session.store.set_door_grace(wanted, forget)


def set_aside_records(session: DoorSession, limit: int = 5) -> list[SetAside]:
    """The newest records from the server this door could not apply."""
    return session.store.set_aside_records(limit)


def door_choices(session: DoorSession) -> list[str]:
    """The doors to choose from: the event's check-in lists, and the door in use."""
    names = [name for _id, name in session.checkin_lists()]
    return list(dict.fromkeys([*names, session.settings.door]))
