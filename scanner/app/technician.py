"""A technician's work on a door's data file, with no door open: import an attendee list, enrol,
sync, list conflicts, export the journal, reset. The command line calls these (issue 14: it
reaches store and sync only through app); every call runs inline and returns when written.

    with DataFile(directory) as data:
        data.import_file(path, trust=fingerprint)
        data.settle_unsent(export=None, discard=False)   # UnsentEntries when some would strand
        state = data.enroll(url, code, name=None, progress=print_progress)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from scanner.app import neighbours
from scanner.app.clock import Clock, SystemClock, monotonic_of
from scanner.app.door_clock import ClockReading, DoorClock
from scanner.app.neighbours import PeerSettingError
from scanner.app.syncing import export_to, service_for, syncer_for
from scanner.checkin.keyring import Keyring
from scanner.checkin.line_reader import MAX_LINE_BYTES
from scanner.checkin.snapshot_file import FORMAT
from scanner.store.conflicts import Conflict
from scanner.store.imports import EventSpec, ImportSummary
from scanner.store.location import data_dir
from scanner.store.store import ImportRefused, Store
from scanner.sync.enrolment import enroll, plain_http_warning, require_nothing_unsent, unsent
from scanner.sync.state import Link, SyncState

if TYPE_CHECKING:
    from scanner.sync.service import SyncService

Progress = Callable[[int, int | None], None]  # records done, records expected (if known)

__all__ = [
    "ClockReading",
    "Conflict",
    "DataFile",
    "EventSpec",
    "ImportSummary",
    "Link",
    "PeerSettingError",
    "SyncState",
    "csv_event",
    "is_snapshot",
    "plain_http_warning",
]


def csv_event(event_id: str, name: str, timezone: str, keyring: Keyring) -> EventSpec:
    """A new event for an attendee CSV (a CSV carries rows only; its event comes from options)."""
    return EventSpec(
        id=event_id,
        name=name,
        timezone=timezone,
        days={},
        reentry=False,
        max_code_age_s=None,
        ticket_types=[],
        checkin_lists=[],
        keyring=keyring,
    )


def is_snapshot(path: Path) -> bool:
    """A signed snapshot file (JSON lines, maybe gzipped) rather than an attendee CSV: told by
    gzip's magic bytes, else by parsing the first line (a writer may put spaces, whitespace or
    its members in another order), never by how it is spelt. A first line that is JSON but no
    snapshot header is neither: ImportRefused says what it is."""
    with path.open("rb") as head:
        first = head.readline(MAX_LINE_BYTES)
    if first.startswith(b"\x1f\x8b"):
        return True
    text = first.strip()
    if not text.startswith((b"{", b"[")):  # no CSV header row starts so
        return False
    try:
        obj = json.loads(text)
    except ValueError:
        obj = None
    if isinstance(obj, dict) and (obj.get("k") == "header" or obj.get("format") == FORMAT):
        return True  # the snapshot reader checks the rest, and says what is wrong
    what = f"a {obj['k']!r} record" if isinstance(obj, dict) and "k" in obj else "JSON"
    raise ImportRefused(
        f"its first line is {what}, not a snapshot header and not a CSV header row: a snapshot "
        'is JSON Lines, one object per line, the first {"k": "header", ...} (a journal file '
        "goes to `scanner-server import-journal`)"
    )


class DataFile:
    """One door's data file opened for one command (raises StoreError when it cannot be)."""

    def __init__(self, directory: Path | str | None, clock: Clock | None = None) -> None:
        self.clock = clock or SystemClock()
        self.store = Store(data_dir(directory), synchronous=True)

    def __enter__(self) -> DataFile:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    def import_file(
        self,
        path: Path,
        *,
        trust: str | None = None,
        allow_older: bool = False,
        csv_event: EventSpec | None = None,
    ) -> ImportSummary:
        """A snapshot file (signed; `trust` vouches for an unknown platform key) or an attendee
        CSV (for `csv_event`, else for the current event). ImportRefused leaves all as it was."""
        now = self.clock.now()
        if is_snapshot(path):
            return self.store.import_snapshot_file(
                path, now, vouched=trust, allow_older=allow_older
            )
        with path.open("rb") as lines:
            return self.store.import_csv(lines, now, csv_event)

    def export_journal(self, path: Path, pending_only: bool = False) -> int:
        return export_to(self.store, path, self.clock, pending_only=pending_only)

    def settle_unsent(self, export: Path | None, discard: bool) -> int | None:
        """Before enrolling again or resetting: export the entries never uploaded (returns how
        many) and/or let them stay unsent; raises UnsentEntries if some would be stranded."""
        exported = None
        if export is not None:
            exported = self.export_journal(export, pending_only=True)
        if export is not None or discard:
            self.store.discard_unsent()
        require_nothing_unsent(self.store)
        return exported

    def enroll(self, url: str, code: str, name: str | None, progress: Progress) -> SyncState:
        return enroll(
            self.store,
            url,
            code,
            self.clock.now,
            name=name,
            progress=progress,
            monotonic=monotonic_of(self.clock),
        )

    def clock_reading(self) -> ClockReading:
        """How this device's clock stands against the server's (docs/sync.md, "Clocks")."""
        return DoorClock(self.clock, self.store.clock_sample, monotonic_of(self.clock)).reading()

    def sync_once(self, progress: Progress) -> SyncState:
        syncer = syncer_for(self.store, self.clock)
        try:
            return syncer.run_once(progress)
        finally:
            syncer.close()

    def sync_service(self) -> SyncService:
        """Syncing on its own thread until stopped (`scanner sync --watch`)."""
        return service_for(self.store, self.clock)

    def peer_lines(self) -> list[str]:
        """The doors nearby, as the door running here last heard them, in lines."""
        return neighbours.describe(self.store)

    def change_peer_settings(self, **changes: Any) -> None:
        """See neighbours.change_settings (PeerSettingError: nothing kept)."""
        neighbours.change_settings(self.store, **changes)

    def pair(self, secret: str | None) -> str:
        """Pair by hand with `secret`, or a new one (returned as a lead types it)."""
        return neighbours.pair(self.store, secret)

    def conflicts(self) -> list[Conflict]:
        """Raises NoEventError before an attendee list was imported."""
        return self.store.conflicts()

    def reset(self) -> int:
        """Forget enrolment, attendee data and keys (the journal stays); entries still waiting."""
        self.store.forget()
        return unsent(self.store)
