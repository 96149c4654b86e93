"""The seam the live page waits on: one call that returns when the event changed (or when the
time is up). For now a short poll of `live_version`; the changes feed's push wake-up can take
its place without the page noticing."""

from __future__ import annotations

import asyncio

from starlette.concurrency import run_in_threadpool

from server_stub.db import Database
from server_stub.web.live import live_version

POLL_S = 0.4  # a change shows on the page well within two seconds


async def wait_for_change(db: Database, event_id: str, after: int, timeout: float) -> int:
    """The event's live version once it differs from `after`, or as it is after `timeout`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        version = await run_in_threadpool(live_version, db, event_id)
        left = deadline - loop.time()
        if version != after or left <= 0:
            return version
        await asyncio.sleep(min(POLL_S, left))
