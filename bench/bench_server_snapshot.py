"""Serving a 100,000-ticket snapshot from a real server process.

Prints one JSON line: seconds to the last byte, size (as read, and as sent: gzip, as a door
asks for it), and the server's peak resident memory (VmHWM of its process, which served nothing
else), on SQLite and PostgreSQL.
Target (issue 3): under 3 s and under 300 MB. PostgreSQL comes from DATABASE_URL_TEST, or the
benchmark re-runs itself under scripts/with-postgres.sh.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from _common import sized  # noqa: E402
from _postgres import fresh_postgres, rerun_under_postgres  # noqa: E402

from scanner.checkin.attendees import AttendeeRow  # noqa: E402
from scanner.checkin.keyring import b64u_decode  # noqa: E402
from scanner.checkin.snapshot_file import SnapshotError, read_snapshot  # noqa: E402
from server_stub.db import migrate, open_database  # noqa: E402
from server_stub.services import devices, events, tickets  # noqa: E402
from server_stub.testing import seed_event, server_process, sqlite_url  # noqa: E402

TICKETS = int(os.environ.get("BENCH_TICKETS", sized(100_000, 300)))


def _rows() -> Any:
    for n in range(TICKETS):
        yield AttendeeRow(
            ticket_id=f"t{n:09d}",
            ticket_type=("ga", "vip")[n % 2],
            holder_name=f"Attendee Number {n}",
            email=f"attendee{n}@example.com",
            order_code=f"ORD-{n // 3:07d}",
            flags=("vip",) if n % 50 == 0 else (),
        )


def _memory_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def run(database_url: str) -> dict[str, Any]:
    event = seed_event(database_url, tickets_per_type=1, ticket_types=("ga", "vip"))
    db = open_database(database_url)
    migrate(db)
    with db.writing() as session:
        tickets.upsert_tickets(session, event.event_id, _rows())
        row = session.get(events.Event, event.event_id)
        assert row is not None
        code, _ = devices.create_enrollment_code(session, row, "north", None, 600)
    db.dispose()
    with server_process(database_url) as (url, child):
        enrolled = httpx.post(f"{url}/api/v1/enroll", json={"code": code}).json()
        headers = {"Authorization": f"Bearer {enrolled['token']}"}
        before_kb = _memory_kb(child.pid, "VmRSS")
        chunks: list[bytes] = []
        started = time.perf_counter()
        with httpx.stream(
            "GET", f"{url}/api/v1/events/{event.event_id}/snapshot", headers=headers, timeout=120
        ) as answer:
            assert answer.status_code == 200
            # The server gzips for clients that accept it (httpx does, as the door's client):
            # the lines are the decoded bytes, as the door reads them; the raw ones are gzip.
            chunks.extend(answer.iter_bytes())
            wire_bytes = answer.num_bytes_downloaded
        elapsed = time.perf_counter() - started
        peak_kb = _memory_kb(child.pid, "VmHWM")
    body = b"".join(chunks)
    signer = b64u_decode(enrolled["platform_public_b64u"])

    def trust(header: Any) -> None:
        if header.signer_public != signer:
            raise SnapshotError("untrusted")

    lines = (line + b"\n" for line in body.split(b"\n") if line)
    records = sum(1 for _ in read_snapshot(lines, trust)) - 1  # verifies hash and signature
    return {
        "tickets": records,
        "seconds": round(elapsed, 2),
        "megabytes": round(len(body) / 1e6, 1),
        "wire_megabytes": round(wire_bytes / 1e6, 1),
        "server_rss_before_mb": round(before_kb / 1024),
        "server_peak_rss_mb": round(peak_kb / 1024),
    }


def main() -> None:
    if rerun_under_postgres(__file__):
        return
    pg_admin = os.environ.get("DATABASE_URL_TEST")
    figures: dict[str, Any] = {"bench": "server_snapshot", "tickets": TICKETS}
    with tempfile.TemporaryDirectory() as folder:
        figures["sqlite"] = run(sqlite_url(Path(folder)))
    if pg_admin:
        figures["postgresql"] = run(fresh_postgres(pg_admin))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
