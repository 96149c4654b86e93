"""Wakes whoever waits for an event's next change: a door's long-poll on the changes feed, and
anything else that shows live data (an organizer page).

    signal = request.app.state.change_signal              # one per application (process)
    changed = await signal.wait_for_change(event_id, after_seq=cursor, timeout=25.0)
    signal.notify(event_id, seq)                          # from any thread, after the commit

A waiter is one asyncio future: it holds no thread and no database connection while it waits,
so several hundred waiting doors cost little. `notify` is called for every commit that appended
changes (server_stub.db calls the listeners it is given), and, on PostgreSQL, for commits made
by other processes too (`change_relay`, LISTEN/NOTIFY). On SQLite only this process's commits
notify; changes written by another process (the admin command line) reach waiters at their
timeout, when they read again.

`True` means "read again": a change after `after_seq` was committed, or the server is stopping
(a reader that then finds nothing answers with nothing). `False`: the timeout passed quietly.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

Relay = Callable[["ChangeSignal"], None]  # started with the first waiter, in its event loop


@dataclass(eq=False)
class _Waiter:
    after_seq: int
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[None] = field(repr=False)

    def wake(self) -> None:
        with contextlib.suppress(RuntimeError):  # its loop has closed: nobody waits any more
            self.loop.call_soon_threadsafe(_resolve, self.future)


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class ChangeSignal:
    def __init__(self, relay: Relay | None = None) -> None:
        self._relay = relay
        self._lock = threading.Lock()
        self._latest: dict[str, int] = {}  # event id -> newest seq notified
        self._waiters: dict[str, set[_Waiter]] = {}
        self._closed = False

    def notify(self, event_id: str, seq: int) -> None:
        """Changes up to `seq` of `event_id` are committed: wake those waiting for them."""
        with self._lock:
            if seq > self._latest.get(event_id, -1):
                self._latest[event_id] = seq
            waiting = self._waiters.get(event_id, set())
            woken = [w for w in waiting if w.after_seq < seq]
            waiting.difference_update(woken)
        for waiter in woken:
            waiter.wake()

    def waited_events(self) -> list[str]:
        """The events someone waits for."""
        with self._lock:
            return [event_id for event_id, waiting in self._waiters.items() if waiting]

    def wake_all(self) -> None:
        """Every waiter reads again, now."""
        with self._lock:
            woken = [w for waiting in self._waiters.values() for w in waiting]
            for waiting in self._waiters.values():
                waiting.clear()
        for waiter in woken:
            waiter.wake()

    def close(self) -> None:
        """The server is stopping: answer every waiter now, and wait no more."""
        self._closed = True
        self.wake_all()

    @property
    def closed(self) -> bool:
        """The server is stopping: waits end at once."""
        return self._closed

    def waiting(self, event_id: str | None = None) -> int:
        """How many wait (for `event_id`, or for any event)."""
        with self._lock:
            if event_id is not None:
                return len(self._waiters.get(event_id, ()))
            return sum(len(waiting) for waiting in self._waiters.values())

    async def wait_for_change(self, event_id: str, after_seq: int, timeout: float) -> bool:
        """Until a change after `after_seq` of `event_id` is committed (True) or `timeout`
        seconds pass (False). Changes committed since `after_seq` was read count: a reader
        never misses one that landed between its read and this call."""
        if self._relay is not None:
            self._relay(self)
        loop = asyncio.get_running_loop()
        waiter = _Waiter(after_seq, loop, loop.create_future())
        with self._lock:
            if self._closed or self._latest.get(event_id, -1) > after_seq:
                return True
            self._waiters.setdefault(event_id, set()).add(waiter)
        try:
            async with asyncio.timeout(timeout):
                await waiter.future
        except TimeoutError:
            return False
        finally:
            with self._lock:
                waiting = self._waiters.get(event_id)
                if waiting is not None:
                    waiting.discard(waiter)
                    if not waiting:
                        del self._waiters[event_id]
        return True
