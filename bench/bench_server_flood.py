"""A hot ticket must not stall the other doors (issue 13 item 2).

50 devices upload small batches of ordinary tickets while one device floods a single ticket that
already has HISTORY standing admissions with 500-entry batches. Prints one JSON line per
database: the other devices' upload p95 with the flood and without it (same set-up, same run),
and their ratio. Target: ratio at most 2 on SQLite and PostgreSQL. PostgreSQL comes from
DATABASE_URL_TEST, or the benchmark re-runs itself under scripts/with-postgres.sh.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import threading
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
UPLOADS = int(os.environ.get("BENCH_UPLOADS", sized(10, 2)))  # per ordinary device
BATCH = 10
FLOOD_BATCH = 500
HISTORY = int(os.environ.get("BENCH_HISTORY", sized(4000, 500)))
T0 = datetime(2026, 5, 1, 18, 0, tzinfo=UTC)


def _entries(ticket: str, door: str, count: int, start: int) -> list[dict[str, Any]]:
    return [
        {
            "id": str(uuid.uuid4()),
            "device_seq": start + i,
            "ticket_id": ticket,
            "format": "TK1",
            "outcome": "admitted",
            "reason": "ok",
            "door": door,
            "scanned_at": (T0 + timedelta(seconds=start + i)).isoformat(),
        }
        for i in range(count)
    ]


def _enroll(api: str, event: Any, door: str) -> httpx.Client:
    answer = httpx.post(f"{api}/enroll", json={"code": event.enrollment_code(door)}).json()
    headers = {"Authorization": f"Bearer {answer['token']}"}
    return httpx.Client(base_url=api, headers=headers, timeout=120)


def run(database_url: str, flood: bool) -> dict[str, Any]:
    with server_process(database_url) as (url, _child):
        api = url + "/api/v1"
        event = seed_event(database_url, tickets_per_type=DEVICES * UPLOADS * BATCH)
        path = f"/events/{event.event_id}/checkins"
        hot = event.ticket_ids[-1]
        flooder = _enroll(api, event, "flood")
        for start in range(0, HISTORY, FLOOD_BATCH):  # the hot ticket's standing admissions
            entries = _entries(hot, "flood", min(FLOOD_BATCH, HISTORY - start), start)
            assert flooder.post(path, json={"entries": entries}).status_code == 200
        doors = [_enroll(api, event, f"door{n}") for n in range(DEVICES)]
        latencies: list[float] = []
        flood_latencies: list[float] = []
        done = threading.Event()

        def ordinary(n: int) -> None:
            for u in range(UPLOADS):
                first = (n * UPLOADS + u) * BATCH
                entries = [
                    _entries(event.ticket_ids[first + i], f"door{n}", 1, first + i)[0]
                    for i in range(BATCH)
                ]
                started = time.perf_counter()
                assert doors[n].post(path, json={"entries": entries}).status_code == 200
                latencies.append(time.perf_counter() - started)

        def flooding() -> None:
            start = HISTORY
            while not done.is_set():
                entries = _entries(hot, "flood", FLOOD_BATCH, start)
                started = time.perf_counter()
                assert flooder.post(path, json={"entries": entries}).status_code == 200
                flood_latencies.append(time.perf_counter() - started)
                start += FLOOD_BATCH

        flood_thread = threading.Thread(target=flooding) if flood else None
        if flood_thread:
            flood_thread.start()
        with ThreadPoolExecutor(max_workers=DEVICES) as pool:
            list(pool.map(ordinary, range(DEVICES)))
        done.set()
        if flood_thread:
            flood_thread.join()
        for client in [flooder, *doors]:
            client.close()
    latencies.sort()
    flood_latencies.sort()
    figures = {
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1),
        "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 1),
    }
    if flood_latencies:
        figures["flood_batches"] = len(flood_latencies)
        figures["flood_batch_p50_ms"] = round(flood_latencies[len(flood_latencies) // 2] * 1000)
    return figures


def compare(url_for_run: Any) -> dict[str, Any]:
    baseline = run(url_for_run(), flood=False)
    flooded = run(url_for_run(), flood=True)
    ratio = flooded["p95_ms"] / baseline["p95_ms"]
    return {"without_flood": baseline, "with_flood": flooded, "p95_ratio": round(ratio, 2)}


def main() -> None:
    if rerun_under_postgres(__file__, durable=True):
        return
    figures: dict[str, Any] = {
        "bench": "server_flood",
        "devices": DEVICES,
        "uploads_each": UPLOADS,
        "hot_ticket_history": HISTORY,
        "target_ratio": 2,
    }
    with tempfile.TemporaryDirectory() as folder:
        runs = iter(range(2))
        figures["sqlite"] = compare(lambda: sqlite_url(Path(folder) / str(next(runs))))
    pg_admin = os.environ.get("DATABASE_URL_TEST")
    if pg_admin:
        figures["postgresql"] = compare(lambda: fresh_postgres(pg_admin))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
