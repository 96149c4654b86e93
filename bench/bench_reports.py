"""Organizer reports on 100,000 tickets and 150,000 journal entries: CSV (scan log), XLSX (every
sheet) and PDF (summary, charts, conflicts), each made in a fresh child process so its peak
memory (VmHWM) is its own. On the scanner (its data file) and on the server (SQLite; PostgreSQL
too when run under scripts/with-postgres.sh, i.e. with DATABASE_URL_TEST set).

BENCH_REPORT_SIDES=server runs the server side alone (e.g. under scripts/with-postgres.sh).

Target (issue 11): each under 10 s and 300 MB. `seconds` is wall time from opening the data to
the renamed file; `cpu_seconds` (this process's CPU) tells how much of it was waiting on a
shared machine.
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _common import DAY, NOW, emit, loaded_store, peak_mb, write_large_snapshot

TICKETS, ENTRIES = 100_000, 150_000
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
        store.writer.run(add_journal)
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


def child(side: str, fmt: str, where: str, event_id: str) -> None:
    out = Path(tempfile.mkdtemp()) / f"report.{fmt}"
    kind = "scan-log" if fmt == "csv" else "full"
    started = time.perf_counter()
    if side == "scanner":
        from scanner.app.reporting import write_door_report
        from scanner.store.store import Store

        store = Store(Path(where), synchronous=True)
        write_door_report(store, out, fmt, NOW, kind=kind)
        store.close()
    else:
        from scanner.reports.writers import Request, produce_file
        from server_stub.db import open_database
        from server_stub.services.report_rows import ServerReportSource

        produce_file(
            ServerReportSource(open_database(where), event_id), NOW, Request(fmt, kind), out
        )
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    emit(
        f"report_{side}_{fmt}", backend=where.split(":")[0] if side == "server" else "sqlite",
        tickets=TICKETS, entries=ENTRIES, seconds=round(seconds, 2),
        cpu_seconds=round(usage.ru_utime + usage.ru_stime, 2),
        peak_mb=round(peak_mb(), 1), file_mb=round(out.stat().st_size / 1e6, 2),
        under_10s=seconds < 10, under_300mb=peak_mb() < 300,
    )  # fmt: skip


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
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for side, where, event_id in runs:
        for fmt in ("csv", "xlsx", "pdf"):
            subprocess.run(
                [sys.executable, __file__, side, fmt, where, event_id], env=env, check=True
            )


if __name__ == "__main__":
    main()
