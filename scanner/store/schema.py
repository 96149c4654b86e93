"""The tables of the local SQLite file. Changes go through a migration in `migrations/versions`.

Times are ISO 8601 text in UTC (`2026-05-01T18:03:04.123456+00:00`), so they sort as text.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "pk": "pk_%(table_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s",
        }
    )


class Event(Base):
    __tablename__ = "events"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str] = mapped_column(Text, default="UTC")
    reentry: Mapped[bool] = mapped_column(default=False)
    max_code_age_s: Mapped[int | None]
    keyring_json: Mapped[str] = mapped_column(Text)  # secret when it holds HS256 keys
    cursor: Mapped[str | None] = mapped_column(Text)
    snapshot_generated_at: Mapped[str | None] = mapped_column(Text)
    imported_at: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)  # "snapshot", "csv" or "sync"


class EventDay(Base):
    __tablename__ = "event_days"
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), primary_key=True)
    day: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[str] = mapped_column(String(10))


class TicketType(Base):
    __tablename__ = "ticket_types"
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text, default="")


class CheckinList(Base):
    __tablename__ = "checkin_lists"
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text, default="")
    types_json: Mapped[str] = mapped_column(Text, default="[]")


class Ticket(Base):
    __tablename__ = "tickets"
    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    ticket_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    ticket_type: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    days_json: Mapped[str | None] = mapped_column(Text)
    holder_name: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str | None] = mapped_column(Text)
    order_code: Mapped[str | None] = mapped_column(Text)
    seat: Mapped[str | None] = mapped_column(Text)
    flags_json: Mapped[str] = mapped_column(Text, default="[]")
    note: Mapped[str | None] = mapped_column(Text)
    valid_from: Mapped[str | None] = mapped_column(Text)
    valid_until: Mapped[str | None] = mapped_column(Text)
    seed_sig: Mapped[str | None] = mapped_column(String(64))
    code_digest: Mapped[str | None] = mapped_column(String(32))
    __table_args__ = (Index("ix_tickets_event_id_order_code", "event_id", "order_code"),)


class Revocation(Base):
    __tablename__ = "revocations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(64))
    ticket_id: Mapped[str] = mapped_column(String(64))
    code_fp: Mapped[str | None] = mapped_column(String(32))  # None: every code of the ticket
    __table_args__ = (Index(None, "event_id", "ticket_id"),)


class RemotePassage(Base):
    """Admissions and exits recorded by other devices, learnt from snapshots and changes."""

    __tablename__ = "remote_passages"
    entry_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64))
    ticket_id: Mapped[str] = mapped_column(String(64))
    direction: Mapped[str] = mapped_column(String(8))
    at: Mapped[str] = mapped_column(Text)
    door: Mapped[str] = mapped_column(Text, default="")
    device_id: Mapped[str] = mapped_column(Text, default="")
    device_name: Mapped[str | None] = mapped_column(
        Text
    )  # its enrolment name, if the server sent one
    day: Mapped[int | None]
    annulled: Mapped[bool] = mapped_column(default=False)
    __table_args__ = (Index(None, "event_id", "ticket_id"),)


class JournalEntry(Base):
    """Every scan attempt, exit and undo at this device. Append-only: rows are never deleted and
    only their upload columns ever change."""

    __tablename__ = "journal"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # client-made UUID
    seq: Mapped[int] = mapped_column(Integer, unique=True)  # per-device sequence number
    device_id: Mapped[str] = mapped_column(Text)
    event_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(8))  # "scan" or "undo"
    ticket_id: Mapped[str | None] = mapped_column(String(64))
    code_fp: Mapped[str | None] = mapped_column(String(32))
    format: Mapped[str | None] = mapped_column(String(8))
    direction: Mapped[str] = mapped_column(String(8))
    outcome: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(String(24))
    door: Mapped[str] = mapped_column(Text)
    operator: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16))
    scanned_at: Mapped[str] = mapped_column(Text)
    day: Mapped[int | None]
    annuls: Mapped[str | None] = mapped_column(String(36))
    note: Mapped[str | None] = mapped_column(Text)
    # decided without the server's recent word, as the door knew at the scan (None: not known)
    offline: Mapped[bool | None]
    upload_state: Mapped[str] = mapped_column(String(12), default="pending")
    server_reason: Mapped[str | None] = mapped_column(Text)
    conflict_json: Mapped[str | None] = mapped_column(Text)
    uploaded_at: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        Index(None, "event_id", "ticket_id"),
        Index(None, "annuls"),
        Index(None, "upload_state", "seq"),
    )


class Setting(Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class TrustedSigner(Base):
    __tablename__ = "trusted_signers"
    fingerprint: Mapped[str] = mapped_column(String(19), primary_key=True)
    public_b64u: Mapped[str] = mapped_column(Text)
    added_at: Mapped[str] = mapped_column(Text)
    added_by: Mapped[str] = mapped_column(Text)  # "enrolment" or "technician"
