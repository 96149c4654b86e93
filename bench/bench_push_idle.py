"""300 doors waiting on the changes feed (issue 25): a `scanner-server serve` process (SQLite)
holds 300 long-polls from 300 enrolled devices. Its memory (RSS) before and while they wait,
its CPU over a quiet window while they wait, and how long one upload takes to reach all of
them (each gets the new passage in its answer).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from _common import emit, ms_percentiles, sized

from server_stub.db import open_database
from server_stub.models import Event
from server_stub.services import devices
from server_stub.testing import seed_event, server_process, sqlite_url

DOORS = sized(300, 20)
QUIET_S = sized(10.0, 1.0)  # the window CPU is measured over (the waits last 30 s)
WAIT_S = 30


def tokens(db_url: str, event_id: str, count: int) -> list[str]:
    db = open_database(db_url)
    try:
        with db.writing() as session:
            event = session.get(Event, event_id)
            assert event is not None
            made = []
            for n in range(count):
                code, _ = devices.create_enrollment_code(session, event, f"d{n}", None, 3600)
                made.append(devices.enroll(session, code, f"door {n}")[1])
    finally:
        db.dispose()
    return made


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def established(port: int) -> int:
    """Connections to `port` the server has accepted (from /proc/net/tcp: state 01)."""
    rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return sum(1 for r in rows if r.split()[1].endswith(f":{port:04X}") and r.split()[3] == "01")


def admission(ticket_id: str) -> dict[str, object]:
    return {
        "id": str(uuid.uuid4()),
        "device_seq": 1,
        "ticket_id": ticket_id,
        "format": "TK1",
        "outcome": "admitted",
        "reason": "ok",
        "door": "d0",
        "scanned_at": "2026-05-01T18:00:00+00:00",
    }


async def measure(
    api: str, port: int, pid: int, event_id: str, ticket_id: str, keys: list[str]
) -> dict[str, object]:
    limits = httpx.Limits(max_connections=len(keys) + 10)
    async with httpx.AsyncClient(base_url=api, limits=limits, timeout=WAIT_S + 30) as http:
        headers = [{"Authorization": f"Bearer {key}"} for key in keys]
        path = f"/events/{event_id}/changes"
        first = await http.get(path, headers=headers[0])
        cursor = first.json()["cursor"]
        idle_rss = rss_mb(pid)
        sent = time.perf_counter()

        async def wait(h: dict[str, str]) -> float:
            answer = await http.get(path, headers=h, params={"since": cursor, "wait": WAIT_S})
            assert answer.status_code == 200 and answer.json()["records"], answer.text
            return time.perf_counter()

        waits = [asyncio.create_task(wait(h)) for h in headers]
        while established(port) < len(keys):
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)  # the last requests read and held
        held_s = time.perf_counter() - sent
        cpu_before, quiet_started = cpu_s(pid), time.perf_counter()
        await asyncio.sleep(QUIET_S)
        quiet_cpu = (cpu_s(pid) - cpu_before) / (time.perf_counter() - quiet_started)
        waiting_rss = rss_mb(pid)
        uploaded = time.perf_counter()
        batch = {"entries": [admission(ticket_id)]}
        answer = await http.post(f"/events/{event_id}/checkins", headers=headers[0], json=batch)
        assert answer.status_code == 200, answer.text
        answered = [at - uploaded for at in await asyncio.gather(*waits)]
    return {
        "seconds_to_hold_all": round(held_s, 2),
        "rss_idle_mb": round(idle_rss, 1),
        "rss_waiting_mb": round(waiting_rss, 1),
        "kb_per_waiting_door": round((waiting_rss - idle_rss) * 1024 / len(keys), 1),
        "cpu_while_waiting_pct_of_a_core": round(quiet_cpu * 100, 2),
        "one_upload_to_every_door": ms_percentiles(answered),
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db_url = sqlite_url(Path(tmp))
        event = seed_event(db_url, tickets_per_type=5, ticket_types=("ga",))
        keys = tokens(db_url, event.event_id, DOORS)
        with server_process(db_url) as (url, child):
            port = int(url.rsplit(":", 1)[1])
            api = url + "/api/v1"
            ticket = event.ticket_ids[0]
            figures = asyncio.run(measure(api, port, child.pid, event.event_id, ticket, keys))
    emit("push_idle", doors=DOORS, quiet_window_s=QUIET_S, **figures)


if __name__ == "__main__":
    main()
