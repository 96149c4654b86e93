"""Scans with durable journal commits against a 100,000-ticket snapshot.

Target (issue 2): p95 under 5 ms per scan. Each scan is the whole door path: verify, read the
ticket and its history, decide, append to the journal, commit with fsync (WAL, synchronous=FULL).
"""

from __future__ import annotations

import itertools
import tempfile
import time
from pathlib import Path

from _common import NOW, emit, loaded_store, ms_percentiles, sized, write_large_snapshot

from scanner.app.clock import FixedClock
from scanner.app.demo import iter_tickets, make_event
from scanner.app.door import open_door

TICKETS = sized(100_000, 300)
SCANS = sized(3_000, 60)


def main() -> None:
    event = make_event(0, event_id="evt_bench")
    pairs = list(iter_tickets(event, TICKETS, seed=9))
    with tempfile.TemporaryDirectory() as tmp:
        snapshot = write_large_snapshot(
            event, Path(tmp) / "s.jsonl", TICKETS, rows=[r for r, _ in pairs]
        )
        data = loaded_store(Path(tmp), event, snapshot)
        door = open_door(data, "Main entrance", clock=FixedClock(NOW))
        codes = [code for _, code in pairs[:: TICKETS // SCANS] if code]
        # first admissions, then re-scans of the same codes (already checked in) and garbage
        stream = list(
            itertools.islice(itertools.chain(codes, codes[:500], ["garbage"] * 200), SCANS)
        )
        samples = []
        started = time.perf_counter()
        for text in stream:
            begin = time.perf_counter()
            door.check(text, source="bench")
            samples.append(time.perf_counter() - begin)
        total = time.perf_counter() - started
        door.close()
    emit(
        "scan_commit",
        tickets=TICKETS,
        scans=len(samples),
        scans_per_s=round(len(samples) / total),
        target_p95_ms=5,
        **ms_percentiles(samples),
    )


if __name__ == "__main__":
    main()
