"""The report's parts as tables of cells, the one shape every writer takes.

A cell is text, a whole number, a naive datetime (a wall time: the event's zone, or UTC where
the column says so) or None. Big tables (scan log, attendees) are generators over the source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from operator import itemgetter
from zoneinfo import ZoneInfo

from scanner.checkin.clock_trust import clock_wrong_words
from scanner.checkin.reasons import REASON_TEXT, Reason
from scanner.checkin.records import FLAG_TEXT
from scanner.reports.model import Mark, Options, Report, WrongClock
from scanner.reports.rows import EntryRow, EventInfo, TicketRow
from scanner.reports.wall_clock import WallClock

Cell = str | int | datetime | None


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = "text"  # text, int, datetime


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[Column, ...]
    rows: Callable[[], Iterator[tuple[Cell, ...]]]


@dataclass(frozen=True)
class Part:
    """One sheet (XLSX), one file (CSV): a list of tables, most parts hold one."""

    key: str
    title: str
    tables: tuple[Table, ...]


@lru_cache(maxsize=256)  # a few codes, looked up once per journal entry
def reason_words(code: str) -> str:
    try:
        return REASON_TEXT[Reason(code)]
    except ValueError:
        return FLAG_TEXT.get(code, code)


RESULT_WORDS = {"admitted": "admitted", "rejected": "refused", "exited": "exit"}


def _table(title: str, columns: list[tuple[str, str]], rows: list[tuple[Cell, ...]]) -> Table:
    return Table(title, tuple(Column(t, k) for t, k in columns), lambda: iter(rows))


def summary(report: Report) -> Part:
    t = report.totals
    name = report.options.names
    totals = [
        ("Expected (valid tickets)", t.expected),
        ("Admitted (unique people)", t.admitted),
        ("No-shows", t.no_shows),
        ("Inside now", t.inside),
        ("Admissions (standing scans)", t.admissions),
        ("Exits", t.exits),
        ("Refused scans", t.refused),
        ("Conflicts (double admissions)", t.conflicts),
        ("Admissions by hand", t.by_hand),
        ("Undos", t.undos),
        ("Journal entries", t.entries),
    ]
    local = report.local
    tables = [
        _table("Totals", [("Figure", "text"), ("Count", "int")], list(totals)),
        _table(
            "By ticket type",
            [
                ("Type", "text"),
                ("Name", "text"),
                ("Expected", "int"),
                ("Admitted", "int"),
                ("No-shows", "int"),
                ("Inside now", "int"),
            ],
            [
                (r.ticket_type, r.name, r.expected, r.admitted, r.no_shows, r.inside)
                for r in report.by_type
            ],
        ),
        _table(
            "By door",
            [
                ("Door", "text"),
                ("Admissions", "int"),
                ("People", "int"),
                ("Exits", "int"),
                ("Refused", "int"),
                ("Inside now", "int"),
                ("By hand", "int"),
                ("Undos", "int"),
            ],
            [
                (d.door, d.admissions, d.people, d.exits, d.refused, d.inside, d.by_hand, d.undos)
                for d in report.by_door
            ],
        ),
        _table(
            "Refused scans by reason",
            [("Reason", "text"), ("Code", "text"), ("Count", "int")],
            [(reason_words(code), code, n) for code, n in report.refused_by_reason],
        ),
        _table(
            "Admissions by hand",
            [("Time", "datetime"), ("Door", "text"), ("Operator", "text"), ("Ticket", "text")]
            + ([("Holder", "text")] if name else [])
            + [("Note", "text"), ("Undone", "text")],
            [
                (local(h.at), h.door, h.operator, h.ticket_id)
                + ((h.holder_name,) if name else ())
                + (h.note, "yes" if h.annulled else "")
                for h in report.hand_admissions
            ],
        ),
        _table(
            "Undos",
            [
                ("Time", "datetime"),
                ("Door", "text"),
                ("Operator", "text"),
                ("Why", "text"),
                ("Ticket", "text"),
            ]
            + ([("Holder", "text")] if name else [])
            + [("Undid", "text"), ("Undone entry's time", "datetime"), ("Undone at door", "text")],
            [
                (local(u.at), u.door, u.operator, u.why, u.ticket_id)
                + ((u.holder_name,) if name else ())
                + (
                    RESULT_WORDS.get(u.undone_outcome, u.undone_outcome),
                    local(u.undone.at) if u.undone else None,
                    u.undone.door if u.undone else None,
                )
                for u in report.undos
            ],
        ),
        _table(
            "Clock wrong on device",
            [
                ("Device", "text"),
                ("Device name", "text"),
                ("Entries", "int"),
                ("Scan time ahead of receipt by up to (min)", "int"),
                ("First received", "datetime"),
                ("Problem", "text"),
            ],
            [_wrong_clock_row(c, local) for c in report.wrong_clocks],
        ),
    ]
    return Part("summary", "Summary", tuple(tables))


def _wrong_clock_row(clock: WrongClock, local: WallClock) -> tuple[Cell, ...]:
    minutes = round(clock.ahead.total_seconds() / 60)
    device = clock.device_name or clock.device_id
    words = clock_wrong_words(device, clock.ahead)
    return (
        clock.device_id,
        clock.device_name,
        clock.entries,
        minutes,
        local(clock.first_received),
        words,
    )


def arrivals(report: Report) -> Part:
    """The charts' numbers: one row per 15 minutes per event day."""
    doors = sorted({door for day in report.days for door in day.admissions})
    columns = [("Event day", "text"), ("From", "datetime")]
    columns += [(f"Admissions at {door}", "int") for door in doors] + [("Inside", "int")]

    def rows() -> Iterator[tuple[Cell, ...]]:
        for day in report.days:
            label = day_label(day.day, day.date.isoformat())
            for i, start in enumerate(day.starts):
                counts = tuple(day.admissions.get(door, [0] * len(day.starts))[i] for door in doors)
                yield (label, start, *counts, day.inside[i])

    table = Table("Admissions per 15 minutes", tuple(Column(t, k) for t, k in columns), rows)
    return Part("arrivals", "Arrivals", (table,))


