"""The event as a door holds it: its policy, keys, name and lists, and where its list came from."""

from __future__ import annotations

from dataclasses import dataclass

from scanner.checkin.keyring import Keyring
from scanner.checkin.records import EventPolicy


@dataclass(frozen=True)
class CheckinList:
    """One of the event's check-in lists: a door named like it admits only its ticket types."""

    id: str
    name: str
    types: frozenset[str]


@dataclass(frozen=True)
class EventRecord:
    policy: EventPolicy  # with this door's grace, when it has its own
    keyring: Keyring
    name: str  # "" when the event was given none
    checkin_lists: tuple[CheckinList, ...]
    imported_at: str  # ISO 8601, when this door imported its list
    source: str  # "snapshot", "csv" or "sync"
    cursor: str | None = None  # where the next pull of changes starts (None: a snapshot)
    snapshot_generated_at: str | None = None  # as the snapshot's header gave it

    @property
    def id(self) -> str:
        return self.policy.event_id
