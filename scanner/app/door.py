"""A door: the store, this door's settings and a clock, behind the calls the UI and CLI make."""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from pathlib import Path

from scanner.app.clock import Clock, SystemClock
from scanner.checkin.event_record import CheckinList
from scanner.checkin.reasons import Direction
from scanner.checkin.records import DoorSettings
from scanner.store.journal import ScanRecord
from scanner.store.location import data_dir
from scanner.store.store import Store

DEFAULT_DOOR = "Main entrance"
ALL_TYPES = "*"  # a door's check-in list chosen on purpose: none, every ticket type gets in


class Door:
    def __init__(
        self,
        store: Store,
        settings: DoorSettings,
        clock: Clock | None = None,
        offline: Callable[[], bool | None] = lambda: None,
    ) -> None:
        """`offline`: asked at each scan whether the door decides without the server's recent
        word; the journal keeps the answer and the upload carries it (reports count it)."""
        self.store = store
        self.settings = settings
        self.clock = clock or SystemClock()
        self.offline = offline

    def check(self, text: str, source: str = "camera") -> ScanRecord:
        """Decide on a code and commit it to the journal; returns only after the commit."""
        return self.store.scan(text, self.settings, self.clock.now(), source, self.offline())

    def admit_by_hand(
        self, ticket_id: str, reason: str | None = None, paid_at_door: bool = False
    ) -> ScanRecord:
        """Check in a ticket found by search (a dead phone): the same rules, no code."""
        now = self.clock.now()
        return self.store.admit_by_hand(
            ticket_id, self.settings, now, reason, paid_at_door, self.offline()
        )

    def undo(self, entry_id: str, why: str) -> ScanRecord:
        operator = self.settings.operator or "unknown"
        return self.store.undo(entry_id, operator, why, self.clock.now())

    def timezone(self) -> str:
        """The event's time zone, in which door staff read times."""
        return self.store.event_policy().timezone

    def close(self) -> None:
        self.store.close()


def door_list(store: Store, door_name: str, checkin_list: str | None = None) -> CheckinList | None:
    """The check-in list a door admits by: the one chosen on purpose (`checkin_list`, its id;
    ALL_TYPES: none), else the enrolment's, else one named like the door (None: all types)."""
    lists = store.checkin_lists()
    if checkin_list == ALL_TYPES:
        return None
    chosen = next((c for c in lists if checkin_list and c.id == checkin_list), None)
    if chosen is not None:
        return chosen
    _enrolled_door, enrolled_list = store.enrolled_door()
    wanted = {door_name.casefold()} | ({enrolled_list.casefold()} if enrolled_list else set())
    return next((c for c in lists if wanted & {c.id.casefold(), c.name.casefold()}), None)


def door_settings(
    store: Store,
    door_name: str | None,
    exit: bool = False,
    operator: str | None = None,
    checkin_list: str | None = None,
) -> DoorSettings:
    """This door's settings. Its check-in list (which ticket types get in) is the one chosen
    on purpose (`checkin_list`), else the enrolment's, else one named like the door."""
    enrolled_door, _enrolled_list = store.enrolled_door()
    name = door_name or enrolled_door or DEFAULT_DOOR
    chosen = door_list(store, name, checkin_list)
    return DoorSettings(
        door=name,
        device_id=store.device_id,
        admits_types=None if chosen is None else chosen.types,
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