def day_label(day: int | None, on: str) -> str:
    return f"Day {day} ({on})" if day is not None else on


def scan_log(report: Report) -> Part:
    return scan_log_part(report.event, report.options, report.entries)


def scan_log_part(
    event: EventInfo, options: Options, entries: Callable[[], Iterable[EntryRow]]
) -> Part:
    """The scan log needs no summary: it can be written while the summary is being counted."""
    types = event.ticket_types
    local, utc = WallClock(ZoneInfo(event.timezone)), WallClock(UTC)
    columns = [
        ("Time", "datetime"), ("Time (UTC)", "datetime"), ("Door", "text"),
        ("Check-in list", "text"), ("Direction", "text"), ("Result", "text"), ("Reason", "text"),
        ("Ticket", "text"), ("Order", "text"), ("Ticket type", "text"), ("Holder", "text"),
        ("Device", "text"), ("Device name", "text"), ("Decided offline", "text"),
        ("Operator", "text"),
        ("Received by server", "datetime"), ("Undone", "text"), ("Note", "text"),
        ("Entry id", "text"),
    ]  # fmt: skip

    def rows() -> Iterator[tuple[Cell, ...]]:
        for e in entries():
            at = e.scanned_at
            received = e.received_at
            yield (
                local(at), utc(at), e.door, e.checkin_list, e.direction,
                _result(e), _reason(e), e.ticket_id,
                e.order_code, types.get(e.ticket_type or "", e.ticket_type), e.holder_name,
                e.device_id, e.device_name, _yes_no(e.offline), e.operator,
                local(received) if received else None,
                "yes" if e.annulled else "", e.note, e.entry_id,
            )  # fmt: skip

    table = _private_table("Scan log", columns, rows, options)
    return Part("scan-log", "Scan log", (table,))


