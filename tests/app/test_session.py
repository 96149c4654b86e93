"""The door session: non-blocking calls, events to every subscriber, sync woken by scans."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scanner.app.clock import FixedClock
from scanner.app.demo import DemoEvent
from scanner.app.events import (
    CameraState,
    CameraStateChanged,
    CountsChanged,
    EntryUndone,
    SyncStateChanged,
    VerdictCommitted,
)
from scanner.app.session import DoorSession
from scanner.camera.synthetic import SyntheticSource
from scanner.checkin.reasons import TicketStatus
from scanner.store.store import Store
from tests.camera.held_up import HeldUp, blurred_ticket
from tests.store_jobs import read_one, store_of


@pytest.fixture
def session(data_dir: Path, clock: FixedClock) -> Iterator[DoorSession]:
    opened = DoorSession(data_dir, door="Main entrance", operator="tester", clock=clock)
    yield opened
    opened.close()


def valid_code(event: DemoEvent, index: int = 0) -> tuple[str, str]:
    rows = [
        r
        for r in event.rows
        if r.status is TicketStatus.VALID and r.ticket_type == "ga" and not r.flags
    ]
    return rows[index].ticket_id, event.codes[rows[index].ticket_id]


def test_scans_return_at_once_and_every_subscriber_hears_the_verdict(
    session: DoorSession, demo_event: DemoEvent
) -> None:
    ticket, code = valid_code(demo_event)
    heard: list[VerdictCommitted] = []
    also: list[Any] = []
    session.subscribe(heard.append, VerdictCommitted)
    session.subscribe(also.append)
    counted = threading.Event()
    first = session.submit_code(code).result(timeout=30)
    again = session.submit_code(code).result(timeout=30)
    session.subscribe(lambda e: counted.set() if e.status.admitted == 1 else None, CountsChanged)
    session.refresh_counts()  # counts come on the jobs thread, after the verdicts
    assert counted.wait(30)
    assert first.verdict.admitted and first.verdict.ticket_id == ticket
    assert again.verdict.reason == "already_checked_in"
    assert again.verdict.first_admission is not None
    assert again.verdict.first_admission.door == "Main entrance"
    assert heard == [first, again]
    counts = [e for e in also if isinstance(e, CountsChanged)]
    assert counts and counts[-1].status.admitted == 1
    assert session.recent() == [again, first]


def test_counts_are_made_only_when_someone_listens_for_them(
    session: DoorSession, demo_event: DemoEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[object] = []
    count = Store.status
    monkeypatch.setattr(Store, "status", lambda store, now: made.append(now) or count(store, now))
    session.submit_code(valid_code(demo_event, 0)[1]).result(timeout=30)
    assert made == []  # `scanner check`: nobody shows counts, none are made
    counts: list[CountsChanged] = []
    session.subscribe(counts.append, CountsChanged)
    arrived = threading.Event()
    session.subscribe(lambda _e: arrived.set(), CountsChanged)
    session.submit_code(valid_code(demo_event, 1)[1]).result(timeout=30)
    assert arrived.wait(30)  # made on the jobs thread, after the verdict
    assert len(made) == 1 and counts[-1].status.admitted == 2


def test_a_failing_subscriber_is_logged_and_scanning_goes_on(
    session: DoorSession, demo_event: DemoEvent, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(_event: object) -> None:
        raise RuntimeError("a view crashed")

    heard: list[VerdictCommitted] = []
    session.subscribe(broken)
    session.subscribe(heard.append, VerdictCommitted)
    with caplog.at_level(logging.ERROR):
        result = session.submit_code(valid_code(demo_event)[1]).result(timeout=30)
    assert result.verdict.admitted and heard == [result]
    assert "a subscriber failed" in caplog.text


def test_hand_admission_keeps_the_reason_and_undo_annuls(
    session: DoorSession, demo_event: DemoEvent
) -> None:
    ticket, _code = valid_code(demo_event, 1)
    undone: list[EntryUndone] = []
    session.subscribe(undone.append, EntryUndone)
    admitted = session.admit_by_hand(ticket, "phone battery dead").result(timeout=30)
    assert admitted.verdict.admitted and admitted.note == "phone battery dead"
    note = read_one(store_of(session), "SELECT note FROM journal WHERE id = ?", admitted.entry_id)
    assert note == "phone battery dead"
    result = session.undo(admitted.entry_id, "wrong person").result(timeout=30)
    assert undone == [result] and result.annuls == admitted.entry_id
    assert session.counts() is not None and session.counts().admitted == 0  # type: ignore[union-attr]
    again = session.admit_by_hand(ticket, "right person now").result(timeout=30)
    assert again.verdict.admitted


def test_search_runs_in_the_background_and_ignores_accents(
    session: DoorSession, demo_event: DemoEvent
) -> None:
    row = next(r for r in demo_event.rows if "ü" in r.holder_name or "é" in r.holder_name)
    plain = row.holder_name.replace("ü", "u").replace("é", "e").split()[0]
    hits = session.search(plain).result(timeout=30)
    assert row.ticket_id in {h.ticket_id for h in hits}


def test_wedge_keys_become_one_scan(session: DoorSession, demo_event: DemoEvent) -> None:
    heard: list[VerdictCommitted] = []
    session.subscribe(heard.append, VerdictCommitted)
    _ticket, code = valid_code(demo_event, 2)
    at = 1000.0
    for key in code:
        assert not session.feed_key(key, at)
        at += 0.004
    assert session.feed_key("Enter", at)
    session.drain()
    assert [e.source for e in heard] == ["wedge"] and heard[0].verdict.admitted


def test_exit_mode_and_door_are_kept_in_the_store(
    data_dir: Path, clock: FixedClock, demo_event: DemoEvent
) -> None:
    first = DoorSession(data_dir, clock=clock, synchronous=True)
    first.configure(door="Backstage", exit=True, operator="Kim")
    first.close()
    second = DoorSession(data_dir, clock=clock, synchronous=True)
    try:
        assert second.exit_mode and second.settings.door == "Backstage"
        assert second.settings.operator == "Kim"
        result = second.submit_code(valid_code(demo_event)[1]).result()
        assert result.verdict.outcome == "exited"
    finally:
        second.close()


def test_camera_codes_reach_the_door_and_a_lost_camera_says_so(
    data_dir: Path, clock: FixedClock, demo_event: DemoEvent
) -> None:
    session = DoorSession(data_dir, clock=clock, synchronous=True)
    states: list[CameraStateChanged] = []
    heard: list[VerdictCommitted] = []
    session.subscribe(states.append, CameraStateChanged)
    session.subscribe(heard.append, VerdictCommitted)
    code = valid_code(demo_event, 3)[1]
    source = Flaky(SyntheticSource([code], paced=False, options="hold=4,gap=2"))
    try:
        session.camera.open(source)
        for _ in range(4):
            session.camera.step()
        assert [e.verdict.admitted for e in heard] == [True]
        assert session.camera.preview() is not None
        source.broken = True
        session.camera.step()
        session.camera.step()
        source.broken = False
        session.camera.step()
    finally:
        session.close()
    assert [s.state for s in states] == [
        CameraState.RUNNING,
        CameraState.LOST,
        CameraState.RECONNECTING,
        CameraState.RUNNING,
        CameraState.NONE,
    ]


class Flaky:
    """A live source that can be unplugged."""

    live = True

    def __init__(self, inner: SyntheticSource) -> None:
        self.inner = inner
        self.name = "flaky"
        self.finished = False
        self.broken = False

    def read(self) -> Any:
        return None if self.broken else self.inner.read()

    def close(self) -> None:
        self.inner.close()


def test_an_unknown_camera_leaves_the_door_working(session: DoorSession) -> None:
    state = session.camera.open("/dev/video-none-here")
    assert state.state is CameraState.NONE and "no camera" in state.message


def test_sync_state_reaches_subscribers_when_not_enrolled(session: DoorSession) -> None:
    heard: list[SyncStateChanged] = []
    got = threading.Event()
    session.subscribe(lambda e: (heard.append(e), got.set()), SyncStateChanged)
    session.start()
    assert got.wait(30)
    assert heard[0].state.link == "not_enrolled" and heard[0].offline_since is None


def test_the_doors_camera_reads_a_hard_ticket_on_its_second_frame_and_afresh_on_a_new_camera(
    data_dir: Path, clock: FixedClock
) -> None:
    """The door decodes with the cascade that spends its retries across frames (the one-frame
    cascade would climb its whole ladder on the first frame), and each camera has its own: a
    ticket just read on one camera is read as promptly on the next."""
    ticket = blurred_ticket()
    session = DoorSession(data_dir, clock=clock, synchronous=True)
    heard: list[VerdictCommitted] = []
    session.subscribe(heard.append, VerdictCommitted)
    try:
        for camera in ("front", "side"):
            session.camera.open(HeldUp(ticket.image, 30, camera))
            session.camera.step()
            before = len(heard)
            session.camera.step()
            assert len(heard) == before + 1, camera
    finally:
        session.close()
    assert len(heard) == 2
