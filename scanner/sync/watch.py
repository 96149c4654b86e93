"""Other doors' passages as soon as the server has them: a long-poll on the changes feed, held
open by the server until a change lands, on its own thread and connection. When it answers
with something new, the sync thread pulls it (the one pull path: push first, then the changes,
applied with their cursor). It never uploads, and never waits on the sync thread's requests.

The poll stays underneath: while the long-poll is not live (not enrolled yet, server down, a
server older than `wait`, or a proxy that cuts held connections) the sync thread polls every
2 s as before; after CUTS_TO_FALL_BACK cut long-polls in a row the watch rests RETRY_PUSH_S
before trying again. Closing the door cancels a held long-poll at once (asyncio)."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Coroutine
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from scanner.store.store import Store
from scanner.sync.backoff import Backoff
from scanner.sync.errors import Answered, NoConnection, SyncError, Unreachable

if TYPE_CHECKING:
    from scanner.sync.client import ChangeWaiter, Waited

WAIT_S = 25.0  # how long the server holds a quiet long-poll (under common proxies' 30-60 s)
CUTS_TO_FALL_BACK = 3  # long-polls cut in a row before resting on the plain poll
RETRY_PUSH_S = 300.0  # how long the plain poll alone serves before the long-poll is tried again
IDLE_S = 5.0  # not ready to listen (not enrolled, no attendee list yet): look again this often
log = logging.getLogger(__name__)
T = TypeVar("T")
WaiterFactory = Callable[[str, str | None], "ChangeWaiter"]


def default_waiter(server_url: str, token: str | None) -> ChangeWaiter:
    from scanner.sync.client import ChangeWaiter

    return ChangeWaiter(server_url, token)


class Heard(StrEnum):
    CHANGED = "changed"  # something new: the sync thread pulled it
    QUIET = "quiet"  # held to the end, nothing new
    OLD_SERVER = "old_server"  # answered at once, without holding: this server cannot push
    CUT = "cut"  # the connection was cut, timed out, or a proxy answered instead
    DOWN = "down"  # the server is unreachable or said no (sync says why)
    NOT_READY = "not_ready"  # nothing to listen for yet


class ChangeWatch:
    def __init__(
        self,
        store: Store,
        changed: Callable[[], object],
        *,
        wait_s: float = WAIT_S,
        waiter_factory: WaiterFactory = default_waiter,
        backoff: Backoff | None = None,
        retry_push_s: float = RETRY_PUSH_S,
    ) -> None:
        self.store = store
        self.changed = changed  # pull now (blocks until it is done: no asking again before)
        self.wait_s = wait_s
        self.waiter_factory = waiter_factory
        self.backoff = backoff or Backoff()
        self.retry_push_s = retry_push_s
        self.live = False  # the last long-poll was held as asked: changes arrive pushed
        self.cuts = 0  # long-polls cut in a row
        self._waiter: tuple[tuple[str, str], ChangeWaiter] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Future[Any] | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._nudge = threading.Event()
        self._thread: threading.Thread | None = None

    # -- life ------------------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="sync-push", daemon=True)
        self._thread.start()

    def nudge(self) -> None:
        """Try again now (sync reached the server again), not after the rest."""
        self._nudge.set()

    def stop(self, timeout: float = 10.0) -> bool:
        """End the thread; a held long-poll is cancelled, not waited out."""
        with self._lock:
            self._stop.set()
            if self._task is not None and self._loop is not None:
                self._loop.call_soon_threadsafe(self._task.cancel)
        self._nudge.set()
        if self._thread is not None:
            self._thread.join(timeout)
            return not self._thread.is_alive()
        self.close()
        return True

    def close(self) -> None:
        """Close the connection and the event loop (the thread does it when it ends)."""
        if self._loop is None:
            return
        if self._waiter is not None:
            self._loop.run_until_complete(self._waiter[1].aclose())
            self._waiter = None
        self._loop.close()
        self._loop = None

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                try:
                    _, rest = self.step()
                except Exception:  # a bug must not end pushing for the evening
                    log.exception("the change watch failed")
                    self.live, rest = False, self.backoff.failed()
                self._nudge.wait(rest)
                self._nudge.clear()
        finally:
            self.close()

    # -- one long-poll ---------------------------------------------------------------------

    def step(self) -> tuple[Heard, float]:
        """One long-poll (what the thread runs; tests call it) and the rest before the next."""
        heard = self._listen()
        return heard, self._rest_after(heard)

    def _listen(self) -> Heard:
        if self.store.revoked_reason():
            return Heard.NOT_READY
        enrolment = self.store.enrolment()
        cursor = None if enrolment is None else self.store.pull_cursor(enrolment.event_id)
        if enrolment is None or cursor is None:
            return Heard.NOT_READY  # the sync thread enrols and takes the first snapshot
        waiter = self._waiter_for(enrolment.server_url, enrolment.token)
        try:
            waited = self._await(waiter.wait(enrolment.event_id, cursor, self.wait_s))
        except asyncio.CancelledError:
            return Heard.NOT_READY  # stopping
        except NoConnection:
            return Heard.DOWN
        except Answered as exc:  # the API's own no is for sync to handle; a proxy's is a cut
            return Heard.DOWN if exc.from_api else Heard.CUT
        except Unreachable:
            return Heard.CUT  # cut, timed out, or an answer that is not the API's
        except SyncError:
            return Heard.DOWN  # 429, revoked, snapshot required: sync deals with them
        return self._heard(waited, cursor)

    def _heard(self, waited: Waited, cursor: str) -> Heard:
        new = bool(waited.page.records) or waited.page.cursor != cursor
        if new:
            self.changed()
        if not waited.held:
            return Heard.OLD_SERVER
        return Heard.CHANGED if new else Heard.QUIET

    def _rest_after(self, heard: Heard) -> float:
        self.live = heard in (Heard.CHANGED, Heard.QUIET)
        if self.live:
            self.cuts = 0
            self.backoff.succeeded()
            return 0.0
        if heard is Heard.OLD_SERVER:
            return self.retry_push_s
        if heard is Heard.CUT:
            self.cuts += 1
            if self.cuts >= CUTS_TO_FALL_BACK:
                log.info("long-polls cut %d times in a row: polling only, for now", self.cuts)
                self.cuts = 0
                return self.retry_push_s
            return self.backoff.failed()
        if heard is Heard.DOWN:
            return self.backoff.failed()
        return IDLE_S

    # -- the connection --------------------------------------------------------------------

    def _waiter_for(self, server_url: str, token: str) -> ChangeWaiter:
        key = (server_url, token)
        if self._waiter is None or self._waiter[0] != key:
            self.close()  # another enrolment: another connection
            self._waiter = (key, self.waiter_factory(server_url, token))
        return self._waiter[1]

    def _await(self, work: Coroutine[Any, Any, T]) -> T:
        """Run `work` on this watch's event loop; stop() cancels it from another thread."""
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
        task = self._loop.create_task(work)
        with self._lock:
            if self._stop.is_set():
                task.cancel()
            self._task = task
        try:
            return self._loop.run_until_complete(task)
        finally:
            with self._lock:
                self._task = None
