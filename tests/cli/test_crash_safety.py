"""kill -9 in the middle of a burst of scans: every verdict printed is in the journal, and the
file passes SQLite's integrity check."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scanner.app.demo import DemoEvent
from tests.store.helpers import query

# Many scans per second in one process, so the kill lands inside commits.
FAST_LOOP = """
import sys
from scanner.cli.main import main
data_dir, codes = sys.argv[1], sys.argv[2:]
for i in range(100000):
    main(["--data-dir", data_dir, "check", codes[i % len(codes)], "--json"])
"""


def _burst(data_dir: Path, codes: list[str], out: Path, fast: bool) -> subprocess.Popen[bytes]:
    if fast:
        argv = [sys.executable, "-c", FAST_LOOP, str(data_dir), *codes]
    else:  # separate `scanner check` processes, four at a time
        script = (
            'for c in "$@"; do '
            f'"{sys.executable}" -m scanner --data-dir "{data_dir}" check "$c" --json & '
            "[ $(jobs -r | wc -l) -ge 4 ] && wait -n; done; wait"
        )
        argv = ["bash", "-c", script, "burst", *codes]
    with out.open("wb") as sink:
        return subprocess.Popen(
            argv, stdout=sink, stderr=subprocess.DEVNULL, start_new_session=True
        )


def _wait_for_verdicts(files: list[Path], at_least: int, deadline_s: float = 90) -> None:
    """Until the bursts have printed some verdicts (a cold start compiles bytecode first)."""
    give_up = time.monotonic() + deadline_s
    while time.monotonic() < give_up:
        printed = sum(f.read_bytes().count(b"}\n") for f in files if f.exists())
        if printed >= at_least:
            return
        time.sleep(0.05)


@pytest.mark.parametrize("fast", [False, True], ids=["cli-processes", "in-process-loop"])
def test_every_printed_verdict_survives_kill_9(
    data_dir: Path, demo_event: DemoEvent, tmp_path: Path, fast: bool
) -> None:
    codes = [demo_event.codes[row.ticket_id] for row in demo_event.rows[:60]]
    out = tmp_path / "verdicts.jsonl"
    procs = [_burst(data_dir, codes, out.with_suffix(f".{n}"), fast) for n in range(2)]
    _wait_for_verdicts([out.with_suffix(f".{n}") for n in range(2)], at_least=6)
    time.sleep(0.3)  # then kill in the middle of whatever is running
    for proc in procs:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    printed = []
    for n in range(2):
        for line in out.with_suffix(f".{n}").read_text().splitlines():
            if line.endswith("}"):  # a line cut by the kill was never shown
                printed.append(json.loads(line))
    assert len(printed) >= 4, "the burst printed too little to test anything"
    stored = {row[0]: row[1] for row in query(data_dir, "SELECT id, outcome FROM journal")}
    for verdict in printed:
        assert stored.get(verdict["scan_id"]) == verdict["outcome"]
    assert query(data_dir, "PRAGMA integrity_check") == [("ok",)]
    seqs = [row[0] for row in query(data_dir, "SELECT seq FROM journal ORDER BY seq")]
    assert seqs == list(range(1, len(seqs) + 1))  # no gaps, no duplicates
    admitted = query(
        data_dir,
        "SELECT ticket_id, COUNT(*) FROM journal WHERE outcome = 'admitted' GROUP BY ticket_id"
        " HAVING COUNT(*) > 1",
    )
    assert admitted == []  # concurrent doors never admitted one ticket twice
