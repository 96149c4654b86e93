"""The report model: one pass over the journal (oldest scan first) makes the summary, the arrival
series and the conflicts; the scan log and attendee list stream from the source again when a
writer asks for them, so 150,000 entries never sit in memory as rows.

Definitions (docs/reports.md):
- an admission or exit *stands* unless an undo names it; only standing ones count;
- admitted = tickets with at least one standing admission (unique people);
- expected = tickets whose status is valid; no-shows = expected tickets never admitted;
- inside now = tickets whose latest standing passage is an admission, made on the latest event
  day seen (people go home between days of a multi-day event);
- a conflict = an admission another standing admission already covers: the same event day (any
  time in a single-day event) and, with re-entry, no exit between; both records are listed;
- a device's clock was wrong when an entry's scan time lies ahead of its receive time beyond
  the tolerance (scanner.checkin.clock_trust): such devices are listed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from scanner.checkin.clock_trust import ahead_of_receipt
from scanner.reports.breakdowns import Breakdowns
from scanner.reports.rows import EntryRow, EventInfo, ReportSource, TicketRow
from scanner.reports.wall_clock import WallClock, quarter_hour

BUCKET = timedelta(minutes=15)


@dataclass(frozen=True)
class Options:
    """What personal data the report carries: names by default, e-mail only when asked."""

    names: bool = True
    emails: bool = False


class Mark(NamedTuple):
    """A standing admission or exit, as the report shows it (a named tuple: one is made per
    admission and exit, 150,000 a pass)."""

    entry_id: str
    at: datetime  # UTC
    door: str
    device_id: str
    day: int | None
    device_name: str | None = None  # as enrolled, when the source knows it


@dataclass(frozen=True)
class Conflict:
    ticket_id: str
    ticket_type: str | None
    holder_name: str | None
    day: int | None
    first: Mark
    second: Mark


@dataclass(frozen=True)
class HandAdmission:
    at: datetime
    door: str
    operator: str | None
    ticket_id: str
    holder_name: str | None
    note: str | None
    annulled: bool


@dataclass(frozen=True)
class Undo:
    at: datetime
    door: str
    operator: str | None
    why: str | None
    ticket_id: str | None
    holder_name: str | None
    undone: Mark | None  # None: the undone entry is not in this source
    undone_outcome: str


@dataclass
class WrongClock:
    """A device whose scan times lay ahead of their receipt: its clock was wrong."""

    device_id: str
    device_name: str | None
    entries: int
    ahead: timedelta  # the most
    first_received: datetime  # UTC


@dataclass
class TypeCount:
    ticket_type: str
    name: str
    expected: int = 0
    admitted: int = 0
    no_shows: int = 0
    inside: int = 0


@dataclass
class DoorCount:
    door: str
    admissions: int = 0
    people: int = 0
    exits: int = 0
    refused: int = 0
    inside: int = 0
    by_hand: int = 0
    undos: int = 0


@dataclass
class DaySeries:
    """One chart: admissions per 15 minutes per door and people inside, over one event day."""

    day: int | None
    date: date
    starts: list[datetime]  # bucket starts, local (event zone), naive
    admissions: dict[str, list[int]]  # door -> count per bucket
    inside: list[int]  # people inside at each bucket's end


@dataclass
class Totals:
    expected: int = 0
    admitted: int = 0
    no_shows: int = 0
    inside: int = 0
    admissions: int = 0
    exits: int = 0
    refused: int = 0
    by_hand: int = 0
    undos: int = 0
    conflicts: int = 0
    entries: int = 0
    tickets: int = 0


@dataclass
class Report:
    event: EventInfo
    generated_at: datetime  # UTC
    options: Options
    source: ReportSource = field(repr=False)
    totals: Totals
    by_type: list[TypeCount]
    by_door: list[DoorCount]
    refused_by_reason: list[tuple[str, int]]
    conflicts: list[Conflict]
    hand_admissions: list[HandAdmission]
    undos: list[Undo]
    days: list[DaySeries]
    wrong_clocks: list[WrongClock]
    # ticket -> its first standing admission, its last exit: read again by the attendee list
    first_admission: dict[str, Mark] = field(repr=False)
    last_exit: dict[str, Mark] = field(repr=False)
    inside_now: frozenset[str] = field(repr=False)
    local: WallClock = field(repr=False)  # a moment as a naive wall time in the event's zone
    breakdowns: Breakdowns = field(default_factory=Breakdowns)  # by door, reason, operator

    @property
    def passages(self) -> dict[str, tuple[Mark | None, Mark | None]]:
        """Ticket -> (first admission, last exit), for every ticket with either."""
        first, last = self.first_admission, self.last_exit
        return {t: (first.get(t), last.get(t)) for t in first | last}

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.event.timezone)

    def entries(self) -> Iterable[EntryRow]:
        return self.source.entries()

    def tickets(self) -> Iterable[TicketRow]:
        return self.source.tickets()

    def summary_only(self) -> Report:
        """The summary, charts and conflicts without the rows or the per-ticket passages: what
        the PDF draws, small and free of the source's connection, so it can go to another
        process."""
        return replace(
            self,
            source=NoRows(self.event),
            first_admission={},
            last_exit={},
            inside_now=frozenset(),
        )


@dataclass(frozen=True)
class NoRows:
    """The source of a summary-only report: its rows stayed with the report it came from."""

    info: EventInfo

    def event(self) -> EventInfo:
        return self.info

    def tickets(self) -> Iterable[TicketRow]:
        raise LookupError("a summary-only report carries no tickets")

    def entries(self) -> Iterable[EntryRow]:
        raise LookupError("a summary-only report carries no journal entries")


Progress = Callable[[int, int | None], None]  # (journal entries read, total if known)
PROGRESS_EVERY = 5000


def build_report(
    source: ReportSource,
    generated_at: datetime,
    options: Options | None = None,
    progress: Progress | None = None,
) -> Report:
    journal = JournalPass(source.event())
    for _entry in journal.read(source.entries(), progress):
        pass
    return journal.finish(source, generated_at, options or Options())


class JournalPass:
    """Everything the summary needs, gathered entry by entry in scan order."""

    def __init__(self, event: EventInfo) -> None:
        self.event = event
        self.zone = ZoneInfo(event.timezone)
        self.clock = WallClock(self.zone)
        self.multi_day = bool(event.days)
        self.totals = Totals()
        self.doors: dict[str, DoorCount] = {}
        self.door_people: dict[str, set[str]] = defaultdict(set)
        self.refused: Counter[str] = Counter()
        self.types: dict[str, str] = {}  # ticket -> type, from the entries
        self.first: dict[str, Mark] = {}
        self.last_exit: dict[str, Mark] = {}
        self.latest: dict[str, Mark] = {}  # ticket -> latest standing admission, if still in
        self.annulled: dict[str, tuple[Mark, str]] = {}
        self.covering: dict[tuple[str, int | None], Mark] = {}  # conflict scope -> admission
        self.conflicts: list[Conflict] = []
        self.hand: list[HandAdmission] = []
        self.undos: list[Undo] = []
        self.pending_undos: list[tuple[EntryRow, datetime]] = []
        self.charts: dict[date, _DayChart] = {}
        self.wrong_clocks: dict[str, WrongClock] = {}
        self.last_day: int | None = None
        self.tickets_counted = False
        self.breakdowns = Breakdowns()

    def read(self, entries: Iterable[EntryRow], progress: Progress | None) -> Iterator[EntryRow]:
        """The entries, counted on their way through (a writer may list them meanwhile)."""
        for number, entry in enumerate(entries, start=1):
            self.add(entry)
            if progress is not None and number % PROGRESS_EVERY == 0:
                progress(number, None)
            yield entry

    def door(self, name: str) -> DoorCount:
        count = self.doors.get(name)
        if count is None:
            count = self.doors[name] = DoorCount(name)
        return count

    def add(self, entry: EntryRow) -> None:
        self.totals.entries += 1
        self.breakdowns.add(entry)
        at = entry.scanned_at
        at = at if at.tzinfo is UTC else at.astimezone(UTC)
        door = self.doors.get(entry.door) or self.door(entry.door)
        if entry.ticket_id and entry.ticket_type:
            self.types[entry.ticket_id] = entry.ticket_type
        if entry.received_at is not None:
            self._clock(entry, at, entry.received_at)
        if entry.kind == "undo":
            self.totals.undos += 1
            door.undos += 1
            self.pending_undos.append((entry, at))  # the entry it names may come later
            return
        if entry.outcome == "rejected":
            self.totals.refused += 1
            door.refused += 1
            self.refused[entry.reason] += 1
            return
        if entry.ticket_id is None:
            return
        mark = Mark(entry.entry_id, at, entry.door, entry.device_id, entry.day, entry.device_name)
        by_hand = entry.by_hand
        if by_hand:
            self.hand.append(
                HandAdmission(
                    at,
                    entry.door,
                    entry.operator,
                    entry.ticket_id,
                    entry.holder_name,
                    entry.note,
                    entry.annulled,
                )
            )
        if entry.annulled:
            self.annulled[entry.entry_id] = (mark, entry.outcome)
            return
        if entry.outcome == "admitted":
            self._admission(entry, entry.ticket_id, mark, door, by_hand)
        elif entry.outcome == "exited":
            self._exit(entry.ticket_id, mark, door)

    def _admission(
        self, entry: EntryRow, ticket: str, mark: Mark, door: DoorCount, by_hand: bool
    ) -> None:
        self.totals.admissions += 1
        door.admissions += 1
        if by_hand:
            self.totals.by_hand += 1
            door.by_hand += 1
        self.door_people[entry.door].add(ticket)
        self.first.setdefault(ticket, mark)
        self.latest[ticket] = mark
        if mark.day is not None and (self.last_day is None or mark.day > self.last_day):
            self.last_day = mark.day
        scope = (ticket, mark.day if self.multi_day else None)
        covering = self.covering.get(scope)
        if covering is None:
            self.covering[scope] = mark
        else:
            self.conflicts.append(
                Conflict(ticket, entry.ticket_type, entry.holder_name, scope[1], covering, mark)
            )
        local = self.clock(mark.at)
        self._chart(mark, local).admit(ticket, mark.door, local)

    def _exit(self, ticket: str, mark: Mark, door: DoorCount) -> None:
        self.totals.exits += 1
        door.exits += 1
        self.last_exit[ticket] = mark
        self.latest.pop(ticket, None)
        if self.event.reentry:
            self.covering.pop((ticket, mark.day if self.multi_day else None), None)
        local = self.clock(mark.at)
        self._chart(mark, local).leave(ticket, local)

    def _clock(self, entry: EntryRow, at: datetime, received: datetime) -> None:
        ahead = ahead_of_receipt(at, received)
        if ahead is None:
            return
        known = self.wrong_clocks.get(entry.device_id)
        if known is None:
            received = received.astimezone(UTC)
            self.wrong_clocks[entry.device_id] = WrongClock(
                entry.device_id, entry.device_name, 1, ahead, received
            )
            return
        known.entries += 1
        known.ahead = max(known.ahead, ahead)
        known.first_received = min(known.first_received, received.astimezone(UTC))

    def _chart(self, mark: Mark, local: datetime) -> _DayChart:
        """The chart of the mark's event day (`local`: its wall time in the event's zone)."""
        on = self.event.days.get(mark.day) if mark.day is not None else None
        key = on or local.date()
        chart = self.charts.get(key)
        if chart is None:
            chart = self.charts[key] = _DayChart(mark.day, key)
        return chart

    def finish(self, source: ReportSource, generated_at: datetime, options: Options) -> Report:
        report = self.standing(source, generated_at, options)
        for _ticket in self.count_tickets(report, source.tickets()):
            pass
        return report

    def standing(self, source: ReportSource, generated_at: datetime, options: Options) -> Report:
        """All the journal tells. The ticket counts (by type, expected, no-shows) are left
        empty for count_tickets, so the attendee list can count the tickets as it lists them."""
        inside = frozenset(
            ticket
            for ticket, mark in self.latest.items()
            if not self.multi_day or mark.day == self.last_day
        )
        for ticket in inside:
            self.door(self.latest[ticket].door).inside += 1
        for door, people in self.door_people.items():
            self.door(door).people = len(people)
        totals = self.totals
        totals.admitted = len(self.first)
        totals.inside = len(inside)
        totals.conflicts = len(self.conflicts)
        return Report(
            event=self.event,
            generated_at=generated_at.astimezone(UTC),
            options=options,
            source=source,
            totals=totals,
            by_type=[],
            by_door=sorted(self.doors.values(), key=lambda d: d.door),
            refused_by_reason=sorted(self.refused.items(), key=lambda rc: (-rc[1], rc[0])),
            conflicts=self.conflicts,
            hand_admissions=self.hand,
            undos=[self._undo(entry, at) for entry, at in self.pending_undos],
            days=[self.charts[d].series() for d in sorted(self.charts)],
            wrong_clocks=sorted(self.wrong_clocks.values(), key=lambda c: c.device_id),
            first_admission=self.first,
            last_exit=self.last_exit,
            inside_now=inside,
            local=self.clock,
            breakdowns=self.breakdowns,
        )

    def count_tickets(self, report: Report, tickets: Iterable[TicketRow]) -> Iterator[TicketRow]:
        """The tickets, counted on their way through; the report gets the counts when the last
        one has passed (a pass cut short leaves it as it was)."""
        rows = {t: TypeCount(t, name) for t, name in self.event.ticket_types.items()}
        count = expected = no_shows = 0
        for ticket in tickets:
            count += 1
            self.types[ticket.ticket_id] = ticket.ticket_type
            row = rows.get(ticket.ticket_type)
            if row is None:
                row = rows[ticket.ticket_type] = TypeCount(ticket.ticket_type, ticket.ticket_type)
            if ticket.status == "valid":
                row.expected += 1
                expected += 1
                if ticket.ticket_id not in self.first:
                    row.no_shows += 1
                    no_shows += 1
            yield ticket
        for ticket_id in self.first:
            kind = self.types.get(ticket_id, "")
            row = rows.get(kind)
            if row is None:  # admitted by signature, not on the list
                row = rows[kind] = TypeCount(kind, kind or "not on the list")
            row.admitted += 1
        for ticket_id in report.inside_now:
            row = rows.get(self.types.get(ticket_id, ""))
            if row is not None:
                row.inside += 1
        report.by_type = sorted(rows.values(), key=lambda r: (r.ticket_type == "", r.ticket_type))
        totals = report.totals
        totals.tickets, totals.expected, totals.no_shows = count, expected, no_shows
        self.tickets_counted = True

    def _undo(self, entry: EntryRow, at: datetime) -> Undo:
        undone = self.annulled.get(entry.annuls or "")
        return Undo(
            at, entry.door, entry.operator, entry.note, entry.ticket_id, entry.holder_name,
            undone[0] if undone else None, undone[1] if undone else entry.outcome,
        )  # fmt: skip


class _DayChart:
    """Counts by the quarter hour of the (naive, event zone) wall times it is given."""

    def __init__(self, day: int | None, on: date) -> None:
        self.day = day
        self.date = on
        self.inside_set: set[str] = set()
        self.admissions: dict[str, Counter[datetime]] = defaultdict(Counter)
        self.inside_at: dict[datetime, int] = {}

    def admit(self, ticket: str, door: str, local: datetime) -> None:
        start = quarter_hour(local)
        self.admissions[door][start] += 1
        self.inside_set.add(ticket)
        self.inside_at[start] = len(self.inside_set)

    def leave(self, ticket: str, local: datetime) -> None:
        self.inside_set.discard(ticket)
        self.inside_at[quarter_hour(local)] = len(self.inside_set)

    def series(self) -> DaySeries:
        first, last = min(self.inside_at), max(self.inside_at)
        starts = []
        moment = first
        while moment <= last:
            starts.append(moment)
            moment += BUCKET
        inside, current = [], 0
        for start in starts:
            current = self.inside_at.get(start, current)
            inside.append(current)
        admissions = {
            door: [counts.get(s, 0) for s in starts]
            for door, counts in sorted(self.admissions.items())
        }
        return DaySeries(self.day, self.date, starts, admissions, inside)
