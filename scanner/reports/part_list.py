"""Every part of a report, in the order a workbook lists them, by key."""

from __future__ import annotations

from collections.abc import Callable

from scanner.reports import detail_parts as D
from scanner.reports import parts as P
from scanner.reports.model import Report

MAKERS: dict[str, Callable[[Report], P.Part]] = {
    "summary": P.summary,
    "arrivals": P.arrivals,
    "peaks": D.peaks,
    "doors": D.doors_and_operators,
    "scan-log": P.scan_log,
    "attendees": P.attendees,
    "no-shows": D.no_shows,
    "conflicts": P.conflicts,
}
PARTS = tuple(MAKERS)


def parts(report: Report, keys: tuple[str, ...] = PARTS) -> list[P.Part]:
    return [MAKERS[key](report) for key in keys]
