"""A demo event: keys, a few hundred attendees, a signed snapshot and a mix of codes to scan.

Also the generator the tests and benchmarks use for large snapshots, so there is one way to
make an event.
"""

from __future__ import annotations

import gzip
import random
import secrets
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from scanner.app.door import open_door
from scanner.checkin.attendees import AttendeeRow
from scanner.checkin.codes import issued_code_digest, seed_code_digest
from scanner.checkin.issuing import (
    SigningKey,
    keyring_for,
    mint_seedjson,
    mint_tk1,
    seedjson_signature,
)
from scanner.checkin.keyring import Keyring
from scanner.checkin.reasons import TicketStatus
from scanner.checkin.records import Verdict
from scanner.checkin.snapshot_file import SnapshotWriter, key_fingerprint
from scanner.store.store import Store

FIRST = [
    "Ada",
    "Jürgen",
    "Zoë",
    "Ngozi",
    "Łukasz",
    "Søren",
    "Amélie",
    "Hiroshi",
    "Fatima",
    "Mateo",
    "Ava",
    "Chloé",
    "Björn",
    "Priya",
    "Oğuz",
    "Siobhán",
    "Дмитрий",
    "عمر",
    "Ana",
]
LAST = [
    "Lovelace",
    "Müller",
    "Kowalski",
    "Okafor",
    "Ødegaard",
    "García",
    "Nguyễn",
    "O'Brien",
    "Tanaka",
    "Dubois",
    "Smith",
    "Núñez",
    "Łęcki",
    "Schmidt",
    "Rossi",
    "Иванов",
    "حداد",
]
DEMO_TIMEZONE = "Europe/Berlin"
TYPES = [("ga", "General admission"), ("vip", "VIP"), ("crew", "Crew")]


@dataclass
class DemoEvent:
    event_id: str
    keys: list[SigningKey]
    seed_secret: str
    platform_secret: bytes = field(repr=False)
    rows: list[AttendeeRow]
    codes: dict[str, str]  # ticket id -> its code

    @property
    def keyring(self) -> Keyring:
        return keyring_for(self.keys)  # no SEEDJSON secret: doors use the stored signatures

    @property
    def platform_fingerprint(self) -> str:
        return key_fingerprint(SnapshotWriter(self.platform_secret).public_key)

    def event_json(self, day: date) -> dict[str, Any]:
        return {
            "id": self.event_id,
            "name": "Spring Ball (demo)",
            "timezone": DEMO_TIMEZONE,
            "days": [{"day": 1, "date": day.isoformat()}],
            "reentry": True,
            "max_code_age_s": None,
            "ticket_types": [{"id": i, "name": n} for i, n in TYPES],
            "checkin_lists": [
                {"id": "main", "name": "Main entrance", "types": ["ga", "vip"]},
                {"id": "backstage", "name": "Backstage", "types": ["crew", "vip"]},
            ],
        }


def _row(rng: random.Random, index: int, ticket_id: str, seed_sig: str | None) -> AttendeeRow:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    status = TicketStatus.VALID
    if index % 50 == 7:
        status = TicketStatus.CANCELED
    elif index % 97 == 11:
        status = TicketStatus.UNPAID
    return AttendeeRow(
        ticket_id=ticket_id,
        ticket_type=rng.choices([t for t, _ in TYPES], weights=[85, 10, 5])[0],
        status=status,
        holder_name=f"{first} {last}",
        email=f"{first}.{last}{index}@example.org".lower(),
        order_code=f"ORD-{index // 2:06d}",
        flags=("check_id",) if index % 13 == 0 else (),
        seed_signature=seed_sig,
    )


def iter_tickets(
    event: DemoEvent, count: int, *, seed: int = 1, mint: bool = True
) -> Iterator[tuple[AttendeeRow, str | None]]:
    """Attendees and (when `mint`) their codes: most TK1 (Ed25519), every fifth SEEDJSON.
    The same seed gives the same tickets, so large benchmarks can mint codes for a few later."""
    rng = random.Random(seed)
    issued_ms = 1_760_000_000_000
    for index in range(count):
        ticket_id = f"t{index:07d}{rng.randrange(36**3):03x}"
        if index % 5 == 4:
            seedjson = mint_seedjson(event.seed_secret, ticket_id, issued_ms + index)
            signature = seedjson_signature(event.seed_secret, ticket_id, issued_ms + index)
            digest = seed_code_digest(ticket_id, issued_ms + index, signature)
            yield replace(_row(rng, index, ticket_id, signature), code_digest=digest), seedjson
            continue
        row = _row(rng, index, ticket_id, None)
        if not mint:
            yield row, None
            continue
        code = mint_tk1(event.keys[0], {"e": event.event_id, "t": ticket_id, "k": row.ticket_type})
        yield replace(row, code_digest=issued_code_digest(code)), code


