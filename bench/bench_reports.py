"""Organizer reports on 100,000 tickets and 150,000 journal entries: CSV (scan log), XLSX (every
sheet) and PDF (summary, charts, conflicts), each made in a fresh child process so its peak
memory (VmHWM) is its own. On the scanner (its data file) and on the server (SQLite; PostgreSQL
too when run under scripts/with-postgres.sh, i.e. with DATABASE_URL_TEST set).

BENCH_REPORT_SIDES=server runs the server side alone (e.g. under scripts/with-postgres.sh).

Target (issue 11): each under 10 s and 300 MB. `seconds` is wall time from opening the data to
the renamed file; `cpu_seconds` (the child process's CPU over its whole life, all threads,
so start-up and imports too: about half a second, plus the PDF's drawing process) tells how
much of it was waiting on a shared machine, and `load_avg` (one-minute, at start and end) how
shared it was. The PDF is drawn in a process of its own (scanner/reports/pdf_process.py): its
peak memory is `drawing_peak_mb`, apart from the process that built the report.
Each side first measures two baselines in the same run: `read` (the journal and the tickets
streamed once each, no report) and the CSV; each format's line gives its CPU time as a ratio
to both (`cpu_vs_read`, `cpu_vs_csv`) and its wall time to the CSV's (`seconds_vs_csv`).
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from _common import DAY, NOW, emit, loaded_store, peak_mb, sized, write_large_snapshot

TICKETS, ENTRIES = sized((100_000, 150_000), (300, 600))
START = datetime.combine(DAY, datetime.min.time(), UTC) + timedelta(hours=16)


def _entries(ticket_ids: list[str], rng: random.Random) -> list[dict[str, object]]:
    """Admissions over four hours at four doors, some exits, refusals and re-admissions."""
    rows = []
    for n in range(ENTRIES):
        ticket = ticket_ids[n % len(ticket_ids)]
        outcome = rng.choice(["admitted"] * 8 + ["rejected", "exited"])
        rows.append({
            "id": str(uuid.UUID(int=rng.getrandbits(128))), "seq": n + 1, "ticket_id": ticket,
            "outcome": outcome, "direction": "exit" if outcome == "exited" else "entry",
            "reason": "already_checked_in" if outcome == "rejected" else "ok",
            "door": f"door {n % 4}", "at": START + timedelta(seconds=n * 0.1),
        })  # fmt: skip
    return rows


def scanner_data(folder: Path) -> Path:
    from sqlalchemy import Connection, text

    from scanner.app.demo import make_event
    from scanner.store.store import Store
    from tests.store_jobs import on_writer

    event = make_event(10, seed=3, mint=False)
    data = loaded_store(folder, event, write_large_snapshot(event, folder / "s.jsonl", TICKETS))

    def add_journal(conn: Connection) -> None:
        ids = [r[0] for r in conn.execute(text("SELECT ticket_id FROM tickets"))]
        rows = _entries(ids, random.Random(5))
        for row in rows:
            row["at"] = row["at"].isoformat(timespec="microseconds")  # type: ignore[union-attr]
        conn.execute(
            text(
                "INSERT INTO journal (id, seq, device_id, event_id, kind, ticket_id, direction,"
                " outcome, reason, door, source, scanned_at, upload_state, format)"
                " VALUES (:id, :seq, 'dev-bench', :event, 'scan', :ticket_id, :direction,"
                " :outcome, :reason, :door, 'camera', :at, 'pending', 'TK1')"
            ),
            [{**r, "event": event.event_id} for r in rows],
        )

    # Through the store's own writer: the data file is encrypted with the device key.
    with Store(data, synchronous=True) as store:
        on_writer(store, add_journal)
    return data


def server_data(url: str) -> str:
    from server_stub.db import open_database
    from server_stub.models import Checkin, Ticket
    from server_stub.testing import seed_event

    event = seed_event(url, tickets_per_type=1, ticket_types=("ga",))
    db = open_database(url)
    with db.writing() as session:
        ids = [f"b{n:07d}" for n in range(TICKETS)]
        session.execute(
            Ticket.__table__.insert(),
            [
                {
                    "event_id": event.event_id,
                    "id": t,
                    "type": "ga",
                    "status": "valid",
                    "name": f"Holder {t}",
                    "order_code": "O" + t,
                    "flags": [],
                    "updated_at": NOW,
                }
                for t in ids
            ],
        )
        session.execute(
            Checkin.__table__.insert(),
            [{"event_id": event.event_id, "entry_id": r["id"], "device_id": "dev-bench",
              "device_seq": r["seq"], "kind": "scan", "ticket_id": r["ticket_id"],
              "direction": r["direction"], "outcome": r["outcome"], "reason": r["reason"],
              "door": r["door"], "scanned_at": r["at"], "scanned_local": str(r["at"]),
              "received_at": r["at"], "format": "TK1"} for r in _entries(ids, random.Random(5))],
        )  # fmt: skip
    db.dispose()
    return event.event_id


def _source(side: str, where: str, event_id: str) -> tuple[Any, Callable[[], None]]:
    """The report source, and how to close what it reads from."""
    if side == "scanner":
        from scanner.app.reporting import DoorReportSource
        from scanner.store.store import Store

        store = Store(Path(where), synchronous=True)
        return DoorReportSource(store), store.close
    from server_stub.db import open_database
    from server_stub.services.report_rows import ServerReportSource

    db = open_database(where)
    return ServerReportSource(db, event_id), db.dispose


# The PDF's drawing process, run as it is and then asked for its own peak memory.
DRAWING = """
import sys
from pathlib import Path
from scanner.reports.pdf_process import main
code = main(sys.argv[2:])
status = Path("/proc/self/status").read_text()
Path(sys.argv[1]).write_text(next(x for x in status.splitlines() if x.startswith("VmHWM:")))
sys.exit(code)
"""


def child(side: str, fmt: str, where: str, event_id: str) -> None:
    """One figure, in a process of its own. `read` is the baseline: the journal and the
    tickets streamed once each from the same source, no report made."""
    from scanner.reports import pdf_process
    from scanner.reports.writers import Request, produce_file

    out = Path(tempfile.mkdtemp()) / f"report.{fmt}"
    drawing = out.with_name("drawing-peak")
    pdf_process.child_command = lambda: [sys.executable, "-c", DRAWING, str(drawing)]
    load = os.getloadavg()[0]
    started = time.perf_counter()
    source, close = _source(side, where, event_id)
    if fmt == "read":
        read = sum(1 for _ in source.entries()), sum(1 for _ in source.tickets())
        assert read[0] == ENTRIES and read[1] >= TICKETS, read
    else:
        kind = "scan-log" if fmt == "csv" else "full"
        produce_file(source, NOW, Request(fmt, kind), out)
    close()
    seconds = time.perf_counter() - started
    cpu = sum(
        usage.ru_utime + usage.ru_stime
        for usage in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    )
    drawn = int(drawing.read_text().split()[1]) / 1024 if drawing.exists() else 0
    emit(
        f"report_{side}_{fmt}", backend=where.split(":")[0] if side == "server" else "sqlite",
        tickets=TICKETS, entries=ENTRIES, seconds=round(seconds, 2),
        cpu_seconds=round(cpu, 2), peak_mb=round(peak_mb(), 1),
        drawing_peak_mb=round(drawn, 1),
        file_mb=round(out.stat().st_size / 1e6, 2) if out.exists() else 0,
        under_10s=seconds < 10, under_300mb=max(peak_mb(), drawn) < 300,
        load_avg=[round(load, 2), round(os.getloadavg()[0], 2)],
    )  # fmt: skip


def _run(side: str, fmt: str, where: str, event_id: str) -> dict[str, Any]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, __file__, side, fmt, where, event_id],
        env=env, check=True, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    if len(sys.argv) > 1:
        child(*sys.argv[1:5])
        return
    folder = Path(tempfile.mkdtemp())
    sides = os.environ.get("BENCH_REPORT_SIDES", "scanner,server").split(",")
    runs = [("scanner", str(scanner_data(folder)), "-")] if "scanner" in sides else []
    url = os.environ.get("DATABASE_URL_TEST") or f"sqlite:///{folder / 'server.sqlite3'}"
    if "server" in sides:
        runs.append(("server", url, server_data(url)))
    for side, where, event_id in runs:
        # Baselines from the same run on the same machine: streaming the rows alone, and the
        # CSV. Ratios to them hold better than seconds on a shared machine (docs/reports.md).
        read = _run(side, "read", where, event_id)
        emit(**read)
        csv = _run(side, "csv", where, event_id)
        for fmt in ("csv", "xlsx", "pdf"):
            figures = csv if fmt == "csv" else _run(side, fmt, where, event_id)
            emit(
                **figures,
                cpu_vs_read=round(figures["cpu_seconds"] / read["cpu_seconds"], 2),
                cpu_vs_csv=round(figures["cpu_seconds"] / csv["cpu_seconds"], 2),
                seconds_vs_csv=round(figures["seconds"] / csv["seconds"], 2),
            )


if __name__ == "__main__":
    main()
