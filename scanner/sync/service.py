"""Sync on its own thread: a cycle every poll interval, backing off while it fails, woken early
after a scan, and when the change watch (a long-poll, `watch.py`) hears another door's passage.
While that watch is live the poll slows to PUSHED_POLL_S. A scan never waits for any of it; it
never touches widgets (state goes to listeners)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from scanner.listeners import tell
from scanner.sync.backoff import Backoff
from scanner.sync.engine import Syncer
from scanner.sync.state import Link, SyncState
from scanner.sync.watch import ChangeWatch, WaiterFactory, default_waiter

DEFAULT_POLL_S = 2.0  # without push, another door's admission shows here within about this long
PUSHED_POLL_S = 15.0  # the poll while the long-poll is live (it brings other doors' passages)
PULL_WAIT_S = 30.0  # the longest the watch waits for the pull it asked for
log = logging.getLogger(__name__)
Listener = Callable[[SyncState], None]


class SyncService:
    def __init__(
        self,
        syncer: Syncer,
        poll_s: float = DEFAULT_POLL_S,
        backoff: Backoff | None = None,
        push: WaiterFactory | None = default_waiter,  # None: poll only
    ) -> None:
        self.syncer = syncer
        self.poll_s = poll_s
        self.backoff = backoff or Backoff()
        self.watch = (
            None if push is None else ChangeWatch(syncer.store, self.pull_now, waiter_factory=push)
        )
        self._turns = threading.Condition()
        self._cycles_begun = self._cycles_done = 0
        self._listeners: list[Listener] = []
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._then: Callable[[], None] | None = None  # what stop() asked to run at the end
        self._ended = threading.Lock()
        self._closed = False

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="sync", daemon=True)
        self._thread.start()
        if self.watch is not None:
            self.watch.start()

    def wake(self) -> None:
        """Sync now (a scan was just recorded), not at the next poll."""
        self._wake.set()

    def pull_now(self, timeout: float = PULL_WAIT_S) -> bool:
        """Wake the thread and wait for a cycle begun after this call to end (the watch heard
        of a change: it asks again only once that change is pulled). False: not in time."""
        with self._turns:
            wanted = self._cycles_begun + 1
        self.wake()
        with self._turns:
            return self._turns.wait_for(
                lambda: self._cycles_done >= wanted or self._stop.is_set(), timeout
            )

    def stop(self, timeout: float = 15.0, then: Callable[[], None] | None = None) -> bool:
        """End the thread, then close the HTTP client and run `then` (e.g. close the store):
        never under a request still running. A cycle stuck past `timeout` does both itself
        when it ends; False then, and the caller must not close what that cycle uses."""
        self._then = then
        self._stop.set()
        self._wake.set()
        with self._turns:
            self._turns.notify_all()  # a watch waiting for a pull
        if self.watch is not None:
            self.watch.stop(timeout)
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("sync did not stop in %.0f s; it closes when its cycle ends", timeout)
                return False
        self._end()
        return True

    def _end(self) -> None:
        """Close the client and run `then`, once, on whichever thread gets here first."""
        with self._ended:
            if self._closed:
                return
            self._closed = True
        self.syncer.close()
        if self._then is not None:
            self._then()

    def step(self) -> tuple[SyncState, float]:
        """One cycle and the delay before the next one (what the thread runs; tests call it)."""
        with self._turns:
            self._cycles_begun += 1
        try:
            state, delay = self._cycle()
        finally:
            with self._turns:
                self._cycles_done += 1
                self._turns.notify_all()
        return state, delay

    def _cycle(self) -> tuple[SyncState, float]:
        state = self.syncer.run_once()
        watch = self.watch
        if state.link is Link.ONLINE or state.link is Link.NOT_ENROLLED:
            self.backoff.succeeded()
            delay = self.poll_s
            if watch is not None and watch.live:
                delay = max(delay, PUSHED_POLL_S)
            elif watch is not None and state.link is Link.ONLINE:
                watch.nudge()  # the server is back: the long-poll need not wait its rest out
        else:
            delay = self.backoff.failed()
        if state.next_attempt_in_s is not None:
            delay = max(delay, state.next_attempt_in_s)
        tell(self._listeners, state, "sync state")  # a window's bug is no sync failure
        return state, delay

    def _loop(self) -> None:
        try:
            self._cycles()
        finally:
            if self._stop.is_set():
                self._end()  # stop() may have given up waiting and left it to this thread

    def _cycles(self) -> None:
        while not self._stop.is_set():
            try:
                state, delay = self.step()
            except Exception:  # a bug in one cycle must not end syncing for the evening
                log.exception("sync cycle failed")
                delay = self.backoff.failed()
            else:
                if state.link is Link.REVOKED:
                    return  # stop syncing; the state says "re-enrol"
            self._wake.wait(delay)
            self._wake.clear()