def make_event(
    attendees: int = 300, *, seed: int = 1, event_id: str = "evt_demo", mint: bool = True
) -> DemoEvent:
    keys = [SigningKey.generate("E1", "Ed25519")]
    event = DemoEvent(event_id, keys, secrets.token_urlsafe(24), secrets.token_bytes(32), [], {})
    for row, code in iter_tickets(event, attendees, seed=seed, mint=mint):
        event.rows.append(row)
        if code is not None:
            event.codes[row.ticket_id] = code
    return event


def snapshot_lines(
    event: DemoEvent, day: date, now: datetime, rows: Iterable[AttendeeRow] | None = None
) -> Iterator[bytes]:
    writer = SnapshotWriter(event.platform_secret)
    yield writer.header(
        event=event.event_json(day),
        keyring=event.keyring,
        cursor=None,
        generated_at=now.isoformat(),
    )
    for row in rows if rows is not None else event.rows:
        yield writer.record(row.to_snapshot())
    yield writer.end()


def write_snapshot(
    event: DemoEvent,
    path: Path,
    day: date,
    now: datetime | None = None,
    rows: Iterable[AttendeeRow] | None = None,
) -> Path:
    moment = now or datetime.now(UTC)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wb") as out:
        for line in snapshot_lines(event, day, moment, rows):
            out.write(line)
    return path


@dataclass(frozen=True)
class DemoScript:
    label: str
    verdict: Verdict
    ms: float
    timezone: str


def _tampered(code: str) -> str:
    head, kid, claims, sig = code.split(".")
    middle = len(claims) // 2
    swapped = "A" if claims[middle] != "A" else "B"
    return ".".join((head, kid, claims[:middle] + swapped + claims[middle + 1 :], sig))


def _pick(event: DemoEvent, *, status: TicketStatus, types: tuple[str, ...], tk1: bool) -> str:
    for row in event.rows:
        code = event.codes[row.ticket_id]
        if row.status is status and row.ticket_type in types and code.startswith("TK1") == tk1:
            return code
    raise LookupError("demo event too small for this step")


def demo_codes(event: DemoEvent) -> list[tuple[str, str, bool]]:
    """(label, code, exit?) in the order the demo scans them."""
    first = _pick(event, status=TicketStatus.VALID, types=("ga",), tk1=True)
    stranger = SigningKey.generate("X9", "Ed25519")
    return [
        ("A valid ticket (TK1, Ed25519)", first, False),
        ("The same ticket again", first, False),
        (
            "A platform ticket (SEEDJSON)",
            _pick(event, status=TicketStatus.VALID, types=("ga", "vip"), tk1=False),
            False,
        ),
        ("A tampered code", _tampered(first), False),
        (
            "A code from another platform",
            mint_tk1(stranger, {"e": "x", "t": "y", "k": "ga"}),
            False,
        ),
        (
            "A ticket for another event",
            mint_tk1(event.keys[0], {"e": "evt_other", "t": "zz1", "k": "ga"}),
            False,
        ),
        (
            "A canceled ticket",
            _pick(event, status=TicketStatus.CANCELED, types=("ga", "vip", "crew"), tk1=True),
            False,
        ),
        (
            "A crew ticket at the main entrance",
            _pick(event, status=TicketStatus.VALID, types=("crew",), tk1=True),
            False,
        ),
        ("Not a ticket at all", "https://example.com/ticket/123", False),
        (
            "Sold after the last sync",
            mint_tk1(
                event.keys[0], {"e": event.event_id, "t": "late01", "k": "ga", "n": "Late Buyer"}
            ),
            False,
        ),
        ("The first guest leaves", first, True),
        ("...and comes back (re-entry allowed)", first, False),
    ]


def run_demo(directory: Path, attendees: int = 300) -> Iterator[DemoScript]:
    event = make_event(attendees)
    now = datetime.now(UTC)
    day = now.astimezone(ZoneInfo(DEMO_TIMEZONE)).date()
    snapshot = write_snapshot(event, directory / "demo-snapshot.jsonl", day, now)
    store = Store(directory, synchronous=True)
    store.import_snapshot_file(snapshot, now, vouched=event.platform_fingerprint)
    store.close()
    doors = {
        False: open_door(directory, "Main entrance"),
        True: open_door(directory, "Main entrance", exit=True),
    }
    try:
        for label, code, leaving in demo_codes(event):
            started = time.perf_counter()
            result = doors[leaving].check(code, source="demo")
            elapsed = (time.perf_counter() - started) * 1000
            yield DemoScript(label, result.verdict, elapsed, DEMO_TIMEZONE)
    finally:
        for door in doors.values():
            door.close()
