"""Sync state anyone can read: the CLI prints it, the door window shows it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from scanner.checkin.clock_trust import CLOCK_NOTE
from scanner.checkin.sync_counts import SyncCounts

CLOCK_WARNING_S = CLOCK_NOTE.total_seconds()  # the door tells corrections beyond this


class Link(StrEnum):
    NOT_ENROLLED = "not_enrolled"
    ONLINE = "online"
    OFFLINE = "offline"  # the server cannot be reached
    FAILING = "failing"  # reached, but something goes wrong; see last_error
    REVOKED = "revoked"  # the server revoked this device: scanning stopped until `scanner reset`


@dataclass(frozen=True)
class SyncState:
    link: Link
    last_error: str | None = None
    last_pull_at: datetime | None = None
    last_push_at: datetime | None = None
    waiting: int = 0  # journal entries not yet uploaded
    held: int = 0  # entries the server could not take even alone (kept, retried later)
    held_reasons: dict[str, int] = field(default_factory=dict)  # why, with how many
    conflicts: int = 0
    set_aside: int = 0  # records from the server this door could not apply (kept aside)
    clock_offset_s: float | None = None  # server time minus this device's time
    next_attempt_in_s: float | None = None
    counts: SyncCounts = field(default_factory=SyncCounts)  # what the last cycle did

    @property
    def rejected(self) -> int:
        """The former name of `held` (nothing is refused for good any more)."""
        return self.held

    @property
    def clock_warning(self) -> str | None:
        if self.clock_offset_s is None or abs(self.clock_offset_s) <= CLOCK_WARNING_S:
            return None
        direction = "behind" if self.clock_offset_s > 0 else "ahead of"
        minutes = abs(self.clock_offset_s) / 60
        return f"this device's clock is {minutes:.0f} min {direction} the server's: set it right"

    def held_words(self) -> str:
        """'2 entries held back (the server could not take them; retried later): why (2)'."""
        reasons = ", ".join(f"{why} ({count})" for why, count in self.held_reasons.items())
        return f"{self.held} entries held back (the server could not take them; retried later)" + (
            f": {reasons}" if reasons else ""
        )

    def describe(self) -> str:
        words = {
            Link.NOT_ENROLLED: "not enrolled with a server (offline use only)",
            Link.ONLINE: "online",
            Link.OFFLINE: "offline",
            Link.FAILING: "failing",
            Link.REVOKED: "device revoked by the server: scanning stopped",
        }[self.link]
        if self.last_error and self.link is not Link.ONLINE:
            words += f": {self.last_error}"
        elif self.set_aside:
            words += f" ({self.set_aside} records from the server set aside)"
        return words
