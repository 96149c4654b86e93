"""Admissions and exits of tickets, and the conflicts among them. Pure: no database here.

A conflict is an admission of a ticket that another standing admission already covers: on the
same event day (or anywhere in a single-day event) and, when the event allows re-entry, with no
exit in between. The earliest admission by device scan time counts as first; every node of the
system computes the same pairs from the same passages, so all agree on who was first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from scanner.checkin.reasons import Direction
from scanner.checkin.records import Passage


@dataclass(frozen=True, slots=True)
class Mark:
    """A standing (not annulled) admission or exit."""

    entry_id: str
    ticket_id: str
    direction: Direction
    at: datetime  # UTC, for ordering
    local: str  # the device's wall time with its offset, for people
    door: str
    device_id: str
    day: int | None
    device_name: str | None = None  # its enrolment name, when the server knows one

    def passage(self) -> Passage:
        return Passage(
            self.direction, self.at, self.door, self.device_id, self.day, self.device_name
        )

    def ref(self) -> dict[str, str | None]:
        return {
            "entry_id": self.entry_id,
            "ticket_id": self.ticket_id,
            "scanned_at": self.local,
            "door": self.door,
            "device_id": self.device_id,
            "device_name": self.device_name,
        }

    def record(self) -> dict[str, object]:
        """The snapshot/changes `passage` record."""
        return {
            "k": "passage",
            "entry_id": self.entry_id,
            "ticket_id": self.ticket_id,
            "direction": str(self.direction),
            "at": self.local,
            "door": self.door,
            "device_id": self.device_id,
            "device_name": self.device_name,
            "day": self.day,
        }


Pair = tuple[Mark, Mark]  # (first admission, a later one it conflicts with)


def conflict_pairs(marks: Iterable[Mark], *, reentry: bool, multi_day: bool) -> list[Pair]:
    scopes: dict[tuple[str, int | None], list[Mark]] = defaultdict(list)
    for mark in marks:
        scopes[(mark.ticket_id, mark.day if multi_day else None)].append(mark)
    pairs: list[Pair] = []
    for group in scopes.values():
        group.sort(key=lambda m: (m.at, m.entry_id))  # entry_id breaks ties the same everywhere
        inside: Mark | None = None
        for mark in group:
            if mark.direction is Direction.EXIT:
                if reentry:
                    inside = None
                continue
            if inside is None:
                inside = mark
            else:
                pairs.append((inside, mark))
    return pairs


def partner(entry_id: str, pairs: list[Pair]) -> Mark | None:
    """The admission an entry collides with: its first, or (if it is first) the earliest later."""
    later: list[Mark] = []
    for first, second in pairs:
        if second.entry_id == entry_id:
            return first
        if first.entry_id == entry_id:
            later.append(second)
    return min(later, key=lambda m: (m.at, m.entry_id)) if later else None


def group_pairs(pairs: list[Pair]) -> list[tuple[Mark, list[Mark]]]:
    """Conflicts as reports list them: each first admission with the ones that collided with it."""
    groups: dict[str, tuple[Mark, list[Mark]]] = {}
    for first, second in pairs:
        groups.setdefault(first.entry_id, (first, []))[1].append(second)
    return sorted(groups.values(), key=lambda g: (g[0].at, g[0].entry_id))