def _private_table(
    title: str,
    columns: list[tuple[str, str]],
    rows: Callable[[], Iterator[tuple[Cell, ...]]],
    options: Options,
) -> Table:
    """A big table whose rows are made whole (one tuple display each, the cheapest way), then
    cut by an itemgetter when the organizer leaves names ("Holder") or e-mail ("E-mail") out."""
    left_out = {"Holder"} if not options.names else set()
    left_out |= {"E-mail"} if not options.emails else set()
    kept = [i for i, (name, _kind) in enumerate(columns) if name not in left_out]
    table_columns = tuple(Column(columns[i][0], columns[i][1]) for i in kept)
    if len(kept) == len(columns):
        return Table(title, table_columns, rows)
    wanted = itemgetter(*kept)
    return Table(title, table_columns, lambda: map(wanted, rows()))


def _result(entry: EntryRow) -> str:
    if entry.kind == "undo":
        return "undo of " + RESULT_WORDS.get(entry.outcome, entry.outcome)
    return RESULT_WORDS.get(entry.outcome, entry.outcome)


def _reason(entry: EntryRow) -> str | None:
    """Why a scan was refused (or let in by an exception); nothing for a plain admission or
    exit: "Welcome" is what the door says, not a reason."""
    if entry.kind != "scan":
        return entry.note
    return None if entry.reason == "ok" else reason_words(entry.reason)


def _yes_no(flag: bool | None) -> str:
    return "" if flag is None else "yes" if flag else "no"


def attendees(report: Report, tickets: Callable[[], Iterable[TicketRow]] | None = None) -> Part:
    """Every ticket, from the report's source unless `tickets` gives them (counted meanwhile)."""
    types = report.event.ticket_types
    listed = tickets or report.tickets
    columns = [
        ("Ticket", "text"), ("Order", "text"), ("Ticket type", "text"), ("Status", "text"),
        ("Holder", "text"), ("E-mail", "text"), ("Checked in", "text"),
        ("First admission", "datetime"), ("First door", "text"), ("Last exit", "datetime"),
        ("Inside now", "text"),
    ]  # fmt: skip

    def rows() -> Iterator[tuple[Cell, ...]]:
        local, inside = report.local, report.inside_now
        firsts, exits = report.first_admission, report.last_exit
        for t in listed():
            first, last_exit = firsts.get(t.ticket_id), exits.get(t.ticket_id)
            yield (
                t.ticket_id, t.order_code, types.get(t.ticket_type, t.ticket_type), t.status,
                t.holder_name, t.email, "yes" if first else "no",
                local(first.at) if first else None, first.door if first else None,
                local(last_exit.at) if last_exit else None,
                "yes" if t.ticket_id in inside else "",
            )  # fmt: skip

    return Part(
        "attendees", "Attendees", (_private_table("Attendees", columns, rows, report.options),)
    )


def conflicts(report: Report) -> Part:
    names = report.options.names
    columns = [("Ticket", "text"), ("Ticket type", "text")]
    columns += [("Holder", "text")] if names else []
    columns += [("Event day", "int")]
    for which in ("First", "Second"):
        columns += [
            (f"{which} admission", "datetime"), (f"{which} door", "text"),
            (f"{which} device name", "text"), (f"{which} device", "text"),
            (f"{which} entry id", "text"),
        ]  # fmt: skip

    def side(mark: Mark) -> tuple[Cell, ...]:
        return (report.local(mark.at), mark.door, mark.device_name, mark.device_id, mark.entry_id)

    types = report.event.ticket_types
    rows: list[tuple[Cell, ...]] = [
        (c.ticket_id, types.get(c.ticket_type or "", c.ticket_type))
        + ((c.holder_name,) if names else ())
        + (c.day, *side(c.first), *side(c.second))
        for c in report.conflicts
    ]
    return Part("conflicts", "Conflicts", (_table("Conflicts", columns, rows),))
