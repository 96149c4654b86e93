"""The store as the rest of the scanner sees it: one object per data directory, and a list of
named operations (the door's, the imports', sync's, the settings'). Callers never compose SQL
and never hold a connection: every operation returns a dataclass or a plain value. Reads run
on the calling thread; writes go through the one writer, in order."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import Connection, Engine

from scanner.checkin.attendee_csv import CsvError
from scanner.checkin.change_records import Annulment, ChangePage, RemotePassage
from scanner.checkin.codes import IssuedProof, manual_check
from scanner.checkin.event_record import CheckinList, EventRecord
from scanner.checkin.field_values import RowError
from scanner.checkin.keyring import Keyring
from scanner.checkin.records import DoorSettings, EventPolicy
from scanner.checkin.snapshot_file import SnapshotError, open_snapshot_file
from scanner.checkin.sync_counts import ChangeCounts
from scanner.checkin.uploads import EntryAnswer, UploadEntry
from scanner.store import (
    changes,
    device,
    imports,
    journal,
    outbox,
    peer_entries,
    recent,
    records,
    search,
    set_aside,
    status,
    sync_figures,
    tickets,
    trust,
)
from scanner.store.conflicts import Conflict, conflicts
from scanner.store.database import data_key, make_engine, open_engine
from scanner.store.disk_space import fold_wal, incoming_bytes, require_room_for_import
from scanner.store.failures import in_words
from scanner.store.journal_file import export_journal
from scanner.store.location import database_path
from scanner.store.writer import Writer, use_immediate_transactions

if TYPE_CHECKING:  # the report model is loaded for reports only (`scanner check` stays lean)
    from scanner.reports.rows import EntryRow, EventInfo, TicketRow

T = TypeVar("T")
# Settings the app keeps for itself (door preferences, the kiosk's): only these prefixes, so no
# caller can overwrite what the store owns (the device token, the cursor, the event).
APP_SETTINGS = ("door.", "kiosk.")


class ImportRefused(ValueError):
    """The file was refused as a whole; nothing was changed. The message names line and reason."""


class Store:
    def __init__(
        self, directory: Path, *, synchronous: bool = False, encrypted: bool = True
    ) -> None:
        """`encrypted=False` only for measuring what encryption at rest costs (bench/)."""
        self.directory = directory
        self.path = database_path(directory)
        key = data_key(directory) if encrypted else None
        open_engine(directory, key).dispose()  # creates, encrypts or upgrades the file
        write_engine = make_engine(self.path, key)
        use_immediate_transactions(write_engine)
        self._writer = Writer(write_engine, synchronous=synchronous)
        self._read_engine: Engine = make_engine(self.path, key)
        self._context: tuple[str, EventRecord] | None = None
        self.device_id = self._writer.run(_device_id)

    def close(self) -> None:
        self._writer.close()
        self._read_engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _read(self, job: Callable[[Connection], T]) -> T:
        """Run a read-only job on the calling thread (WAL readers never block the writer)."""
        with in_words(self.path), self._read_engine.connect() as conn:
            return job(conn)

    def _stream(self, rows: Callable[[Connection], Iterable[T]]) -> Iterator[T]:
        """Rows streamed from a read connection held open while the caller iterates."""
        with self._read_engine.connect() as conn:
            yield from rows(conn)

    # -- the door --------------------------------------------------------------------------

    def _current_event(self, conn: Connection) -> EventRecord:
        device.ensure_unlocked(conn)  # a revoked device records nothing more
        generation = records.get_setting(conn, "event_generation") or "0"
        if self._context is None or self._context[0] != generation:
            self._context = (generation, tickets.load_current_event(conn))
        return self._context[1]

    def load_event_context(self) -> None:
        """Load the event's policy and keys a scan needs (before the first guest)."""
        self._read(self._current_event)

    def scan(
        self,
        code_text: str,
        door: DoorSettings,
        now: datetime,
        source: str,
        offline: bool | None = None,
    ) -> journal.ScanRecord:
        def job(conn: Connection) -> journal.ScanRecord:
            return journal.record_scan(
                conn, self._current_event(conn), code_text, door, now, source, offline
            )

        return self._writer.run(job)

    def admit_by_hand(
        self,
        ticket_id: str,
        door: DoorSettings,
        now: datetime,
        reason: str | None = None,
        paid_at_door: bool = False,
        offline: bool | None = None,
    ) -> journal.ScanRecord:
        def job(conn: Connection) -> journal.ScanRecord:
            event = self._current_event(conn)
            check = manual_check(ticket_id, paid_at_door)
            return journal.record_check(
                conn, event, check, door, now, "manual", reason, offline=offline
            )

        return self._writer.run(job)

    def undo(self, entry_id: str, operator: str, why: str, now: datetime) -> journal.ScanRecord:
        return self._writer.run(
            lambda conn: journal.undo(
                conn, entry_id, device_id=self.device_id, operator=operator, why=why, now=now
            )
        )

    # -- imports ---------------------------------------------------------------------------

    def import_snapshot(
        self,
        lines: Iterable[bytes],
        now: datetime,
        *,
        vouched: str | None = None,
        source: str = "snapshot",
        set_aside_bad: bool = False,
        allow_older: bool = False,
        incoming: int = 0,
    ) -> imports.ImportSummary:
        """`incoming` is the size of the snapshot's text, when known, to check the disk's room."""

        def job(conn: Connection) -> imports.ImportSummary:
            check = trust.trust_check(conn, now, vouched)
            return imports.import_snapshot(
                conn,
                lines,
                check,
                now,
                source,
                set_aside_bad=set_aside_bad,
                allow_older=allow_older,
            )

        return self._refusing(job, incoming)

    def import_snapshot_file(
        self,
        path: Path,
        now: datetime,
        *,
        vouched: str | None = None,
        source: str = "snapshot",
        set_aside_bad: bool = False,
        allow_older: bool = False,
    ) -> imports.ImportSummary:
        return self.import_snapshot(
            open_snapshot_file(path),
            now,
            vouched=vouched,
            source=source,
            set_aside_bad=set_aside_bad,
            allow_older=allow_older,
            incoming=incoming_bytes(path),
        )

    def import_csv(
        self,
        lines: Iterable[bytes],
        now: datetime,
        spec: imports.EventSpec | None = None,
        incoming: int = 0,
    ) -> imports.ImportSummary:
        return self._refusing(lambda conn: imports.import_csv(conn, lines, spec, now), incoming)

    def _refusing(self, job: Callable[[Connection], T], incoming: int) -> T:
        """Run an import: refused as a whole in words, never leaving the disk without room."""
        require_room_for_import(self.directory, incoming)
        try:
            return self._writer.run(job)
        except (SnapshotError, RowError, CsvError) as exc:
            raise ImportRefused(str(exc)) from None
        finally:
            fold_wal(self._read_engine)

    # -- the event (NoEventError, in words, before one was imported) -----------------------

    def current_event_id(self) -> str:
        return self._read(tickets.current_event_id)

    def event_policy(self) -> EventPolicy:
        """The current event's policy: its days, time zone, re-entry, this door's grace."""
        return self._read(tickets.load_current_event).policy

    def event_keyring(self) -> tuple[str, Keyring]:
        """The current event's id and the keys its codes are checked with."""

        event = self._read(tickets.load_current_event)
        return event.id, event.keyring

    def issued_proof(self, event_id: str, ticket_id: str) -> IssuedProof | None:
        """What the platform signed for a ticket's code (to repair a hand scanner's garbling)."""
        return self._read(lambda conn: tickets.issued_proof(conn, event_id, ticket_id))

    def event_names(self) -> tickets.EventNames:
        """The current event's name and its ticket types' names (NoEventError before one)."""
        return self._read(tickets.event_names)

    def checkin_lists(self) -> tuple[CheckinList, ...]:
        """The current event's check-in lists (none before an event was imported)."""
        return self._read(tickets.checkin_lists)

    def set_door_grace(self, hours: dict[str, float | None], forget: bool) -> EventPolicy:
        """Keep this door's grace around the event's days (keys grace_before_s and
        grace_after_s, in hours; None keeps one; `forget` drops both); the policy it makes."""
        self._writer.run(lambda conn: tickets.set_door_grace(conn, hours, forget))
        return self.event_policy()

    # -- reading ---------------------------------------------------------------------------

    def search(self, query: str, limit: int = 20) -> list[search.SearchHit]:
        return self._read(
            lambda conn: search.search(conn, tickets.current_event_id(conn), query, limit)
        )

    def recent_scans(self, limit: int) -> list[recent.JournalScan]:
        """This device's newest scans of the current event, newest first (NoEventError before
        an event)."""
        return self._read(
            lambda conn: recent.recent_scans(
                conn, tickets.current_event_id(conn), self.device_id, limit
            )
        )

    def status(self, now: datetime) -> status.Status:
        def job(conn: Connection) -> status.Status:
            return status.read_status(conn, tickets.load_current_event(conn), now)

        return self._read(job)

    def conflicts(self) -> list[Conflict]:
        """Double admissions this device knows of (NoEventError before an event)."""
        return self._read(conflicts)

    def set_aside_records(self, limit: int = 5) -> list[set_aside.SetAside]:
        """The newest records from the server this door could not apply."""
        return self._read(
            lambda conn: set_aside.latest(conn, tickets.current_event_id(conn), limit)
        )

    def report_event(self) -> EventInfo:
        from scanner.store import report_rows

        return self._read(report_rows.event_info)

    def report_tickets(self, event_id: str) -> Iterator[TicketRow]:
        """The event's tickets as report rows, streamed (a connection stays open meanwhile)."""
        from scanner.store import report_rows

        return self._stream(partial(report_rows.ticket_rows, event_id=event_id))

    def report_entries(self, event_id: str) -> Iterator[EntryRow]:
        """This door's journal and the passages it synced as report rows, streamed."""
        from scanner.store import report_rows

        return self._stream(partial(report_rows.entry_rows, event_id=event_id))

    # -- this device and its enrolment -----------------------------------------------------

    def enrolment(self) -> device.Enrolment | None:
        return self._read(device.load_enrolment)

    def enrolled_door(self) -> tuple[str | None, str | None]:
        """The door name and check-in list the enrolment gave (each None when not given)."""
        return self._read(
            lambda conn: (
                records.get_setting(conn, "door"),
                records.get_setting(conn, "checkin_list"),
            )
        )

    def device_name(self) -> str | None:
        """The name given at enrolment (what staff at other doors see), None when none."""
        return self._read(lambda conn: records.get_setting(conn, "device_name")) or None

    def save_enrolment(
        self, enrolment: device.Enrolment, name: str | None, platform_key: bytes, now: datetime
    ) -> None:
        """Keep the enrolment, this device's name and the platform's snapshot key; scans from
        now on carry the server's name for this device."""

        def job(conn: Connection) -> None:
            device.save_enrolment(conn, enrolment)
            records.put_setting(conn, "device_name", (name or "").strip())
            trust.add_signer(conn, platform_key, now, "enrolment")

        self._writer.run(job)
        self.device_id = enrolment.device_id

    def revoked_reason(self) -> str | None:
        """Why the server revoked this device (scanning is stopped), or None."""
        return self._read(device.revoked_reason)

    def lock_for_revocation(self, why: str) -> None:
        self._writer.run(lambda conn: device.lock_for_revocation(conn, why))

    def discard_unsent(self) -> int:
        """Stop uploading what waits (the entries stay in the journal, marked); how many."""
        return self._writer.run(device.discard_pending)

    def forget(self) -> None:
        """Forget the token, the attendee data and the keys; the journal stays."""
        self._writer.run(device.forget)

    # -- the journal as an outbox ----------------------------------------------------------

    def unsent_count(self) -> int:
        return self._read(outbox.unsent_count)

    def pending_uploads(self, limit: int) -> list[UploadEntry]:
        """Entries never uploaded, oldest first."""
        return self._read(lambda conn: outbox.pending(conn, limit))

    def due_held(self, before: datetime, limit: int) -> list[UploadEntry]:
        """Entries held back at or before `before`: their turn to be tried again."""
        return self._read(lambda conn: outbox.due_held(conn, before, limit))

    def record_answers(self, answers: Sequence[EntryAnswer], now: datetime) -> None:
        """The server's per-entry answers (accepted, duplicate, conflict)."""
        self._writer.run(lambda conn: outbox.record_answers(conn, answers, now))

    def hold_back(self, held: list[tuple[str, str]], now: datetime) -> None:
        """Entries the server could not take even alone, each with its reason: retried later."""

        def job(conn: Connection) -> None:
            for entry_id, reason in held:
                outbox.record_held(conn, [entry_id], reason, now)

        self._writer.run(job)

    def export_journal(self, path: Path, now: datetime, pending_only: bool = False) -> int:
        """Write the journal (or only what was never uploaded) to a file; how many entries."""
        return self._read(lambda conn: export_journal(conn, path, now, pending_only))

    # -- sync: cursor, changes, figures ----------------------------------------------------

    def pull_cursor(self, event_id: str) -> str | None:
        """Where the next pull of `event_id`'s changes starts; None: a snapshot is needed."""

        def job(conn: Connection) -> str | None:
            try:
                return tickets.load_event(conn, event_id).cursor
            except tickets.NoEventError:
                return None

        return self._read(job)

    def apply_changes(self, event_id: str, page: ChangePage, now: datetime) -> ChangeCounts:
        """Apply a page of the server's changes with its cursor, in one transaction; counts
        per kind, and of the records kept aside."""
        return self._writer.run(
            partial(changes.apply_changes, event_id=event_id, page=page, now=now)
        )

    # -- the doors next to this one (scanner/peers) ---------------------------------------

    def own_peer_entries(
        self, event_id: str, after: int, limit: int
    ) -> list[peer_entries.PeerEntry]:
        """This door's passages and undos after seq `after`, oldest first, with their seq."""
        return self._read(lambda conn: peer_entries.own_entries(conn, event_id, after, limit))

    def own_peer_last_seq(self) -> int:
        """This device's last journal seq (0: none yet)."""
        return self._read(peer_entries.last_seq)

    def apply_peer_records(
        self, event_id: str, found: Sequence[RemotePassage | Annulment], now: datetime
    ) -> ChangeCounts:
        """Another door's passages and undos, heard over the venue's network: applied exactly
        as the server's changes are (the cursor stays: the server's feed still brings them)."""
        return self._writer.run(
            partial(changes.apply_records, event_id=event_id, found=found, now=now)
        )

    def peer_secret(self) -> bytes | None:
        """The event's secret the doors next to this one prove themselves with (None: none)."""
        return self._read(device.peer_secret)

    def set_peer_secret(self, secret: bytes, origin: str) -> None:
        """Keep the peers' secret (sealed, like the token): from the enrolment, or paired by
        hand at the venue (`origin`)."""
        self._writer.run(lambda conn: device.save_peer_secret(conn, secret, origin))

    def mark_pushed(self, at: datetime) -> None:
        self._put(sync_figures.LAST_PUSH_AT, at.isoformat())

    def mark_pulled(self, at: datetime) -> None:
        self._put(sync_figures.LAST_PULL_AT, at.isoformat())

    def last_pull_at(self) -> datetime | None:
        return self._read(lambda conn: sync_figures.stamp(conn, sync_figures.LAST_PULL_AT))

    def record_clock(self, sample: sync_figures.ClockSample) -> None:
        """A measurement of our clock against the server's (the door corrects its time by it
        while it is fresh; doctor and status tell it)."""
        self._put_all(sample.values())

    def clock_sample(self) -> sync_figures.ClockSample | None:
        return self._read(sync_figures.read_sample)

    def sync_figures(self) -> sync_figures.SyncFigures:
        return self._read(sync_figures.read_figures)

    def _put(self, key: str, value: str) -> None:
        self._writer.run(lambda conn: records.put_setting(conn, key, value))

    # -- the app's own settings (door preferences, the kiosk's) ----------------------------

    def app_settings(self, keys: Iterable[str]) -> dict[str, str]:
        """The stored values of `keys` (absent ones left out)."""
        wanted = _app_keys(keys)

        def job(conn: Connection) -> dict[str, str]:
            found = {key: records.get_setting(conn, key) for key in wanted}
            return {key: value for key, value in found.items() if value is not None}

        return self._read(job)

    def save_app_settings(self, values: Mapping[str, str]) -> None:
        _app_keys(values)
        self._put_all(values)

    def _put_all(self, values: Mapping[str, str]) -> None:
        """Several settings in one transaction."""

        def job(conn: Connection) -> None:
            for key, value in values.items():
                records.put_setting(conn, key, value)

        self._writer.run(job)


def _app_keys(keys: Iterable[str]) -> list[str]:
    listed = list(keys)
    for key in listed:
        if not key.startswith(APP_SETTINGS):
            raise KeyError(f"{key!r} is not one of the app's settings")
    return listed


def _device_id(conn: Connection) -> str:
    existing = records.get_setting(conn, "device_id")
    if existing:
        return existing
    device_id = "dev-" + secrets.token_hex(4)
    records.put_setting(conn, "device_id", device_id)
    return device_id
