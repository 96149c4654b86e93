"""A door's long tasks (an import, an enrolment, a report, a reset) on its jobs thread: each
tells its progress and its end (done, failed or canceled) as `Progress` events, and staff may
cancel the one running."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

from scanner.app.events import EventHub, Progress
from scanner.app.worker import Worker

T = TypeVar("T")
Report = Callable[[int, int | None], None]  # done, total (None while unknown)


class Cancelled(Exception):
    """An import or enrolment download stopped by the user; nothing was imported."""


class Tasks:
    def __init__(self, jobs: Worker, events: EventHub) -> None:
        self.jobs = jobs
        self._events = events
        self._cancel = False

    def cancel(self) -> None:
        """Stop the running task at its next progress report (nothing of it is kept)."""
        self._cancel = True

    def progress(self, task: str) -> Report:
        def report(done: int, total: int | None) -> None:
            if self._cancel:
                raise Cancelled(f"{task} canceled")
            self._events.publish(Progress(task, done, total))

        return report

    def run(self, task: str, job: Callable[[], T], *, cancelable: bool = True) -> Future[T]:
        """`job` on the jobs thread, its failure (or cancel) published as Progress. The cancel
        flag is cleared here, not in the job: a cancel pressed while the job still waits behind
        another one counts."""
        if cancelable:
            self._cancel = False

        def run() -> T:
            try:
                return job()
            except Cancelled as exc:
                self._events.publish(Progress(task, 0, None, True, str(exc), canceled=True))
                raise
            except Exception as exc:
                self._events.publish(Progress(task, 0, None, True, str(exc) or type(exc).__name__))
                raise

        return self.jobs.submit(run)
