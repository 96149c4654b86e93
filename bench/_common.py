"""Shared by the benchmarks: percentiles, one JSON line of figures, a large event on disk."""

from __future__ import annotations

import hashlib
import json
import os
import statistics
import sys
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
# Doors in benchmarks hear each other on loopback only: nothing leaves this machine.
os.environ["SCANNER_PEER_INTERFACE"] = "loopback"
sys.path.insert(0, str(ROOT))

from scanner.app.demo import DemoEvent, iter_tickets, write_snapshot  # noqa: E402
from scanner.checkin.attendees import AttendeeRow  # noqa: E402
from scanner.store.store import Store  # noqa: E402

NOW = datetime(2026, 5, 1, 18, 0, tzinfo=UTC)
DAY = date(2026, 5, 1)

# `make bench-short` (CI) sets BENCH_SHORT=1: every benchmark runs once on small sizes, so that
# one that no longer runs is caught long before anyone wants its figures. Its figures mean
# nothing; full mode is what the targets are judged on.
SHORT = os.environ.get("BENCH_SHORT") == "1"

T = TypeVar("T")


def sized(full: T, short: T) -> T:
    """`full` for real figures, `short` under BENCH_SHORT=1."""
    return short if SHORT else full


def one_core() -> None:
    """Benchmarks that promise a figure 'on one core' run pinned to one."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def load_average() -> float:
    """The machine's one-minute load: figures measured on a shared machine say how loaded."""
    return round(os.getloadavg()[0], 2)


def ms_percentiles(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 3),
        "p95_ms": round(pick(0.95), 3),
        "p99_ms": round(pick(0.99), 3),
        "max_ms": round(ordered[-1] * 1000, 3),
    }


def peak_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries ru_maxrss
    across exec, so a child would report the memory its parent had when it forked."""
    status = Path("/proc/self/status").read_text()
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def emit(benchmark: str, **figures: Any) -> None:
    print(json.dumps({"benchmark": benchmark, **figures}), flush=True)


def write_large_snapshot(
    event: DemoEvent,
    path: Path,
    tickets: int,
    seed: int = 3,
    rows: Iterable[AttendeeRow] | None = None,
) -> Path:
    """A snapshot of `tickets` attendees, streamed to disk. Without `rows`, codes are not minted
    (too slow for a million) and each row gets a stand-in code digest of the real size."""
    if rows is None:
        rows = (
            replace(row, code_digest=hashlib.sha256(row.ticket_id.encode()).hexdigest()[:32])
            for row, _code in iter_tickets(event, tickets, seed=seed, mint=False)
        )
    return write_snapshot(event, path, DAY, NOW, rows)


def loaded_store(directory: Path, event: DemoEvent, snapshot: Path) -> Path:
    store = Store(directory / "data", synchronous=True)
    store.import_snapshot_file(snapshot, NOW, vouched=event.platform_fingerprint)
    store.close()
    return directory / "data"
