"""Encryption at rest: the same 100,000-ticket door with a plain data file and with SQLCipher,
side by side in one run: import, scans with durable commits, manual search.

Targets kept (issue 2): import of 100,000 under 5 s, scan p95 under 5 ms, search p95 under 20 ms.
Each mode gets a fresh data folder; the modes alternate scan by scan and search by search so
that the shared machine's noise falls on both alike.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import NOW, emit, ms_percentiles, sized, write_large_snapshot
from bench_search import queries

from scanner.app.clock import FixedClock
from scanner.app.demo import iter_tickets, make_event
from scanner.app.door import Door, door_settings
from scanner.store.store import Store

TICKETS = int(os.environ.get("BENCH_TICKETS", sized(100_000, 300)))
SCANS = min(2_000, TICKETS // 10)
MODES = {"plain": False, "sqlcipher": True}


def main() -> None:
    event = make_event(0, event_id="evt_bench")
    pairs = list(iter_tickets(event, TICKETS, seed=9))
    rows = [row for row, _ in pairs]
    codes = [code for _, code in pairs[:: TICKETS // SCANS] if code][:SCANS]
    searches = queries(rows, random.Random(4))
    figures: dict[str, dict[str, Any]] = {mode: {} for mode in MODES}
    with tempfile.TemporaryDirectory() as tmp:
        snapshot = write_large_snapshot(event, Path(tmp) / "s.jsonl", TICKETS, rows=rows)
        doors: dict[str, Door] = {}
        for mode, encrypted in MODES.items():
            store = Store(Path(tmp) / mode, synchronous=True, encrypted=encrypted)
            started = time.perf_counter()
            store.import_snapshot_file(snapshot, NOW, vouched=event.platform_fingerprint)
            figures[mode]["import_seconds"] = round(time.perf_counter() - started, 2)
            figures[mode]["file_mb"] = round(
                (Path(tmp) / mode / "scanner.sqlite3").stat().st_size / 2**20, 1
            )
            doors[mode] = Door(store, door_settings(store, "Main entrance"), FixedClock(NOW))
        scans: dict[str, list[float]] = {mode: [] for mode in MODES}
        for text in codes:
            for mode, door in doors.items():
                begin = time.perf_counter()
                door.check(text, source="bench")
                scans[mode].append(time.perf_counter() - begin)
        found: dict[str, list[float]] = {mode: [] for mode in MODES}
        for query in searches:
            for mode, door in doors.items():
                begin = time.perf_counter()
                door.store.search(query)
                found[mode].append(time.perf_counter() - begin)
        for mode, door in doors.items():
            door.close()
            figures[mode]["scan"] = ms_percentiles(scans[mode])
            figures[mode]["search"] = ms_percentiles(found[mode])
    plain, cipher = figures["plain"], figures["sqlcipher"]
    emit(
        "data_at_rest",
        tickets=TICKETS,
        scans=len(codes),
        searches=len(searches),
        targets={"import_seconds": 5, "scan_p95_ms": 5, "search_p95_ms": 20},
        **figures,
        sqlcipher_over_plain={
            "import": round(cipher["import_seconds"] / plain["import_seconds"], 2),
            "scan_p50": round(cipher["scan"]["p50_ms"] / plain["scan"]["p50_ms"], 2),
            "scan_p95": round(cipher["scan"]["p95_ms"] / plain["scan"]["p95_ms"], 2),
            "search_p95": round(cipher["search"]["p95_ms"] / plain["search"]["p95_ms"], 2),
        },
    )


if __name__ == "__main__":
    main()
