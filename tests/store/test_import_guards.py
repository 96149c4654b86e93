"""A validly signed snapshot is not enough: an older list of the same event and, on an enrolled
door, another event's list are refused with words that say why (nothing changes)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from scanner.app.demo import DemoEvent
from scanner.checkin.reasons import TicketStatus
from scanner.checkin.snapshot_file import SnapshotWriter
from scanner.store.device import Enrolment, save_enrolment
from scanner.store.store import ImportRefused, Store
from tests.cli.run import scanner
from tests.conftest import EVENT_NOW
from tests.store.helpers import db_digest, query, write_lines
from tests.store_jobs import on_writer

DAY = date(2026, 5, 1)


def _snapshot(
    path: Path,
    event: DemoEvent,
    *,
    cursor: str | None,
    hours: float,
    status: str = "valid",
    event_json: dict[str, Any] | None = None,
) -> Path:
    """A snapshot of the demo event made `hours` after EVENT_NOW, its first ticket `status`."""
    writer = SnapshotWriter(event.platform_secret)
    generated = (EVENT_NOW + timedelta(hours=hours)).isoformat()
    lines = [
        writer.header(
            event=event_json or event.event_json(DAY),
            keyring=event.keyring,
            cursor=cursor,
            generated_at=generated,
        )
    ]
    first = replace(event.rows[0], status=TicketStatus(status))
    lines += [writer.record(row.to_snapshot()) for row in [first, *event.rows[1:]]]
    lines.append(writer.end())
    return write_lines(path, lines)


def _status(data_dir: Path, ticket_id: str) -> str:
    return str(query(data_dir, "SELECT status FROM tickets WHERE ticket_id = ?", ticket_id)[0][0])


def test_an_older_snapshot_is_refused_unless_forced(
    capsys: pytest.CaptureFixture[str], data_dir: Path, demo_event: DemoEvent, tmp_path: Path
) -> None:
    ticket_id = demo_event.rows[0].ticket_id
    newer = _snapshot(tmp_path / "new.jsonl", demo_event, cursor="20", hours=2, status="canceled")
    older = _snapshot(tmp_path / "old.jsonl", demo_event, cursor="10", hours=1)
    assert scanner(capsys, data_dir, "import", str(newer)).code == 0
    before = db_digest(data_dir)

    refused = scanner(capsys, data_dir, "import", str(older))
    assert refused.code == 4
    assert "older than the one in use" in refused.err and "--allow-older" in refused.err
    assert "bring back tickets canceled" in refused.err
    assert db_digest(data_dir) == before and _status(data_dir, ticket_id) == "canceled"

    helped = scanner(capsys, None, "import", "--help").out
    assert "--allow-older" in helped and "older than the attendee list in use" in helped
    forced = scanner(capsys, data_dir, "import", str(older), "--allow-older")
    assert forced.code == 0 and _status(data_dir, ticket_id) == "valid"


def test_without_cursors_the_generation_time_decides(
    data_dir: Path, demo_event: DemoEvent, tmp_path: Path
) -> None:
    store = Store(data_dir, synchronous=True)
    try:
        store.import_snapshot_file(
            _snapshot(tmp_path / "a.jsonl", demo_event, cursor=None, hours=3), EVENT_NOW
        )
        with pytest.raises(ImportRefused, match="older than the one in use"):
            store.import_snapshot_file(
                _snapshot(tmp_path / "b.jsonl", demo_event, cursor=None, hours=1), EVENT_NOW
            )
        same = _snapshot(tmp_path / "c.jsonl", demo_event, cursor=None, hours=3)
        assert store.import_snapshot_file(same, EVENT_NOW).tickets == len(demo_event.rows)
    finally:
        store.close()


def _enrol(data_dir: Path, event_id: str) -> None:
    store = Store(data_dir, synchronous=True)
    enrolment = Enrolment("http://127.0.0.1:9", "dev-a", event_id, "north", None, "token")
    on_writer(store, lambda conn: save_enrolment(conn, enrolment))
    store.close()


def test_an_enrolled_door_refuses_another_events_snapshot(
    capsys: pytest.CaptureFixture[str], data_dir: Path, demo_event: DemoEvent, tmp_path: Path
) -> None:
    _enrol(data_dir, demo_event.event_id)
    other = {**demo_event.event_json(DAY), "id": "other-event", "name": "Autumn Fair"}
    path = _snapshot(tmp_path / "b.jsonl", demo_event, cursor="99", hours=5, event_json=other)
    before = db_digest(data_dir)
    refused = scanner(capsys, data_dir, "import", str(path))
    assert refused.code == 4
    assert f"enrolled for event {demo_event.event_id} (Spring Ball (demo))" in refused.err
    assert "the file is for event other-event (Autumn Fair)" in refused.err
    assert db_digest(data_dir) == before
    own = _snapshot(tmp_path / "a.jsonl", demo_event, cursor="99", hours=5)
    assert scanner(capsys, data_dir, "import", str(own)).code == 0


def test_a_door_that_is_not_enrolled_may_switch_events_by_file(
    capsys: pytest.CaptureFixture[str], data_dir: Path, demo_event: DemoEvent, tmp_path: Path
) -> None:
    other = {**demo_event.event_json(DAY), "id": "other-event", "name": "Autumn Fair"}
    path = _snapshot(tmp_path / "b.jsonl", demo_event, cursor="1", hours=5, event_json=other)
    assert scanner(capsys, data_dir, "import", str(path)).code == 0


def test_the_snapshot_carries_the_events_grace(
    data_dir: Path, demo_event: DemoEvent, tmp_path: Path
) -> None:
    event = {**demo_event.event_json(DAY), "grace_before_s": 0, "grace_after_s": 7200}
    path = _snapshot(tmp_path / "g.jsonl", demo_event, cursor="5", hours=4, event_json=event)
    store = Store(data_dir, synchronous=True)
    try:
        store.import_snapshot_file(path, EVENT_NOW)
        policy = store.event_policy()
        assert (policy.grace_before_s, policy.grace_after_s) == (0, 7200)
        bad = {**event, "grace_after_s": -5}
        refused = _snapshot(tmp_path / "b.jsonl", demo_event, cursor="6", hours=5, event_json=bad)
        with pytest.raises(ImportRefused, match="grace_after_s must be seconds"):
            store.import_snapshot_file(refused, EVENT_NOW)
    finally:
        store.close()
