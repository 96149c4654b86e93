"""Importing the journal file a scanner exports after an offline event (docs/server.md).

JSON Lines, optionally gzip: an optional header line `{"k": "journal", "device_id": ...,
"event_id": ...}`, then one check-in entry per line (the upload's ENTRY shape, `"k": "entry"`
optional, an optional `device_id` of its own). The file is read line by line and stored in
batches through the same ingest as uploads, so re-importing a file only finds duplicates.

What it checks: a header naming another event refuses the whole file (unless forced); lines of a
device enrolled for another event are refused; lines of a device the server never enrolled are
imported and flagged; a bad line is reported by number and the good ones are imported.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from scanner.checkin.snapshot_file import file_lines
from server_stub.db import Database
from server_stub.models import Device, utcnow
from server_stub.schemas import CheckinEntry
from server_stub.services.ingest import Uploader, ingest

BATCH = 500
LISTED_PROBLEMS = 100  # the report names this many bad lines; it counts them all


class JournalError(ValueError):
    """The file as a whole cannot be imported (nothing was stored)."""


@dataclass
class JournalReport:
    counts: Counter[str] = field(default_factory=Counter)  # accepted, duplicate, conflict
    bad_lines: int = 0
    problems: list[str] = field(default_factory=list)  # "line N: what is wrong"
    unknown_devices: set[str] = field(default_factory=set)  # imported, flagged
    foreign_devices: set[str] = field(default_factory=set)  # another event's: refused

    def refuse(self, number: int, problem: str) -> None:
        self.bad_lines += 1
        if len(self.problems) < LISTED_PROBLEMS:
            self.problems.append(f"line {number}: {problem}")

    def as_json(self) -> dict[str, Any]:
        return {
            **dict(sorted(self.counts.items())),
            "bad_lines": self.bad_lines,
            "problems": self.problems,
            "unknown_devices": sorted(self.unknown_devices),
            "foreign_devices": sorted(self.foreign_devices),
        }


def _parsed(path: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line number, JSON object or what is wrong with the line), blank lines skipped."""
    for number, line in enumerate(file_lines(path), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (ValueError, UnicodeDecodeError):
            yield number, "not JSON"
            continue
        yield number, obj if isinstance(obj, dict) else "not a JSON object"


class _Devices:
    """Which event each device id belongs to, looked up once per id."""

    def __init__(self, db: Database, event_id: str, report: JournalReport) -> None:
        self.db, self.event_id, self.report = db, event_id, report
        self.known: dict[str, str | None] = {}

    def problem(self, device_id: str) -> str | None:
        if device_id not in self.known:
            with self.db.reading() as session:
                device = session.get(Device, device_id)
                self.known[device_id] = device.event_id if device else None
        owner = self.known[device_id]
        if owner is None:
            self.report.unknown_devices.add(device_id)
        elif owner != self.event_id:
            self.report.foreign_devices.add(device_id)
            return f"device {device_id} is enrolled for another event"
        return None


def import_journal(
    db: Database, event_id: str, path: Path, device_id: str | None = None, force: bool = False
) -> JournalReport:
    report = JournalReport()
    devices = _Devices(db, event_id, report)
    pending: dict[str, list[CheckinEntry]] = defaultdict(list)
    default_device = device_id
    for number, obj in _parsed(path):
        if isinstance(obj, str):
            report.refuse(number, obj)
            continue
        kind = obj.pop("k", "entry")
        if kind == "journal":
            named = obj.get("event_id")
            if named is not None and named != event_id and not force:
                raise JournalError(
                    f"line {number}: this journal is of event {named!r}, not {event_id!r} "
                    "(--force imports it anyway)"
                )
            default_device = device_id or obj.get("device_id")
            continue
        if kind != "entry":
            report.refuse(number, f"unknown line kind {str(kind)[:40]!r}")
            continue
        device = obj.pop("device_id", None) or default_device
        if not isinstance(device, str) or not 1 <= len(device) <= 32:
            report.refuse(number, "no device id (give --device or a header line)")
            continue
        problem = devices.problem(device)
        if problem is not None:
            report.refuse(number, problem)
            continue
        try:
            pending[device].append(CheckinEntry.model_validate(obj))
        except ValidationError as exc:
            first = exc.errors()[0]
            report.refuse(number, f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}")
            continue
        if len(pending[device]) >= BATCH:
            _store(db, event_id, device, pending.pop(device), report)
    for device, entries in pending.items():
        _store(db, event_id, device, entries, report)
    return report


def _store(
    db: Database, event_id: str, device: str, entries: list[CheckinEntry], report: JournalReport
) -> None:
    with db.event_lock(event_id), db.writing() as session:
        for result in ingest(session, event_id, Uploader(device), entries, utcnow()):
            report.counts[result["status"]] += 1
