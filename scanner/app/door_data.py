"""What a window says about a door's check-in list: which ticket types get in there."""

from __future__ import annotations

from scanner.app.door import ALL_TYPES
from scanner.app.session import DoorSession
from scanner.checkin.event_record import CheckinList


def list_choices(session: DoorSession) -> list[tuple[str, CheckinList | None]]:
    """The check-in lists a door can admit by, by id (ALL_TYPES first: no list)."""
    lists = sorted(session.checkin_lists_in_full(), key=lambda c: c.name.casefold())
    return [(ALL_TYPES, None), *((c.id, c) for c in lists)]


def type_names(session: DoorSession, checkin_list: CheckinList | None) -> list[str]:
    """The ticket types a list lets in, by their names (sorted); [] for every type."""
    if checkin_list is None:
        return []
    return sorted(session.type_name(kind) for kind in checkin_list.types)
