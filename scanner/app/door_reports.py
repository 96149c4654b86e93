"""The door's reports, a part of the door session: this door's report (docs/reports.md) written
off the caller's thread, with `Progress` events ("report") and staff's cancel."""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

from scanner.app.clock import Clock
from scanner.app.events import EventHub, Progress
from scanner.app.tasks import Tasks
from scanner.store.store import Store

if TYPE_CHECKING:  # the report model is loaded when a report is asked for
    from scanner.reports.model import Report
    from scanner.reports.writers import Request


class DoorReports:
    def __init__(self, store: Store, events: EventHub, tasks: Tasks, clock: Clock) -> None:
        self._store = store
        self._events = events
        self._tasks = tasks
        self._clock = clock

    def export(self, path: Path, request: Request) -> Future[Report | None]:
        """Write the report `request` asks for to `path`; None when it needed no summary (a
        CSV scan log)."""
        from scanner.app.reporting import write_door_report

        def job() -> Report | None:
            report = write_door_report(
                self._store,
                path,
                request.fmt,
                self._clock.now(),
                kind=request.kind,
                options=request.options,
                delimiter=request.delimiter,
                progress=self._tasks.progress("report"),
            )
            done = report.totals.entries if report else 0
            self._events.publish(Progress("report", done, done, True))
            return report

        return self._tasks.run("report", job)
