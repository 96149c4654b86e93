"""One sync cycle: push the journal, then pull the snapshot or the changes since the cursor.

Pushing comes first, always: the server then knows this door's admissions before it answers
with everyone else's. Every store write goes through the store's one writer, in short
transactions, so a scan never waits for the network.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from scanner.checkin.sync_counts import SyncCounts
from scanner.checkin.uploads import UploadEntry
from scanner.store import device
from scanner.store.store import Store
from scanner.sync.clock_check import measure
from scanner.sync.errors import (
    Answered,
    DeviceRevoked,
    NoConnection,
    NotEnrolled,
    RateLimited,
    SnapshotRequired,
    SyncError,
)
from scanner.sync.state import Link, SyncState

if TYPE_CHECKING:  # httpx is imported only when a client is made: `scanner check` never needs it
    from scanner.sync.client import ApiClient

BATCH = 200
HELD_RETRY = timedelta(minutes=5)  # an entry held back is tried again after this long
ClientFactory = Callable[[str, str | None], "ApiClient"]
Progress = Callable[[int, int | None], None]  # records done, records expected (if known)


def default_client(server_url: str, token: str | None) -> ApiClient:
    from scanner.sync.client import ApiClient

    return ApiClient(server_url, token)


class Syncer:
    def __init__(
        self,
        store: Store,
        now: Callable[[], datetime],
        client_factory: ClientFactory = default_client,
        batch: int = BATCH,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.now = now  # this device's own clock, never corrected: sync measures it
        self.monotonic = monotonic
        self.client_factory = client_factory
        self.batch = batch
        self.state = SyncState(Link.NOT_ENROLLED)
        self._client: tuple[tuple[str, str], ApiClient] | None = None
        self._counts = SyncCounts()  # what the running cycle did so far

    def close(self) -> None:
        if self._client is not None:
            self._client[1].close()
            self._client = None

    def _client_for(self, enrolment: device.Enrolment) -> ApiClient:
        """One HTTP client per enrolment, kept between cycles: making one loads the TLS trust
        store (about 20 ms of CPU), which a scan on the next thread would feel."""
        key = (enrolment.server_url, enrolment.token)
        if self._client is None or self._client[0] != key:
            self.close()
            self._client = (key, self.client_factory(*key))
        return self._client[1]

    # -- one cycle -------------------------------------------------------------------------

    def run_once(self, progress: Progress | None = None) -> SyncState:
        self._counts = SyncCounts()
        try:
            enrolment = self._enrolment()
            client = self._client_for(enrolment)
            stuck = self._push(client, enrolment.event_id)
            self._pull(client, enrolment.event_id, progress)
            if stuck is not None:
                self._settle_stuck(stuck)
        except NotEnrolled:
            return self._settle(Link.NOT_ENROLLED, None, SyncCounts())
        except device.DeviceLocked as exc:
            return self._settle(Link.REVOKED, str(exc), SyncCounts())
        except DeviceRevoked as exc:
            self.close()
            return self._settle(Link.REVOKED, self._lock(str(exc)), SyncCounts())
        except NoConnection as exc:
            return self._settle(Link.OFFLINE, str(exc), self._counts)
        except RateLimited as exc:
            return self._settle(Link.FAILING, str(exc), self._counts, retry_in=exc.retry_after)
        except SyncError as exc:
            return self._settle(Link.FAILING, str(exc), self._counts)
        counts = self._counts
        if counts.set_aside:  # applied the rest, but someone must look at the server
            return self._settle(Link.FAILING, _set_aside_words(counts.set_aside), counts)
        return self._settle(Link.ONLINE, None, counts)

    def _enrolment(self) -> device.Enrolment:
        locked = self.store.revoked_reason()
        if locked:
            raise device.DeviceLocked(locked)
        found = self.store.enrolment()
        if found is None:
            raise NotEnrolled("not enrolled")
        return found

    def _lock(self, why: str) -> str:
        """Revoked by the server: save the journal to a file in the data folder first, then stop
        the door. Nothing is wiped: that is `scanner reset`, confirmed by an operator."""
        now = self.now()
        path = self.store.directory / f"journal-revoked-{now:%Y%m%dT%H%M%S}.jsonl"
        try:
            count = self.store.export_journal(path, now)
        except OSError as exc:
            saved = f"the journal could not be saved to a file ({exc.strerror}): use export-journal"
        else:
            saved = f"its journal ({count} entries) was saved to {path}"
        message = f"{why}; {saved}"
        self.store.lock_for_revocation(message)
        return message

    # -- push ------------------------------------------------------------------------------

    def _push(self, client: ApiClient, event_id: str) -> _Push | None:
        """New entries first, oldest first; then a batch of those held back whose retry time
        came. Returns a batch of which nothing passed (left for `_settle_stuck`), else None."""
        while entries := self.store.pending_uploads(self.batch):
            push = self._narrowed(client, event_id, entries)
            self.store.mark_pushed(self.now())
            if not push.passed and push.error is not None:
                return push  # nothing passed: is it these entries, or the server? the pull says
            self._hold(push)
        due = self.now() - HELD_RETRY
        held = self.store.due_held(due, self.batch)
        if held:
            retried = self._narrowed(client, event_id, held, budget=len(held) * 2)
            self._hold(retried)  # held back again, for another while
            self.store.mark_pushed(self.now())
        return None

    def _narrowed(
        self,
        client: ApiClient,
        event_id: str,
        entries: list[UploadEntry],
        budget: int | None = None,
    ) -> _Push:
        """Upload; when our server cannot take the batch, halve it down to single entries so one
        bad entry never holds back the others. Only the server's per-entry answers settle an
        entry; the ones that fail alone are the batch's suspects. While nothing passes, at most
        `budget` requests fail before narrowing gives up (a server that takes nothing)."""
        push = _Push(client, event_id, budget or len(entries).bit_length() + 2)
        try:
            self._send(push, entries)
        except Answered as exc:
            if exc is not push.error:
                raise  # not about the entries: the cycle fails and everything is retried
            push.gave_up = True
        return push

    def _settle_stuck(self, push: _Push) -> None:
        """Nothing of a batch passed, yet the server answered the pull: the entries that failed
        alone are its own trouble, held back. When narrowing gave up (many entries, none
        passing), the server cannot take uploads at all: nothing is held back, the cycle fails."""
        assert push.error is not None
        if push.gave_up:
            raise push.error
        self._hold(push)

    def _send(self, push: _Push, entries: list[UploadEntry]) -> None:
        try:
            self._upload(push, entries)
        except Answered as exc:
            if not exc.about_content:
                raise  # a proxy, auth or routing answer: nothing to learn about the entries
            push.error = exc
            push.failed += 1
            if not push.passed and push.failed > push.budget:
                raise
            if len(entries) == 1:
                push.suspects.append((entries[0].id, exc))
                return
            half = len(entries) // 2
            self._send(push, entries[:half])
            self._send(push, entries[half:])
            return
        push.passed += 1

    def _upload(self, push: _Push, entries: list[UploadEntry]) -> None:
        sent_at = self.now()
        waiting = max(0, self.store.unsent_count() - len(entries))
        answer = push.client.upload(push.event_id, entries, sent_at, waiting)
        now = self.now()
        # when the server took them, by its own clock (ours may be off)
        self.store.record_answers(answer.results, answer.server_time or now)
        self._counts = self._counts.answered(result.status for result in answer.results)
        self._measure(answer.server_time, sent_at, now)

    def _hold(self, push: _Push) -> None:
        """Set the batch's suspects aside, each with the server's reason, to be retried later."""
        now = self.now()
        held = [
            (entry_id, f"{exc.reason}: {exc.detail}" if exc.detail else str(exc.reason))
            for entry_id, exc in push.suspects
        ]
        self.store.hold_back(held, now)
        self._counts = self._counts.held_back(len(push.suspects))

    def _measure(self, server: datetime | None, sent_at: datetime, received_at: datetime) -> None:
        """Every answer that says the server's time measures our clock (docs/sync.md)."""
        if server is not None:
            self.store.record_clock(measure(server, sent_at, received_at, self.monotonic()))

    # -- pull ------------------------------------------------------------------------------

    def _pull(self, client: ApiClient, event_id: str, progress: Progress | None) -> None:
        cursor = self.store.pull_cursor(event_id)
        if cursor is None:
            self._snapshot(client, event_id, progress)
            return
        try:
            self._changes(client, event_id, cursor)
        except SnapshotRequired:
            self._snapshot(client, event_id, progress)

    def _changes(self, client: ApiClient, event_id: str, cursor: str) -> None:
        while True:
            sent_at = self.now()
            page = client.changes(event_id, cursor)
            self._measure(page.server_time, sent_at, self.now())
            applied = self.store.apply_changes(event_id, page, self.now())
            self._counts = self._counts.applied(applied)
            cursor = page.cursor
            self.store.mark_pulled(self.now())
            if not page.more:
                return

    def _snapshot(self, client: ApiClient, event_id: str, progress: Progress | None) -> None:
        # Downloaded to a file first: the import then holds the writer for disk time only.
        with tempfile.TemporaryDirectory(dir=self.store.directory) as folder:
            path = Path(folder) / "snapshot.jsonl"
            with path.open("wb") as sink:
                lines = client.download_snapshot(event_id, sink, progress)
            # the server this door is enrolled with decides what is newest (it may be restored)
            summary = self.store.import_snapshot_file(
                path, self.now(), source="sync", set_aside_bad=True, allow_older=True
            )
        if progress is not None:
            progress(summary.tickets, summary.tickets)
        self._counts = self._counts.snapshot(summary.tickets, lines, summary.set_aside)
        self.store.mark_pulled(self.now())

    # -- state -----------------------------------------------------------------------------

    def _settle(
        self, link: Link, error: str | None, counts: SyncCounts, retry_in: float | None = None
    ) -> SyncState:
        self.state = read_state(self.store, link, error, counts, retry_in)
        return self.state


