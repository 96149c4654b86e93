"""What a sync cycle did: the server's answers to the uploads, and what the pull applied."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class ChangeCounts:
    """Records applied from the changes feed, by kind, and those set aside (not applied)."""

    ticket: int = 0
    revocation: int = 0
    passage: int = 0
    annulment: int = 0
    set_aside: int = 0

    def __add__(self, other: ChangeCounts) -> ChangeCounts:
        return ChangeCounts(
            self.ticket + other.ticket,
            self.revocation + other.revocation,
            self.passage + other.passage,
            self.annulment + other.annulment,
            self.set_aside + other.set_aside,
        )


@dataclass(frozen=True)
class SyncCounts:
    accepted: int = 0  # entries uploaded: the server took them
    duplicate: int = 0  # it had them already
    conflict: int = 0  # it took them, colliding with another admission
    held: int = 0  # entries the server could not take even alone (kept, retried later)
    pages: int = 0  # pages of changes applied
    changes: ChangeCounts = field(default_factory=ChangeCounts)
    snapshot_tickets: int | None = None  # None: no snapshot was pulled
    snapshot_lines: int | None = None
    snapshot_set_aside: int = 0

    @property
    def set_aside(self) -> int:
        """Records from the server this cycle could not apply (kept aside)."""
        return self.changes.set_aside + self.snapshot_set_aside

    @property
    def touched(self) -> bool:
        """Whether the server answered an upload or the door applied a pull: the door's lists
        and counts may have changed."""
        answered = self.accepted + self.duplicate + self.conflict + self.held
        return bool(answered or self.pages or self.snapshot_tickets is not None)

    def answered(self, statuses: Iterable[str]) -> SyncCounts:
        """With the server's per-entry answers (accepted, duplicate, conflict) counted."""
        listed = list(statuses)
        return replace(
            self,
            accepted=self.accepted + listed.count("accepted"),
            duplicate=self.duplicate + listed.count("duplicate"),
            conflict=self.conflict + listed.count("conflict"),
        )

    def held_back(self, count: int) -> SyncCounts:
        return replace(self, held=self.held + count)

    def applied(self, page: ChangeCounts) -> SyncCounts:
        """With one page of changes applied."""
        return replace(self, pages=self.pages + 1, changes=self.changes + page)

    def snapshot(self, tickets: int, lines: int, set_aside: int) -> SyncCounts:
        """With a snapshot pulled: its tickets and lines, and the records set aside."""
        return replace(
            self,
            snapshot_tickets=tickets,
            snapshot_lines=lines,
            snapshot_set_aside=self.snapshot_set_aside + set_aside,
        )
