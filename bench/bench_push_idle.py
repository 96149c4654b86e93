"""300 doors waiting on the changes feed (issue 25): a `scanner-server serve` process (SQLite)
holds 300 long-polls from 300 enrolled devices. Its memory (RSS) before and while they wait,
its CPU over a quiet window while they wait (and, for comparison, while the same doors poll
every 2 s as before push), and how long one upload takes to reach all of them (each gets the
new passage in its answer).
"""

from __future__ import annotations

import asyncio
import os
import random
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
POLL_S = 2.0  # the poll before push


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


async def get(port: int, target: str, key: str) -> bytes:
    """One GET in raw HTTP/1.1 (httpx's pool is slow with hundreds of connections in one
    process: the figures must be the server's, not this client's)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
    writer.write(f"{head}Authorization: Bearer {key}\r\n\r\n".encode())
    answer = await reader.read()
    writer.close()
    assert answer.startswith(b"HTTP/1.1 200"), answer
    return answer


async def settled(pid: int) -> None:
    """Until the server's CPU is quiet (under 2 % over a second): every request in is held."""
    for _ in range(120):
        before = cpu_s(pid)
        await asyncio.sleep(1.0)
        if cpu_s(pid) - before < 0.02:
            return
    raise RuntimeError("the server never went quiet")


async def cpu_share(pid: int, seconds: float) -> float:
    before, started = cpu_s(pid), time.perf_counter()
    await asyncio.sleep(seconds)
    return (cpu_s(pid) - before) / (time.perf_counter() - started) * 100


async def polling(port: int, pid: int, target: str, keys: list[str]) -> float:
    """The same doors polling every 2 s instead (as before push): the server's CPU share."""
    stop = time.perf_counter() + QUIET_S + 2

    async def poll(key: str, rng: random.Random) -> None:
        await asyncio.sleep(rng.uniform(0, POLL_S))
        while time.perf_counter() < stop:
            await get(port, target, key)
            await asyncio.sleep(POLL_S)

    rng = random.Random(5)
    doors = [asyncio.create_task(poll(key, rng)) for key in keys]
    await asyncio.sleep(1.0)  # all under way
    share = await cpu_share(pid, QUIET_S)
    await asyncio.gather(*doors)
    return share


async def measure(
    api: str, port: int, pid: int, event_id: str, ticket_id: str, keys: list[str]
) -> dict[str, object]:
    route = f"/events/{event_id}/changes"
    path = httpx.URL(api).path + route
    async with httpx.AsyncClient(base_url=api, timeout=60) as http:
        first = await http.get(route, headers={"Authorization": f"Bearer {keys[0]}"})
        cursor = first.json()["cursor"]
        await settled(pid)
        idle_rss = rss_mb(pid)

        async def wait(key: str) -> float:
            answer = await get(port, f"{path}?since={cursor}&wait={WAIT_S}", key)
            assert b'"passage"' in answer, answer
            return time.perf_counter()

        waits = [asyncio.create_task(wait(key)) for key in keys]
        while established(port) < len(keys):
            await asyncio.sleep(0.05)
        await settled(pid)
        waiting_cpu = await cpu_share(pid, QUIET_S)
        waiting_rss = rss_mb(pid)
        uploaded = time.perf_counter()
        batch = {"entries": [admission(ticket_id)]}
        headers = {"Authorization": f"Bearer {keys[0]}"}
        answer = await http.post(f"/events/{event_id}/checkins", headers=headers, json=batch)
        assert answer.status_code == 200, answer.text
        answered = [at - uploaded for at in await asyncio.gather(*waits)]
        cursor = (
            answer.json()["results"] and (await http.get(route, headers=headers)).json()["cursor"]
        )
        polled_cpu = await polling(port, pid, f"{path}?since={cursor}", keys)
    return {
        "rss_idle_mb": round(idle_rss, 1),
        "rss_waiting_mb": round(waiting_rss, 1),
        "kb_per_waiting_door": round((waiting_rss - idle_rss) * 1024 / len(keys), 1),
        "cpu_while_waiting_pct_of_a_core": round(waiting_cpu, 2),
        "cpu_while_polling_every_2s_pct_of_a_core": round(polled_cpu, 2),
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