def _set_aside_words(count: int) -> str:
    records = "record" if count == 1 else "records"
    return (
        f"the server sent {count} {records} this door cannot apply: set aside, everything else"
        " applied (scanner status lists them; report it to the platform's administrator)"
    )


@dataclass
class _Push:
    """One batch on its way, narrowed while our server cannot take it."""

    client: ApiClient
    event_id: str
    budget: int  # failed requests allowed before anything passed
    passed: int = 0
    failed: int = 0
    suspects: list[tuple[str, Answered]] = field(default_factory=list)  # failed alone
    error: Answered | None = None  # the last answer about the entries
    gave_up: bool = False  # the budget ran out before anything passed


def read_state(
    store: Store,
    link: Link,
    error: str | None = None,
    counts: SyncCounts | None = None,
    retry_in: float | None = None,
) -> SyncState:
    figures = store.sync_figures()
    return SyncState(
        link=link,
        last_error=error,
        last_pull_at=figures.last_pull_at,
        last_push_at=figures.last_push_at,
        waiting=figures.waiting,
        held=sum(figures.held_reasons.values()),
        held_reasons=figures.held_reasons,
        conflicts=figures.conflicts,
        set_aside=figures.set_aside,
        clock_offset_s=figures.clock_offset_s,
        next_attempt_in_s=retry_in,
        counts=counts or SyncCounts(),
    )
