"""The signed attendee snapshot (docs/snapshot-format.md), streamed from a server-side cursor.

Rows are fetched `yield_per` at a time and written out in chunks of about 64 KiB: a 100,000-ticket
event never sits in memory whole. The header's cursor is read in the same transaction as the rows
(REPEATABLE READ on PostgreSQL, a WAL read transaction on SQLite), so changes?since=cursor misses
nothing and repeats nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Connection, func, select

from scanner.checkin.snapshot_file import SnapshotWriter
from server_stub.db import Database
from server_stub.models import Checkin, Event, Revocation, Ticket
from server_stub.services.changes import EventNotFound
from server_stub.services.events import door_keyring, event_json
from server_stub.services.ingest import PASSAGE_OUTCOMES, mark_of
from server_stub.services.tickets import ticket_record

CHUNK_BYTES = 64 * 1024
ROWS_PER_FETCH = 2000


def _standing_passages(event_id: str) -> tuple[ColumnElement[bool], ...]:
    """Admissions and exits of the event that stand (not annulled) and name a ticket."""
    return (
        Checkin.event_id == event_id,
        Checkin.kind == "scan",
        Checkin.outcome.in_(PASSAGE_OUTCOMES),
        Checkin.annulled_by.is_(None),
        Checkin.ticket_id.is_not(None),
    )


def _records(conn: Connection, event_id: str) -> Iterator[dict[str, object]]:
    streaming = conn.execution_options(yield_per=ROWS_PER_FETCH)
    tickets = streaming.execute(
        select(Ticket.__table__).where(Ticket.event_id == event_id).order_by(Ticket.id)
    )
    for row in tickets:
        yield ticket_record(row)
    revocations = streaming.execute(
        select(Revocation.ticket_id, Revocation.code_fp)
        .where(Revocation.event_id == event_id)
        .order_by(Revocation.id)
    )
    for rev in revocations:
        yield {"k": "revocation", "ticket_id": rev.ticket_id, "code_fp": rev.code_fp}
    passages = streaming.execute(
        select(Checkin.__table__).where(*_standing_passages(event_id)).order_by(Checkin.scanned_at)
    )
    for row in passages:
        yield mark_of(row).record()


def _count(conn: Connection, event_id: str) -> int:
    """How many records `_records` will yield, so doors can show progress."""
    tickets = select(func.count()).select_from(Ticket).where(Ticket.event_id == event_id)
    revocations = (
        select(func.count()).select_from(Revocation).where(Revocation.event_id == event_id)
    )
    passages = select(func.count()).select_from(Checkin).where(*_standing_passages(event_id))
    return sum(int(conn.execute(query).scalar_one()) for query in (tickets, revocations, passages))


def snapshot_lines(
    db: Database, event_id: str, signing_secret: bytes, *, secrets: bool = False
) -> Iterator[bytes]:
    """The snapshot file's bytes in chunks; raises EventNotFound before the first chunk.
    Minting secrets (HS256 keys, the SEEDJSON secret) are in it only with `secrets`."""
    with db.engine.connect() as conn:
        if not db.is_sqlite:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            event = db.session(conn).get(Event, event_id)
            if event is None:
                raise EventNotFound(event_id)
            writer = SnapshotWriter(signing_secret)
            buffer = bytearray(
                writer.header(
                    event=event_json(event),
                    keyring=door_keyring(event, secrets),
                    cursor=str(event.last_seq),
                    generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
                    records=_count(conn, event_id),
                )
            )
            for record in _records(conn, event_id):
                buffer += writer.record(record)
                if len(buffer) >= CHUNK_BYTES:
                    yield bytes(buffer)
                    buffer.clear()
            buffer += writer.end()
            yield bytes(buffer)
