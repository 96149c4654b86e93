"""Importing attendee lists: the signed snapshot file and organizers' CSV files.

Each import is one transaction on the writer: the old list is replaced only when the whole new
one has been read and (for snapshots) its signature verified. Any error rolls everything back,
so a refused file leaves the data file as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection

from scanner.checkin.attendee_csv import read_attendee_csv
from scanner.checkin.attendees import AttendeeRow
from scanner.checkin.change_records import Annulment, read_record
from scanner.checkin.field_values import RowError
from scanner.checkin.keyring import Keyring
from scanner.checkin.snapshot_file import (
    RECORD_KINDS,
    SnapshotError,
    SnapshotHeader,
    TrustCheck,
    read_snapshot,
)
from scanner.store import import_guards, records, set_aside
from scanner.store.records import EventSpec as EventSpec  # what an import is given

BATCH = 5000


@dataclass(frozen=True)
class ImportSummary:
    event_id: str
    tickets: int
    revocations: int = 0
    passages: int = 0
    source: str = "snapshot"
    set_aside: int = 0  # records the door could not apply, kept aside (sync only)


def event_spec(event: dict[str, Any], keyring: Keyring) -> EventSpec:
    """Validate the header's event object; raises SnapshotError naming the bad member."""
    try:
        return _event_spec(event, keyring)
    except (KeyError, TypeError, ValueError, ZoneInfoNotFoundError) as exc:
        raise SnapshotError(f"line 1: event description is invalid ({exc!s})") from None


def _event_spec(event: dict[str, Any], keyring: Keyring) -> EventSpec:
    timezone = str(event.get("timezone") or "UTC")
    ZoneInfo(timezone)
    max_age = event.get("max_code_age_s")
    if max_age is not None and (not isinstance(max_age, int) or max_age <= 0):
        raise ValueError("max_code_age_s must be a positive integer or null")
    grace = {name: _grace(event, name) for name in ("grace_before_s", "grace_after_s")}
    return EventSpec(
        id=str(event["id"]),
        name=str(event.get("name") or ""),
        timezone=timezone,
        days={int(d["day"]): date.fromisoformat(d["date"]) for d in event.get("days") or []},
        reentry=bool(event.get("reentry", False)),
        max_code_age_s=max_age,
        ticket_types=[
            (str(t["id"]), str(t.get("name", ""))) for t in event.get("ticket_types") or []
        ],
        checkin_lists=[
            (str(c["id"]), str(c.get("name", "")), [str(t) for t in c["types"]])
            for c in event.get("checkin_lists") or []
        ],
        keyring=keyring,
        **grace,
    )


def _grace(event: dict[str, Any], name: str) -> int | None:
    value = event.get(name)
    if value is not None and (type(value) is not int or not 0 <= value <= 30 * 86_400):
        raise ValueError(f"{name} must be seconds from 0 to 30 days, or null")
    return value


def import_snapshot(
    conn: Connection,
    lines: Iterable[bytes],
    trust: TrustCheck,
    now: datetime,
    source: str,
    *,
    set_aside_bad: bool = False,
    allow_older: bool = False,
) -> ImportSummary:
    """Replace the event's list with the file's. A record the door cannot apply refuses the
    file, or with `set_aside_bad` (sync: the server's own list) is kept aside and counted.
    Another event's file on an enrolled door, or an older list, is refused (import_guards)."""
    stream = read_snapshot(lines, trust)
    header = next(stream)
    assert isinstance(header, SnapshotHeader)
    spec = event_spec(header.event, header.keyring)
    import_guards.require_own_event(conn, spec.id, spec.name)
    if not allow_older:
        import_guards.require_not_older(conn, spec.id, header.cursor, header.generated_at)
    records.replace_event(conn, spec, now=now, source=source)
    records.set_cursor(conn, spec.id, header.cursor, header.generated_at)
    counts = {"ticket": 0, "revocation": 0, "passage": 0, "set_aside": 0}
    batches: dict[str, list[dict[str, Any]]] = {kind: [] for kind in RECORD_KINDS}
    seen: set[str] = set()
    for item in stream:
        assert isinstance(item, tuple)
        number, obj = item
        kind = obj["k"]
        try:
            row = _snapshot_row(kind, obj, number, spec.id, seen)
        except SnapshotError as exc:
            if not set_aside_bad:
                raise
            set_aside.keep(conn, spec.id, "snapshot", str(exc), obj, now)
            counts["set_aside"] += 1
            continue
        batches[kind].append(row)
        counts[kind] += 1
        if len(batches[kind]) >= BATCH:
            records.insert(conn, kind, batches[kind])
            batches[kind] = []
    for kind, rows in batches.items():
        records.insert(conn, kind, rows)
    return ImportSummary(
        spec.id,
        counts["ticket"],
        counts["revocation"],
        counts["passage"],
        source,
        counts["set_aside"],
    )


def _snapshot_row(
    kind: str, obj: dict[str, Any], number: int, event_id: str, seen: set[str]
) -> dict[str, Any]:
    try:
        record = read_record(kind, obj)
        if isinstance(record, AttendeeRow):
            if record.ticket_id in seen:
                raise SnapshotError(f"line {number}: ticket id {record.ticket_id!r} appears twice")
            seen.add(record.ticket_id)
    except (RowError, KeyError, TypeError, ValueError) as exc:
        raise SnapshotError(f"line {number}: {kind}: {exc}") from None
    assert not isinstance(record, Annulment)  # the snapshot's reader lets none through
    return records.record_row(event_id, record).values


def import_csv(
    conn: Connection, lines: Iterable[bytes], spec: EventSpec | None, now: datetime
) -> ImportSummary:
    """Replace the event's tickets with the file's rows. `spec` creates or replaces the event;
    without it the current event keeps its settings and keys."""
    if spec is not None:
        import_guards.require_own_event(conn, spec.id, spec.name)
    event_id = records.prepare_csv_event(conn, spec, now=now)
    count = 0
    for batch in _batches(read_attendee_csv(lines)):
        records.insert(conn, "ticket", [records.ticket_row(event_id, row) for row in batch])
        count += len(batch)
    return ImportSummary(event_id, count, source="csv")


def _batches(rows: Iterator[tuple[int, AttendeeRow]]) -> Iterator[list[AttendeeRow]]:
    batch: list[AttendeeRow] = []
    for _number, row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
