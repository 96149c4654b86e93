"""`scanner report`: what this door knows, as an organizer's report (CSV, XLSX or PDF).

For air-gapped venues: the door's journal plus the other doors' passages it synced.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from scanner.reports.model import Options, Progress, Report, build_report
from scanner.reports.rows import EntryRow, EventInfo, TicketRow
from scanner.reports.writers import Request, produce_file
from scanner.store.store import Store


class DoorReportSource:
    """The report's rows, read from the door's data file (each call streams afresh)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._event: EventInfo | None = None

    def event(self) -> EventInfo:
        if self._event is None:
            self._event = self.store.report_event()
        return self._event

    def tickets(self) -> Iterable[TicketRow]:
        yield from self.store.report_tickets(self.event().event_id)

    def entries(self) -> Iterable[EntryRow]:
        yield from self.store.report_entries(self.event().event_id)


def door_report(
    store: Store, now: datetime, options: Options | None = None, progress: Progress | None = None
) -> Report:
    return build_report(DoorReportSource(store), now, options, progress)


def write_door_report(
    store: Store,
    out: Path,
    fmt: str,
    now: datetime,
    *,
    kind: str = "full",
    options: Options | None = None,
    delimiter: str = ",",
    progress: Progress | None = None,
) -> Report | None:
    """None when the request needed no summary (a CSV scan log)."""
    request = Request(fmt, kind, options or Options(), delimiter)
    return produce_file(DoorReportSource(store), now, request, out, progress)
