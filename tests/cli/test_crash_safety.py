"""kill -9 in the middle of a burst of scans: every verdict printed is in the journal, and the
file passes SQLite's integrity check."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from scanner.app.demo import DEMO_TIMEZONE, DemoEvent, write_snapshot
from scanner.store.store import Store
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


# Two `scanner check` processes held at a barrier, then released onto the same ticket together.
RACER = """
import sys
from pathlib import Path
from scanner.cli.main import main
data_dir, code, ready = sys.argv[1:4]
Path(ready).touch()
sys.stdin.buffer.read(1)
sys.exit(main(["--data-dir", data_dir, "check", code, "--json"]))
"""


def _wait_for(paths: list[Path], deadline_s: float = 90) -> None:
    give_up = time.monotonic() + deadline_s
    while not all(path.exists() for path in paths):
        assert time.monotonic() < give_up, "the racers never got ready"
        time.sleep(0.01)


def test_two_processes_checking_one_ticket_admit_it_exactly_once(
    demo_event: DemoEvent, tmp_path: Path
) -> None:
    today = datetime.now(ZoneInfo(DEMO_TIMEZONE)).date()  # the event runs today: the CLI's clock
    snapshot = write_snapshot(demo_event, tmp_path / "today.jsonl", today)
    data_dir = tmp_path / "data"
    store = Store(data_dir, synchronous=True)
    store.import_snapshot_file(snapshot, datetime.now(UTC), vouched=demo_event.platform_fingerprint)
    store.close()
    tickets = [row.ticket_id for row in demo_event.rows if row.ticket_type == "ga"][:6]
    for round_, ticket_id in enumerate(tickets):
        ready = [tmp_path / f"ready-{round_}-{n}" for n in range(2)]
        racers = [
            subprocess.Popen(
                [sys.executable, "-c", RACER, str(data_dir), demo_event.codes[ticket_id], str(r)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for r in ready
        ]
        _wait_for(ready)
        for racer in racers:
            assert racer.stdin is not None
            racer.stdin.write(b"g")
            racer.stdin.flush()
        verdicts = []
        for racer in racers:
            out, err = racer.communicate(timeout=120)
            assert err == b"", err
            verdicts.append(json.loads(out))
        reasons = sorted((v["outcome"], v["reason"]) for v in verdicts)
        assert reasons == [("admitted", "ok"), ("rejected", "already_checked_in")], reasons
        first = next(v for v in verdicts if v["outcome"] == "rejected")["first_admission"]
        assert first is not None  # the loser names the winner's admission
    admitted = query(data_dir, "SELECT ticket_id FROM journal WHERE outcome = 'admitted'")
    assert sorted(row[0] for row in admitted) == sorted(tickets)
