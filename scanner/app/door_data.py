"""The doors a window offers to choose from (the door bar and the settings dialog)."""

from __future__ import annotations

from scanner.app.session import DoorSession


def door_choices(session: DoorSession) -> list[str]:
    """The doors to choose from: the event's check-in lists, and the door in use."""
    names = [name for _id, name in session.checkin_lists()]
    return list(dict.fromkeys([*names, session.settings.door]))
