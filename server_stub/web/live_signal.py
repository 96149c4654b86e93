"""What the live page waits on: one call that returns when the event changed (or when the time
is up). Admissions, exits and undos append to the changes feed, whose push wakes the page the
moment they are committed (the same wake-up as the doors' long-poll, in every server process);
refused scans append nothing there, so the page also looks again every `QUIET_S`."""

from __future__ import annotations

import asyncio

from starlette.concurrency import run_in_threadpool

from server_stub.db import Database
from server_stub.services.change_signal import ChangeSignal
from server_stub.web.live import live_state

QUIET_S = 1.5  # a refusal shows on the page within two seconds


async def wait_for_change(
    db: Database, signal: ChangeSignal, event_id: str, after: int, timeout: float
) -> int:
    """The event's live version once it differs from `after`, or as it is after `timeout`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        version, seq = await run_in_threadpool(live_state, db, event_id)
        left = deadline - loop.time()
        if version != after or left <= 0 or signal.closed:
            return version
        await signal.wait_for_change(event_id, seq, min(QUIET_S, left))
