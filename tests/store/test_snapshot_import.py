"""Importing the signed snapshot: all or nothing, and a refused file changes nothing."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path

import pytest

from scanner.app.demo import DemoEvent, snapshot_lines
from scanner.app.door import Door, door_settings
from scanner.store.store import ImportRefused, Store
from tests.conftest import EVENT_NOW
from tests.store.helpers import custom_snapshot, db_digest, query, write_lines

DAY = date(2026, 5, 1)


def _import(directory: Path, path: Path, vouched: str | None = None) -> object:
    store = Store(directory, synchronous=True)
    try:
        return store.import_snapshot_file(path, EVENT_NOW, vouched=vouched)
    finally:
        store.close()


def test_a_snapshot_imports_tickets_and_is_scannable(data_dir: Path, demo_event: DemoEvent) -> None:
    assert query(data_dir, "SELECT COUNT(*) FROM tickets") == [(200,)]
    assert query(data_dir, "SELECT cursor FROM events") == [(None,)]


def test_gzip_snapshots_import_too(tmp_path: Path, demo_event: DemoEvent) -> None:
    path = tmp_path / "s.jsonl.gz"
    with gzip.open(path, "wb") as out:
        out.writelines(snapshot_lines(demo_event, DAY, EVENT_NOW))
    summary = _import(tmp_path / "d", path, demo_event.platform_fingerprint)
    assert summary.tickets == 200  # type: ignore[attr-defined]


def _damaged(lines: list[bytes], how: str) -> list[bytes]:
    if how == "truncated":
        return lines[: len(lines) // 2]
    if how == "cut mid-line":
        return [*lines[:-1], lines[-1][:10]]
    if how == "altered ticket":
        record = json.loads(lines[5])
        record["status"] = "valid" if record["status"] != "valid" else "blocked"
        return [*lines[:5], json.dumps(record).encode() + b"\n", *lines[6:]]
    if how == "dropped line":
        return lines[:5] + lines[6:]
    if how == "not json":
        return [*lines[:3], b"{oops\n", *lines[4:]]
    raise AssertionError(how)


@pytest.mark.parametrize(
    ("how", "message"),
    [
        ("truncated", "without its end record"),
        ("cut mid-line", "cut short"),
        ("altered ticket", "does not match its hash"),
        ("dropped line", "records lost or added"),
        ("not json", "line 4: not a JSON object"),
    ],
)
def test_damaged_files_are_refused_and_change_nothing(
    data_dir: Path, demo_event: DemoEvent, tmp_path: Path, how: str, message: str
) -> None:
    lines = list(snapshot_lines(demo_event, DAY, EVENT_NOW))
    path = write_lines(tmp_path / "bad.jsonl", _damaged(lines, how))
    before = db_digest(data_dir)
    with pytest.raises(ImportRefused, match=message):
        _import(data_dir, path)
    assert db_digest(data_dir) == before


def test_a_snapshot_signed_by_another_key_is_refused(
    data_dir: Path, demo_event: DemoEvent, tmp_path: Path
) -> None:
    rows = [r.to_snapshot() for r in demo_event.rows[:3]]
    path = write_lines(
        tmp_path / "s.jsonl", custom_snapshot(demo_event, rows, DAY, EVENT_NOW, b"\x01" * 32)
    )
    before = db_digest(data_dir)
    with pytest.raises(ImportRefused, match="does not trust"):
        _import(data_dir, path)
    with pytest.raises(ImportRefused, match="does not match"):
        _import(data_dir, path, vouched="0000 0000 0000 0000")
    assert db_digest(data_dir) == before


def test_a_bad_record_names_its_line(data_dir: Path, demo_event: DemoEvent, tmp_path: Path) -> None:
    rows = [r.to_snapshot() for r in demo_event.rows[:3]]
    rows[1]["days"] = [0]
    path = write_lines(tmp_path / "s.jsonl", custom_snapshot(demo_event, rows, DAY, EVENT_NOW))
    with pytest.raises(ImportRefused, match=r"line 3: ticket: day 0 is not between 1 and 366"):
        _import(data_dir, path)


def test_duplicate_ticket_ids_are_refused(
    data_dir: Path, demo_event: DemoEvent, tmp_path: Path
) -> None:
    rows = [r.to_snapshot() for r in demo_event.rows[:2]] * 2
    path = write_lines(tmp_path / "s.jsonl", custom_snapshot(demo_event, rows, DAY, EVENT_NOW))
    with pytest.raises(ImportRefused, match=r"line 4: .* appears twice"):
        _import(data_dir, path)


def test_a_new_snapshot_replaces_the_list_and_keeps_the_journal(
    data_dir: Path, demo_event: DemoEvent, tmp_path: Path
) -> None:
    store = Store(data_dir, synchronous=True)
    door = Door(store, door_settings(store, "Main entrance"))
    code = demo_event.codes[demo_event.rows[0].ticket_id]
    door.check(code)
    rows = [r.to_snapshot() for r in demo_event.rows[:10]]
    rows.append({"k": "revocation", "ticket_id": demo_event.rows[1].ticket_id, "code_fp": None})
    path = write_lines(tmp_path / "s.jsonl", custom_snapshot(demo_event, rows, DAY, EVENT_NOW))
    summary = store.import_snapshot_file(path, EVENT_NOW)
    store.close()
    assert (summary.tickets, summary.revocations) == (10, 1)
    assert query(data_dir, "SELECT COUNT(*) FROM tickets") == [(10,)]
    assert query(data_dir, "SELECT COUNT(*) FROM journal") == [(1,)]
    assert query(data_dir, "SELECT cursor FROM events") == [("c1",)]
