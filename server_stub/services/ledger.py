"""A ticket's standing passages during one upload, kept sorted so each entry costs O(log n).

The answers equal those of `passages.conflict_pairs` + `partner` over all the ticket's passages,
but without re-pairing the whole history for every entry (a ticket with thousands of admissions
made one batch take half a minute). Without re-entry only the two earliest admissions of each
scope matter and only those are loaded (`partial`); with re-entry the exits matter too and the
scope holds all of them.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field
from datetime import datetime

from scanner.checkin.reasons import Direction
from scanner.checkin.records import Passage
from server_stub.services.passages import Mark

Key = tuple[datetime, str]
ScopeKey = tuple[str, int | None]


def key_of(mark: Mark) -> Key:
    return (mark.at, mark.entry_id)  # entry_id breaks ties the same way on every node


def _first(item: tuple[Key, Mark]) -> Key:
    return item[0]


@dataclass
class Scope:
    """Standing passages of one ticket in one scope (the event, or one event day)."""

    partial: bool  # only the earliest admissions from the database are here
    admissions: list[tuple[Key, Mark]] = field(default_factory=list)
    exits: list[tuple[Key, Mark]] = field(default_factory=list)

    def add(self, mark: Mark) -> None:
        target = self.admissions if mark.direction is Direction.ENTRY else self.exits
        insort(target, (key_of(mark), mark), key=_first)

    def remove(self, entry_id: str) -> Mark | None:
        for target in (self.admissions, self.exits):
            for i, (_, mark) in enumerate(target):
                if mark.entry_id == entry_id:
                    del target[i]
                    return mark
        return None

    def find(self, entry_id: str) -> Mark | None:
        return next((m for _, m in (*self.admissions, *self.exits) if m.entry_id == entry_id), None)

    def partner(self, mark: Mark, reentry: bool) -> Mark | None:
        """The admission `mark` collides with: its first, or if it is first the next one."""
        if mark.direction is not Direction.ENTRY:
            return None
        start, end = 0, len(self.admissions)
        if reentry:  # only the admissions between the exits around it count
            before = bisect_left(self.exits, key_of(mark), key=_first)
            if before:
                start = bisect_right(self.admissions, self.exits[before - 1][0], key=_first)
            if before < len(self.exits):
                end = bisect_left(self.admissions, self.exits[before][0], key=_first)
        if start >= end:
            return None
        first = self.admissions[start][1]
        if first.entry_id != mark.entry_id:
            return first
        return self.admissions[start + 1][1] if start + 1 < end else None

    def history(self, before: datetime) -> list[Passage]:
        """What the door rules need to judge a scan at `before`: the earliest admission and the
        latest passage before it (the rules look at nothing else)."""
        edge = (before, "")  # sorts before every entry at `before`
        admitted = bisect_left(self.admissions, edge, key=_first)
        exited = bisect_left(self.exits, edge, key=_first)
        picked = {
            m.entry_id: m
            for _, m in (
                *self.admissions[: min(admitted, 1)],
                *self.admissions[max(admitted - 1, 0) : admitted],
                *self.exits[max(exited - 1, 0) : exited],
            )
        }
        return [m.passage() for m in picked.values()]


@dataclass
class Ledger:
    reentry: bool
    multi_day: bool
    scopes: dict[ScopeKey, Scope] = field(default_factory=dict)

    def scope_key(self, ticket_id: str, day: int | None) -> ScopeKey:
        return (ticket_id, day if self.multi_day else None)

    def scope(self, ticket_id: str, day: int | None) -> Scope:
        key = self.scope_key(ticket_id, day)
        if key not in self.scopes:
            self.scopes[key] = Scope(partial=not self.reentry)
        return self.scopes[key]

    def partner(self, mark: Mark) -> Mark | None:
        return self.scope(mark.ticket_id, mark.day).partner(mark, self.reentry)
