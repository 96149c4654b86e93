"""The parts organizers chase things with: the no-show list, the peaks, and refusals, operators
and offline decisions by door. Tables of cells like every other part (parts.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime

from scanner.reports.model import Report
from scanner.reports.parts import (
    Cell,
    Part,
    _private_table,
    _table,
    day_label,
    reason_words,
)


def no_shows(report: Report) -> Part:
    """Valid tickets never admitted: whom to chase. E-mail only when the organizer asks."""
    types = report.event.ticket_types
    columns = [
        ("Holder", "text"), ("E-mail", "text"), ("Order", "text"), ("Ticket type", "text"),
        ("Ticket", "text"),
    ]  # fmt: skip

    def rows() -> Iterator[tuple[Cell, ...]]:
        admitted = report.first_admission
        for t in report.tickets():
            if t.status == "valid" and t.ticket_id not in admitted:
                yield (
                    t.holder_name, t.email, t.order_code, types.get(t.ticket_type, t.ticket_type),
                    t.ticket_id,
                )  # fmt: skip

    return Part(
        "no-shows", "No-shows", (_private_table("No-shows", columns, rows, report.options),)
    )


def peaks(report: Report) -> Part:
    """Admissions per hour (all doors), and each door's busiest quarter hour."""
    hours: list[tuple[Cell, ...]] = []
    busiest: dict[str, tuple[int, datetime, str]] = {}
    for day in report.days:
        label = day_label(day.day, day.date.isoformat())
        per_hour: Counter[datetime] = Counter()
        for door, counts in day.admissions.items():
            for start, n in zip(day.starts, counts, strict=True):
                per_hour[start.replace(minute=0)] += n
                best = busiest.get(door)
                if n and (best is None or n > best[0]):
                    busiest[door] = (n, start, label)
        hours += [(label, hour, per_hour[hour]) for hour in sorted(per_hour)]
    tables = (
        _table(
            "Admissions per hour",
            [("Event day", "text"), ("Hour from", "datetime"), ("Admissions", "int")],
            hours,
        ),
        _table(
            "Busiest quarter hour per door",
            [("Door", "text"), ("Event day", "text"), ("From", "datetime"), ("Admissions", "int")],
            [(door, label, start, n) for door, (n, start, label) in sorted(busiest.items())],
        ),
    )
    return Part("peaks", "Peaks", tables)


def doors_and_operators(report: Report) -> Part:
    b = report.breakdowns
    tables = (
        _table(
            "Refused scans by door and reason",
            [("Door", "text"), ("Reason", "text"), ("Code", "text"), ("Count", "int")],
            [
                (door, reason_words(code), code, n)
                for (door, code), n in sorted(b.refused.items(), key=lambda i: (i[0][0], -i[1]))
            ],
        ),
        _table(
            "By operator",
            [
                ("Operator", "text"),
                ("Admissions", "int"),
                ("Exits", "int"),
                ("Refused", "int"),
                ("By hand", "int"),
                ("Undos", "int"),
            ],
            [
                (
                    o.operator or "(none recorded)",
                    o.admissions,
                    o.exits,
                    o.refused,
                    o.by_hand,
                    o.undos,
                )
                for o in sorted(b.operators.values(), key=lambda o: o.operator)
            ],
        ),
        _table(
            "Scans decided offline (as the doors recorded)",
            [
                ("Door", "text"),
                ("Scans", "int"),
                ("Decided offline", "int"),
                ("Not recorded", "int"),
            ],
            [
                (d.door, d.scans, d.offline, d.unknown)
                for d in sorted(b.offline.values(), key=lambda d: d.door)
            ],
        ),
    )
    return Part("doors", "Doors and operators", tables)
