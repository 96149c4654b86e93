"""Door-level data the command line and the window read or set through app: the grace around
the event's days, and the server records this door set aside."""

from __future__ import annotations

from sqlalchemy import Connection

from scanner.app.session import DoorSession
from scanner.checkin.records import EventPolicy
from scanner.store import set_aside, tickets
from scanner.store.set_aside import SetAside


def set_grace(
    session: DoorSession, before_h: float | None, after_h: float | None, forget: bool
) -> EventPolicy:
    """Store this door's grace (hours; None keeps the current value) and return the policy."""
    wanted = {"grace_before_s": before_h, "grace_after_s": after_h}
    store = session.store
    store.writer.run(lambda conn: tickets.set_door_grace(conn, wanted, forget))
    return store.read(lambda conn: tickets.load_current_event(conn)[0])


def set_aside_records(session: DoorSession, limit: int = 5) -> list[SetAside]:
    """The newest records from the server this door could not apply."""

    def job(conn: Connection) -> list[SetAside]:
        return set_aside.latest(conn, tickets.current_event_id(conn), limit)

    return session.store.read(job)


def door_choices(session: DoorSession) -> list[str]:
    """The doors to choose from: the event's check-in lists, and the door in use."""
    names = [name for _id, name in session.checkin_lists()]
    return list(dict.fromkeys([*names, session.settings.door]))
