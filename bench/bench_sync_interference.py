"""Scan latency with sync fighting faults in the background, against scan latency with sync idle.

Target (issue 4): the p95 with sync busy is within 10% of the p95 with sync idle. Both are
measured in the same run, in alternating blocks, on one door whose scans and sync share the one
store writer, through a fault proxy that keeps switching between 500s, slow answers, resets
after commit and good answers while sync retries as fast as it is allowed to. The server and
the proxy run in processes of their own, as the platform runs on another machine.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from _common import ROOT, emit, ms_percentiles, sized

from scanner.app.clock import SystemClock
from scanner.app.door import Door, door_settings
from scanner.store.store import Store
from scanner.sync.backoff import Backoff
from scanner.sync.engine import Syncer
from scanner.sync.enrolment import enroll
from scanner.sync.service import SyncService
from server_stub.testing import seed_event, server_process, sqlite_url
from tests.store_jobs import write_sql
from tests.sync.conftest import short_timeout_client

BLOCKS = sized(6, 2)  # blocks alternate idle and busy: two at least
PER_BLOCK = sized(300, 20)


@contextmanager
def fault_proxy(upstream_url: str) -> Iterator[str]:
    port = upstream_url.rsplit(":", 1)[1]
    argv = [sys.executable, "-m", "tests.sync.faultproxy", port, "0.25"]
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert child.stdout is not None
        yield f"http://127.0.0.1:{child.stdout.readline().strip()}"
    finally:
        child.terminate()
        child.wait()


def scan_block(door: Door, codes: list[str]) -> list[float]:
    samples = []
    for code in codes:
        begin = time.perf_counter()
        door.check(code, source="bench")
        samples.append(time.perf_counter() - begin)
    return samples


def busy_block(store: Store, door: Door, codes: list[str]) -> list[float]:
    syncer = Syncer(store, SystemClock().now, short_timeout_client, batch=50)
    service = SyncService(syncer, poll_s=0.05, backoff=Backoff(base_s=0.05, cap_s=0.2))
    service.start()
    try:
        return scan_block(door, codes)
    finally:
        service.stop()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db_url = sqlite_url(Path(tmp))
        event = seed_event(db_url, tickets_per_type=BLOCKS * PER_BLOCK, ticket_types=("ga",))
        codes = [event.codes[t] for t in event.ticket_ids]
        with server_process(db_url) as (server_url, _child), fault_proxy(server_url) as proxy:
            store = Store(Path(tmp) / "door")  # the writer on its own thread, as in the app
            # enrolled directly: the proxy in front is busy failing on purpose
            enroll(store, server_url, event.enrollment_code("gate"), SystemClock().now)
            write_sql(store, "UPDATE settings SET value = ? WHERE key = 'server_url'", proxy)
            door = Door(store, door_settings(store, None))
            idle: list[float] = []
            busy: list[float] = []
            for block in range(BLOCKS):
                chunk = codes[block * PER_BLOCK : (block + 1) * PER_BLOCK]
                if block % 2 == 0:
                    idle += scan_block(door, chunk)
                else:
                    busy += busy_block(store, door, chunk)
            store.close()
    idle_p, busy_p = ms_percentiles(idle), ms_percentiles(busy)
    emit(
        "sync_interference",
        scans_each=len(idle),
        idle=idle_p,
        busy=busy_p,
        p95_ratio=round(busy_p["p95_ms"] / idle_p["p95_ms"], 3),
        target_p95_ratio=1.10,
    )


if __name__ == "__main__":
    main()
