"""The session's import stops when canceled, between batches of lines, and keeps nothing of it:
the whole import is one transaction on the store's writer."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from scanner.app.clock import FixedClock
from scanner.app.demo import DEMO_TIMEZONE, DemoEvent, iter_tickets, write_snapshot
from scanner.app.events import Progress
from scanner.app.session import DoorSession
from scanner.app.tasks import Cancelled
from scanner.reports.writers import Request, default_kind
from tests.conftest import EVENT_NOW

TICKETS = 1_500  # three progress reports (one every 500 lines)
LATECOMER = "Zelda Latecomer"  # only in the newer list


def write_newer_list(event: DemoEvent, folder: Path) -> Path:
    """The same event's list an hour later with many more tickets (the first ones the same),
    the last of them held by LATECOMER."""
    rows = [row for row, _code in iter_tickets(event, TICKETS, seed=7)]
    assert rows[: len(event.rows)] == event.rows
    rows[-1] = replace(rows[-1], holder_name=LATECOMER)
    day = EVENT_NOW.astimezone(ZoneInfo(DEMO_TIMEZONE)).date()
    return write_snapshot(event, folder / "newer.jsonl", day, EVENT_NOW + timedelta(hours=1), rows)


@pytest.fixture(scope="module")
def newer_list(demo_event: DemoEvent, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_newer_list(demo_event, tmp_path_factory.mktemp("newer"))


def tickets(session: DoorSession) -> int:
    """Tickets the door expects (canceled ones are not)."""
    return sum(session.status().expected_by_type.values())


def test_a_cancel_before_the_import_starts_still_counts(
    data_dir: Path, tmp_path: Path, clock: FixedClock, demo_event: DemoEvent, newer_list: Path
) -> None:
    # The jobs worker is busy (a report held at its end): the import waits its turn, and staff
    # cancel it meanwhile. The cancel must not be forgotten when the import's turn comes.
    session = DoorSession(data_dir, clock=clock)
    report_ends = threading.Event()
    held = threading.Event()

    def hold(event: Progress) -> None:
        if event.task == "report" and event.finished:
            held.set()
            report_ends.wait(30)

    session.subscribe(hold, Progress)
    before = tickets(session)
    try:
        report = session.reports.export(
            tmp_path / "report.csv", Request("csv", default_kind("csv"))
        )
        assert held.wait(30)
        imported = session.setup.import_snapshot(newer_list, demo_event.platform_fingerprint)
        session.cancel()
        report_ends.set()
        report.result(timeout=60)
        with pytest.raises(Cancelled):
            imported.result(timeout=60)
        assert tickets(session) == before
        assert session.search(LATECOMER).result(timeout=30) == []
    finally:
        report_ends.set()
        session.close()


def test_the_next_import_after_a_cancel_runs_to_the_end(
    data_dir: Path, clock: FixedClock, demo_event: DemoEvent, newer_list: Path
) -> None:
    session = DoorSession(data_dir, clock=clock, synchronous=True)
    try:
        session.cancel()  # a cancel with nothing running is not kept for the next import
        summary = session.setup.import_snapshot(
            newer_list, demo_event.platform_fingerprint
        ).result()
        assert summary.tickets == TICKETS
        assert tickets(session) > len(demo_event.rows)
    finally:
        session.close()
