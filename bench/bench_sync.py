"""Sync figures against the real companion API (a `scanner-server serve` process on 127.0.0.1).

- first enrolment of a 100,000-ticket event: seconds to ready-to-scan (target < 10 s) and the
  scanner process's peak memory;
- 10,000 offline scans uploaded after reconnecting (target < 5 s);
- another door's admission visible here at the default poll interval (target < 5 s), by the
  poll alone (pushed, through the long-poll: bench_door_to_door).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import emit, sized

from scanner.app.clock import SystemClock
from scanner.app.door import Door, door_settings
from scanner.store.store import Store
from scanner.sync.engine import Syncer
from scanner.sync.enrolment import enroll
from scanner.sync.service import DEFAULT_POLL_S, SyncService
from server_stub.testing import seed_event, server_process, sqlite_url
from tests.store_jobs import read_sql

TICKETS = sized(100_000, 300)
OFFLINE_SCANS = sized(10_000, 50)
VISIBILITY_ROUNDS = sized(5, 1)


# `scanner enroll` in a fresh process that reports its own peak memory.
ENROL = f"""
import sys
sys.path.insert(0, {str(Path(__file__).parent)!r})
from _common import peak_mb
from scanner.cli.main import main
code = main(sys.argv[1:])
print(peak_mb(), file=sys.stderr)
sys.exit(code)
"""


def enrol_process(url: str, code: str, directory: Path) -> tuple[float, float]:
    started = time.perf_counter()
    argv = [sys.executable, "-c", ENROL, "--data-dir", str(directory), "enroll", url, code]
    done = subprocess.run(argv, check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    return seconds, float(done.stderr.strip().splitlines()[-1])


def device(directory: Path, url: str, code: str) -> tuple[Store, Door, Syncer]:
    store = Store(directory, synchronous=True)
    enroll(store, url, code, SystemClock().now)
    return store, Door(store, door_settings(store, None)), Syncer(store, SystemClock().now)


def visibility(codes: list[str], here: Store, there: Door, there_sync: Syncer) -> list[float]:
    """Seconds from the other door's upload to its admission being applied here."""
    service = SyncService(Syncer(here, SystemClock().now), DEFAULT_POLL_S, push=None)
    service.start()
    delays = []
    try:
        for code in codes:
            result = there.check(code, source="bench")
            there_sync.run_once()
            uploaded = time.perf_counter()
            while not read_sql(
                here, "SELECT 1 FROM remote_passages WHERE entry_id = ?", result.entry_id
            ):
                time.sleep(0.005)
            delays.append(time.perf_counter() - uploaded)
    finally:
        service.stop()
    return delays


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        db_url = sqlite_url(root)
        event = seed_event(db_url, tickets_per_type=TICKETS // 2, ticket_types=("ga", "vip"))
        codes = [event.codes[t] for t in event.ticket_ids]
        with server_process(db_url) as (url, _child):
            enrol_s, enrol_peak_mb = enrol_process(
                url, event.enrollment_code("gate1"), root / "gate1"
            )
            store, door, syncer = device(root / "offline", url, event.enrollment_code("gate2"))
            for code in codes[:OFFLINE_SCANS]:
                door.check(code, source="bench")
            started = time.perf_counter()
            state = syncer.run_once()
            upload_s = time.perf_counter() - started
            assert state.waiting == 0, state
            other_store, other, other_sync = device(
                root / "other", url, event.enrollment_code("gate3")
            )
            delays = visibility(
                codes[OFFLINE_SCANS : OFFLINE_SCANS + VISIBILITY_ROUNDS], store, other, other_sync
            )
            for s in (store, other_store):
                s.close()
    emit(
        "sync",
        tickets=TICKETS,
        enrol_seconds_to_ready=round(enrol_s, 2),
        enrol_peak_mb=round(enrol_peak_mb, 1),
        offline_scans=OFFLINE_SCANS,
        upload_and_pull_seconds=round(upload_s, 2),
        poll_interval_s=DEFAULT_POLL_S,
        other_door_visible_mean_s=round(statistics.mean(delays), 2),
        other_door_visible_max_s=round(max(delays), 2),
        targets={"enrol_s": 10, "upload_s": 5, "visible_s": 5},
    )


if __name__ == "__main__":
    main()
