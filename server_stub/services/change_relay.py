"""Changes committed by other server processes on one PostgreSQL, relayed to this process's
waiters: one LISTEN connection per process (never one per waiter).

Every commit that appends changes also sends `NOTIFY scanner_changes, '<event id> <seq>'`
(server_stub.db.changed, inside the transaction: PostgreSQL delivers it at commit, never after a
rollback). The relay starts with the first waiter, in the server's event loop, and reconnects
with backoff when the database goes away; each time it (re)starts listening it reads the newest
seq of every event waited for, since a notification sent while nobody listened is lost.
"""

from __future__ import annotations

import asyncio
import logging
import random
from typing import Any

import psycopg
from sqlalchemy import make_url

from server_stub.db import NOTIFY_CHANNEL, read_notify_payload
from server_stub.services.change_signal import ChangeSignal

RETRY_CAP_S = 30.0
APPLICATION_NAME = "scanner-server change relay"  # how its connection shows in pg_stat_activity
log = logging.getLogger("server_stub")


async def _catch_up(conn: psycopg.AsyncConnection[Any], signal: ChangeSignal) -> None:
    """What was committed while nobody listened: each waited-for event's newest seq."""
    waited = signal.waited_events()
    if waited:
        found = await conn.execute("SELECT id, last_seq FROM events WHERE id = ANY(%s)", [waited])
        for event_id, seq in await found.fetchall():
            signal.notify(event_id, seq)


class PostgresRelay:
    def __init__(self, database_url: str) -> None:
        # psycopg's own form of the URL (SQLAlchemy's names its driver)
        url = make_url(database_url).set(drivername="postgresql")
        self._dsn = url.render_as_string(hide_password=False)
        self._task: asyncio.Task[None] | None = None

    def __call__(self, signal: ChangeSignal) -> None:
        """Make sure the relay runs in the current event loop (called by each waiter)."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(
                self._run(signal), name="change-relay"
            )

    async def _run(self, signal: ChangeSignal) -> None:
        delay = 0.5
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    self._dsn, autocommit=True, application_name=APPLICATION_NAME
                ) as conn:
                    await conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    delay = 0.5
                    await _catch_up(conn, signal)
                    async for note in conn.notifies():
                        heard = read_notify_payload(note.payload)
                        if heard is not None:
                            signal.notify(*heard)
            except psycopg.Error as exc:
                log.warning(
                    "change relay: %s; listening again in %.0f s", type(exc).__name__, delay
                )
                await asyncio.sleep(delay * random.uniform(0.5, 1.0))
                delay = min(delay * 2, RETRY_CAP_S)
