"""`scanner-server import-journal` checks what it imports (issue 13 item 6, issue 9 item 9)."""

from __future__ import annotations

import json
import tracemalloc
import uuid
from pathlib import Path
from typing import Any

import pytest

from server_stub.cli import main
from server_stub.db import Database, open_database
from server_stub.models import Event
from server_stub.services.devices import create_enrollment_code, enroll
from server_stub.services.journal import import_journal
from tests.server.helpers import Cli
from tests.server.test_cli import make_event


def _entry(ticket: str, n: int, **extra: Any) -> dict[str, Any]:
    return {
        "k": "entry", "id": str(uuid.uuid4()), "device_seq": n, "ticket_id": ticket,
        "format": "TK1", "direction": "entry", "outcome": "admitted", "reason": "ok",
        "door": "north", "scanned_at": f"2025-06-01T19:{n % 60:02d}:00+02:00", **extra,
    }  # fmt: skip


def _write(path: Path, lines: list[Any]) -> Path:
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines))
    return path


def _run(cli: Cli, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any]:
    capsys.readouterr()
    status = main(["import-journal", *args, "--db", cli.db, "--json"])
    return status, json.loads(capsys.readouterr().out or "null")


def test_bad_lines_are_reported_and_good_ones_imported(
    cli: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    event = make_event(cli)
    header = {"k": "journal", "device_id": "offline-1", "event_id": event}
    lines = [
        header,
        _entry("t1", 1),
        "{not json",
        _entry(" evil", 2),  # an id the scanner would refuse
        "",
        _entry("t2", 3, scanned_at=1748797200),
        _entry("t3", 4),
    ]
    status, report = _run(cli, capsys, event, str(_write(tmp_path / "j.jsonl", lines)))
    assert status == 1
    assert report["accepted"] == 2 and report["bad_lines"] == 3
    assert [p.split(":")[0] for p in report["problems"]] == ["line 3", "line 4", "line 6"]
    assert "leading or trailing spaces" in report["problems"][1]
    assert report["unknown_devices"] == ["offline-1"]


def test_a_journal_of_another_event_is_refused_unless_forced(
    cli: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    event = make_event(cli)
    header = {"k": "journal", "device_id": "offline-1", "event_id": "other-venue"}
    path = _write(tmp_path / "j.jsonl", [header, _entry("t1", 1)])
    err = cli.fails("import-journal", event, str(path))
    assert "other-venue" in err and "--force" in err and len(err.strip().splitlines()) == 1
    status, report = _run(cli, capsys, event, str(path), "--force")
    assert (status, report["accepted"]) == (0, 1)


def test_lines_of_another_events_device_are_refused(
    cli: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    event = make_event(cli)
    other = cli("create-event", "Other venue", "--id", "other")["event_id"]
    db = open_database(cli.db)
    with db.writing() as session:
        row = session.get(Event, other)
        assert row is not None
        code, _ = create_enrollment_code(session, row, "gate", None, 600)
        device, _ = enroll(session, code, "gate")
    db.dispose()
    lines = [_entry("t1", 1, device_id=device.id), _entry("t2", 2, device_id="offline-9")]
    status, report = _run(cli, capsys, event, str(_write(tmp_path / "j.jsonl", lines)))
    assert status == 1 and report["accepted"] == 1
    assert report["foreign_devices"] == [device.id] and report["unknown_devices"] == ["offline-9"]
    assert "another event" in report["problems"][0]


def _peak_memory(db: Database, event: str, path: Path) -> int:
    tracemalloc.start()
    try:
        report = import_journal(db, event, path)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        assert report.bad_lines == 0


def test_the_file_is_streamed_not_held_in_memory(cli: Cli, tmp_path: Path) -> None:
    """Four times the lines, about the same memory: the file is read batch by batch."""
    event = make_event(cli)
    files = {}
    for name, count in (("warm", 600), ("small", 1500), ("large", 6000)):
        files[name] = tmp_path / f"{name}.jsonl"
        with files[name].open("w") as out:
            for n in range(count):
                out.write(json.dumps(_entry(f"{name}{n}", n, device_id="offline-1")) + "\n")
    db = open_database(cli.db)
    try:
        import_journal(db, event, files["warm"])  # caches and first-use set-up
        small = _peak_memory(db, event, files["small"])
        large = _peak_memory(db, event, files["large"])
    finally:
        db.dispose()
    assert large < 1.5 * small, (small, large)
