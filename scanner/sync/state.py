"""Sync state anyone can read: the CLI prints it, the door window shows it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

CLOCK_WARNING_S = 120.0


class Link(StrEnum):
    NOT_ENROLLED = "not_enrolled"
    ONLINE = "online"
    OFFLINE = "offline"  # the server cannot be reached
    FAILING = "failing"  # reached, but something goes wrong; see last_error
    REVOKED = "revoked"  # the server no longer accepts this device: re-enrol


@dataclass(frozen=True)
class SyncState:
    link: Link
    last_error: str | None = None
    last_pull_at: datetime | None = None
    last_push_at: datetime | None = None
    waiting: int = 0  # journal entries not yet uploaded
    rejected: int = 0  # entries the server refused outright (kept, not retried)
    conflicts: int = 0
    set_aside: int = 0  # records from the server this door could not apply (kept aside)
    clock_offset_s: float | None = None  # server time minus this device's time
    next_attempt_in_s: float | None = None
    counts: dict[str, int] = field(default_factory=dict)  # what the last cycle did

    @property
    def clock_warning(self) -> str | None:
        if self.clock_offset_s is None or abs(self.clock_offset_s) <= CLOCK_WARNING_S:
            return None
        direction = "behind" if self.clock_offset_s > 0 else "ahead of"
        minutes = abs(self.clock_offset_s) / 60
        return f"this device's clock is {minutes:.0f} min {direction} the server's: set it right"

    def describe(self) -> str:
        words = {
            Link.NOT_ENROLLED: "not enrolled with a server (offline use only)",
            Link.ONLINE: "online",
            Link.OFFLINE: "offline",
            Link.FAILING: "failing",
            Link.REVOKED: "device revoked by the server: re-enrol it",
        }[self.link]
        if self.last_error and self.link in (Link.OFFLINE, Link.FAILING):
            words += f": {self.last_error}"
        elif self.set_aside:
            words += f" ({self.set_aside} records from the server set aside)"
        return words
