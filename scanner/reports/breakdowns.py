"""Who refused what where, and what was decided offline: counted in the journal pass beside the
summary, kept apart from it (docs/reports.md, "Doors and operators").

"Decided offline" is what the door recorded in the journal entry when it scanned (the link was
down), carried by the upload; an entry from a door that does not record it counts as unknown.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from scanner.reports.rows import EntryRow

NO_OPERATOR = ""  # the journal names no operator (a kiosk, an old door)


@dataclass
class OperatorCount:
    operator: str
    admissions: int = 0
    exits: int = 0
    refused: int = 0
    by_hand: int = 0
    undos: int = 0


@dataclass
class OfflineCount:
    door: str
    scans: int = 0
    offline: int = 0
    unknown: int = 0  # the door did not record it


@dataclass
class Breakdowns:
    refused: Counter[tuple[str, str]] = field(default_factory=Counter)  # (door, reason) -> n
    operators: dict[str, OperatorCount] = field(default_factory=dict)
    offline: dict[str, OfflineCount] = field(default_factory=dict)

    def add(self, entry: EntryRow) -> None:
        """Counts every entry, annulled ones too: a refusal or an offline decision happened."""
        who = entry.operator or NO_OPERATOR
        operator = self.operators.get(who) or self.operators.setdefault(who, OperatorCount(who))
        if entry.kind == "undo":
            operator.undos += 1
            return
        door = self.offline.get(entry.door) or self.offline.setdefault(
            entry.door, OfflineCount(entry.door)
        )
        door.scans += 1
        if entry.offline is None:
            door.unknown += 1
        elif entry.offline:
            door.offline += 1
        if entry.outcome == "rejected":
            operator.refused += 1
            self.refused[entry.door, entry.reason] += 1
        elif entry.outcome == "exited":
            operator.exits += 1
        elif entry.outcome == "admitted":
            operator.admissions += 1
            operator.by_hand += entry.by_hand

    @property
    def offline_total(self) -> int:
        return sum(d.offline for d in self.offline.values())
