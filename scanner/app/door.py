"""A door: the store, this door's settings and a clock, behind the calls the UI and CLI make."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

from scanner.app.clock import Clock, SystemClock
from scanner.checkin.reasons import Direction
from scanner.checkin.records import DoorSettings
from scanner.store.journal import ScanRecord
from scanner.store.location import data_dir
from scanner.store.store import Store

DEFAULT_DOOR = "Main entrance"


class Door:
    def __init__(self, store: Store, settings: DoorSettings, clock: Clock | None = None) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock or SystemClock()

    def check(self, text: str, source: str = "camera") -> ScanRecord:
        """Decide on a code and commit it to the journal; returns only after the commit."""
        return self.store.scan(text, self.settings, self.clock.now(), source)

    def admit_by_hand(
        self, ticket_id: str, reason: str | None = None, paid_at_door: bool = False
    ) -> ScanRecord:
        """Check in a ticket found by search (a dead phone): the same rules, no code."""
        now = self.clock.now()
        return self.store.admit_by_hand(ticket_id, self.settings, now, reason, paid_at_door)

    def undo(self, entry_id: str, why: str) -> ScanRecord:
        operator = self.settings.operator or "unknown"
        return self.store.undo(entry_id, operator, why, self.clock.now())

    def timezone(self) -> str:
        """The event's time zone, in which door staff read times."""
        return self.store.event_policy().timezone

    def close(self) -> None:
        self.store.close()


def door_settings(
    store: Store, door_name: str | None, exit: bool = False, operator: str | None = None
) -> DoorSettings:
    """This door's settings; a door named like one of the event's check-in lists admits only
    that list's ticket types."""
    enrolled_door, enrolled_list = store.enrolled_door()
    name = door_name or enrolled_door or DEFAULT_DOOR
    wanted = {name.casefold()} | ({enrolled_list.casefold()} if enrolled_list else set())
    admits = next(
        (
            checkin_list.types
            for checkin_list in store.checkin_lists()
            if wanted & {checkin_list.id.casefold(), checkin_list.name.casefold()}
        ),
        None,
    )
    return DoorSettings(
        door=name,
        device_id=store.device_id,
        admits_types=admits,
        direction=Direction.EXIT if exit else Direction.ENTRY,
        operator=operator or os.environ.get("SCANNER_OPERATOR") or _login(),
    )


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def open_door(
    directory: Path | str | None = None,
    door_name: str | None = None,
    exit: bool = False,
    *,
    clock: Clock | None = None,
    synchronous: bool = False,
    operator: str | None = None,
) -> Door:
    store = Store(data_dir(directory), synchronous=synchronous)
    return Door(store, door_settings(store, door_name, exit, operator), clock)
