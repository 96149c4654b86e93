"""Check-in ingest: 50 devices upload batches of 100 entries at once to a real server process.

Prints one JSON line: entries/s and request latency (p50/p95, ms) on SQLite and PostgreSQL.
Target (issue 3): at least 2,000 entries/s on PostgreSQL. PostgreSQL comes from
DATABASE_URL_TEST, or the benchmark re-runs itself under scripts/with-postgres.sh.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from _common import sized  # noqa: E402
from _postgres import fresh_postgres, rerun_under_postgres  # noqa: E402

from server_stub.testing import seed_event, server_process, sqlite_url  # noqa: E402

DEVICES = sized(50, 5)
BATCH = sized(100, 20)
BATCHES_PER_DEVICE = int(os.environ.get("BENCH_BATCHES", sized(8, 2)))
TICKETS = sized(20_000, 200)
PG_WORKERS = int(os.environ.get("BENCH_PG_WORKERS", "1"))  # 2 measured no faster on 2 cores
T0 = datetime(2026, 5, 1, 18, 0, tzinfo=UTC)


def _bodies(device_id: str, door: str, tickets: list[str], offset: int) -> list[bytes]:
    bodies = []
    for b in range(BATCHES_PER_DEVICE):
        entries = []
        for i in range(BATCH):
            n = b * BATCH + i
            entries.append(
                {
                    "id": str(uuid.uuid4()),
                    "device_seq": n + 1,
                    "ticket_id": tickets[(offset + n * 7) % len(tickets)],
                    "format": "TK1",
                    "direction": "entry",
                    "outcome": "admitted",
                    "reason": "ok",
                    "door": door,
                    "scanned_at": (T0 + timedelta(seconds=n + offset)).isoformat(),
                }
            )
        bodies.append(json.dumps({"entries": entries}).encode())
    return bodies


def run(database_url: str, workers: int) -> dict[str, Any]:
    with server_process(database_url, workers) as (url, _child):
        api = url + "/api/v1"
        event = seed_event(database_url, tickets_per_type=TICKETS, ticket_types=("ga",))
        devices = []
        for n in range(DEVICES):
            code = event.enrollment_code(f"door{n}")
            answer = httpx.post(f"{api}/enroll", json={"code": code}).json()
            bodies = _bodies(answer["device_id"], f"door{n}", event.ticket_ids, n * 997)
            devices.append((answer["token"], bodies))
        path = f"{api}/events/{event.event_id}/checkins"
        latencies: list[float] = []

        def device(job: tuple[str, list[bytes]]) -> None:
            token, bodies = job
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            with httpx.Client(headers=headers, timeout=120) as client:
                for body in bodies:
                    started = time.perf_counter()
                    answer = client.post(path, content=body)
                    latencies.append(time.perf_counter() - started)
                    assert answer.status_code == 200, answer.text

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=DEVICES) as pool:
            list(pool.map(device, devices))
        elapsed = time.perf_counter() - started
    latencies.sort()
    total = DEVICES * BATCHES_PER_DEVICE * BATCH
    return {
        "entries": total,
        "seconds": round(elapsed, 2),
        "entries_per_s": round(total / elapsed),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1),
        "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 1),
        "server_workers": workers,
    }


def main() -> None:
    if rerun_under_postgres(__file__, durable=True):
        return
    pg_admin = os.environ.get("DATABASE_URL_TEST")
    figures: dict[str, Any] = {"bench": "server_ingest", "devices": DEVICES, "batch": BATCH}
    with tempfile.TemporaryDirectory() as folder:
        figures["sqlite"] = run(sqlite_url(Path(folder)), 1)
    if pg_admin:
        figures["postgresql"] = run(fresh_postgres(pg_admin), PG_WORKERS)
        figures["postgresql"]["fsync"] = os.environ.get("PG_DURABLE") == "1"
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
