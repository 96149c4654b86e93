"""Importing signed snapshots of 100,000 and 1,000,000 tickets into a fresh data file.

Targets (issue 2): 100,000 in under 5 s, 1,000,000 in under 60 s, peak memory under 500 MB.
Each import runs in its own process, so its peak resident memory is its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import emit, sized, write_large_snapshot

from scanner.app.demo import make_event

SIZES = sized([100_000, 1_000_000], [1_000, 2_000])
CHILD = f"""
import json, sys, time
sys.path.insert(0, {str(Path(__file__).parent)!r})
from _common import peak_mb
from datetime import UTC, datetime
from pathlib import Path
from scanner.store.store import Store
path, data, trust = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
started = time.perf_counter()
store = Store(data, synchronous=True)
summary = store.import_snapshot_file(path, datetime.now(UTC), vouched=trust)
store.close()
seconds = time.perf_counter() - started
print(json.dumps({{"tickets": summary.tickets, "seconds": seconds, "peak_mb": peak_mb()}}))
"""


def main() -> None:
    event = make_event(0, event_id="evt_bench")
    figures: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in SIZES:
            snapshot = write_large_snapshot(event, Path(tmp) / f"s{size}.jsonl", size)
            done = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    CHILD,
                    str(snapshot),
                    f"{tmp}/data{size}",
                    event.platform_fingerprint,
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            result = json.loads(done.stdout)
            label = f"{size // 1000}k"
            figures[f"{label}_seconds"] = round(result["seconds"], 2)
            figures[f"{label}_tickets_per_s"] = round(size / result["seconds"])
            figures[f"{label}_peak_mb"] = round(result["peak_mb"], 1)
            figures[f"{label}_file_mb"] = round(snapshot.stat().st_size / 2**20, 1)
            snapshot.unlink()
    emit("import", targets={"100k_seconds": 5, "1000k_seconds": 60, "peak_mb": 500}, **figures)


if __name__ == "__main__":
    main()
