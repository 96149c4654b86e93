"""The store as the rest of the scanner sees it: one object per data directory."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, Engine

from scanner.checkin.attendee_csv import CsvError
from scanner.checkin.attendees import RowError
from scanner.checkin.codes import manual_check
from scanner.checkin.records import DoorSettings
from scanner.checkin.snapshot_file import SnapshotError, open_snapshot_file
from scanner.store import device, imports, journal, records, search, status, tickets, trust
from scanner.store.database import data_key, make_engine, open_engine
from scanner.store.disk_space import fold_wal, incoming_bytes, require_room_for_import
from scanner.store.failures import in_words
from scanner.store.location import database_path
from scanner.store.writer import Writer, use_immediate_transactions

T = TypeVar("T")


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
        self.writer = Writer(write_engine, synchronous=synchronous)
        self._read_engine: Engine = make_engine(self.path, key)
        self._context: tuple[str, journal.EventContext] | None = None
        self.device_id = self.writer.run(_device_id)

    def close(self) -> None:
        self.writer.close()
        self._read_engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def read_connection(self) -> Iterator[Connection]:
        """A read-only connection held open while a caller streams rows (reports)."""
        with self._read_engine.connect() as conn:
            yield conn

    def read(self, job: Callable[[Connection], T]) -> T:
        """Run a read-only job on the calling thread (WAL readers never block the writer)."""
        with in_words(self.path), self._read_engine.connect() as conn:
            return job(conn)

    # -- the door --------------------------------------------------------------------------

    def event_context(self, conn: Connection) -> journal.EventContext:
        device.ensure_unlocked(conn)  # a revoked device records nothing more
        generation = records.get_setting(conn, "event_generation") or "0"
        if self._context is None or self._context[0] != generation:
            policy, keyring, _info = tickets.load_current_event(conn)
            self._context = (generation, journal.EventContext(policy, keyring))
        return self._context[1]

    def scan(
        self, code_text: str, door: DoorSettings, now: datetime, source: str
    ) -> journal.ScanRecord:
        def job(conn: Connection) -> journal.ScanRecord:
            return journal.record_scan(conn, self.event_context(conn), code_text, door, now, source)

        return self.writer.run(job)

    def admit_by_hand(
        self,
        ticket_id: str,
        door: DoorSettings,
        now: datetime,
        reason: str | None = None,
        paid_at_door: bool = False,
    ) -> journal.ScanRecord:
        def job(conn: Connection) -> journal.ScanRecord:
            context = self.event_context(conn)
            check = manual_check(ticket_id, paid_at_door)
            return journal.record_check(conn, context, check, door, now, "manual", reason)

        return self.writer.run(job)

    def undo(self, entry_id: str, operator: str, why: str, now: datetime) -> journal.ScanRecord:
        return self.writer.run(
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
            return self.writer.run(job)
        except (SnapshotError, RowError, CsvError) as exc:
            raise ImportRefused(str(exc)) from None
        finally:
            fold_wal(self._read_engine)

    # -- reading ---------------------------------------------------------------------------

    def search(self, query: str, limit: int = 20) -> list[search.SearchHit]:
        return self.read(
            lambda conn: search.search(conn, tickets.current_event_id(conn), query, limit)
        )

    def status(self, now: datetime) -> status.Status:
        def job(conn: Connection) -> status.Status:
            policy, _keyring, info = tickets.load_current_event(conn)
            return status.read_status(conn, policy, info, now)

        return self.read(job)


def _device_id(conn: Connection) -> str:
    existing = records.get_setting(conn, "device_id")
    if existing:
        return existing
    device_id = "dev-" + secrets.token_hex(4)
    records.put_setting(conn, "device_id", device_id)
    return device_id
