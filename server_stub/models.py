"""The server's tables. Times are stored in UTC (UTCDateTime) so SQLite and PostgreSQL agree."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

ID = String(64)
STANDING_ADMISSION = "kind = 'scan' AND outcome = 'admitted' AND annulled_by IS NULL"
CLOCK_AHEAD = "clock_ahead_s IS NOT NULL"


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on every backend (SQLite drops offsets)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:  # arithmetic: a tenth of replace(tzinfo=UTC)'s time (reports)
            return _UTC_EPOCH + (value - _NAIVE_EPOCH)
        if value.tzinfo is UTC:  # PostgreSQL sessions run in UTC (db.py)
            return value
        return value.astimezone(UTC)


_UTC_EPOCH, _NAIVE_EPOCH = datetime(2000, 1, 1, tzinfo=UTC), datetime(2000, 1, 1)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        list[Any]: JSON,
        datetime: UTCDateTime,
    }


class PlatformSetting(Base):
    """Platform-wide values, e.g. the snapshot-signing key (private: never served)."""

    __tablename__ = "platform_settings"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Event(Base):
    __tablename__ = "events"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    days: Mapped[list[Any]] = mapped_column(default=list)  # [{"day": 1, "date": "2025-06-01"}]
    reentry: Mapped[bool] = mapped_column(default=False)
    max_code_age_s: Mapped[int | None] = mapped_column(Integer)
    ticket_types: Mapped[list[Any]] = mapped_column(default=list)  # [{"id", "name"}]
    checkin_lists: Mapped[list[Any]] = mapped_column(default=list)  # [{"id", "name", "types"}]
    signing_keys: Mapped[list[Any]] = mapped_column(default=list)  # SigningKey.to_json(): secret
    seed_json_secret: Mapped[str | None] = mapped_column(Text)
    seed_secret_to_devices: Mapped[bool] = mapped_column(default=False)
    # The change log's sequence: bumped under the event's lock so cursors commit in order.
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    changes_floor: Mapped[int] = mapped_column(BigInteger, default=0)  # older cursors get 410
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Ticket(Base):
    __tablename__ = "tickets"
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), primary_key=True)
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    type: Mapped[str] = mapped_column(ID)
    status: Mapped[str] = mapped_column(String(16), default="valid")
    days: Mapped[list[Any] | None] = mapped_column()
    name: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    order_code: Mapped[str | None] = mapped_column(Text)
    seat: Mapped[str | None] = mapped_column(Text)
    flags: Mapped[list[Any]] = mapped_column(default=list)
    note: Mapped[str | None] = mapped_column(Text)
    valid_from: Mapped[datetime | None] = mapped_column()
    valid_until: Mapped[datetime | None] = mapped_column()
    seed_sig: Mapped[str | None] = mapped_column(String(64))
    code_digest: Mapped[str | None] = mapped_column(String(32))  # of the current TK1 code
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class IssuedCode(Base):
    __tablename__ = "issued_codes"
    __table_args__ = (Index("ix_issued_codes_ticket", "event_id", "ticket_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"))
    ticket_id: Mapped[str] = mapped_column(ID)
    format: Mapped[str] = mapped_column(String(16))
    code_fp: Mapped[str] = mapped_column(String(32))
    code: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column()


class Revocation(Base):
    __tablename__ = "revocations"
    __table_args__ = (Index("ix_revocations_ticket", "event_id", "ticket_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"))
    ticket_id: Mapped[str] = mapped_column(ID)
    code_fp: Mapped[str | None] = mapped_column(String(32))  # None: every code of the ticket
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Change(Base):
    """The change log behind /changes: one snapshot-shaped record per change, by event and seq."""

    __tablename__ = "changes"
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    record: Mapped[str] = mapped_column(Text)  # the JSON line, encoded once at write time


class Device(Base):
    __tablename__ = "devices"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), index=True)
    door: Mapped[str] = mapped_column(ID)
    checkin_list: Mapped[str | None] = mapped_column(ID)
    name: Mapped[str | None] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column()
    # The newest change cursor the device has shown it holds (and when): pruning keeps the rest.
    cursor: Mapped[int | None] = mapped_column(BigInteger)
    cursor_at: Mapped[datetime | None] = mapped_column()
    # What the door told at its last upload: the organizer's page shows it (null: not yet).
    last_seen_at: Mapped[datetime | None] = mapped_column()
    app_version: Mapped[str | None] = mapped_column(String(64))
    waiting: Mapped[int | None] = mapped_column(Integer)  # its entries not yet uploaded
    clock_offset_s: Mapped[float | None] = mapped_column(Float)  # door clock minus ours


class EnrollmentCode(Base):
    __tablename__ = "enrollment_codes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"))
    door: Mapped[str] = mapped_column(ID)
    checkin_list: Mapped[str | None] = mapped_column(ID)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()
    device_id: Mapped[str | None] = mapped_column(String(32))


class OrganizerToken(Base):
    __tablename__ = "organizer_tokens"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    label: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column()


class Checkin(Base):
    """One journal entry from a door, stored as received (refused scans too)."""

    __tablename__ = "checkins"
    __table_args__ = (
        Index("ix_checkins_ticket", "event_id", "ticket_id"),
        Index("ix_checkins_annuls", "event_id", "annuls"),
        # What a conflict needs (the earliest standing admissions of a ticket), by index.
        Index(
            "ix_checkins_standing_admissions",
            "event_id",
            "ticket_id",
            "day",
            "scanned_at",
            "entry_id",
            sqlite_where=text(STANDING_ADMISSION),
            postgresql_where=text(STANDING_ADMISSION),
        ),
        # The few entries from a device whose clock ran ahead, for the organizer's lists.
        Index(
            "ix_checkins_clock_ahead",
            "event_id",
            "device_id",
            sqlite_where=text(CLOCK_AHEAD),
            postgresql_where=text(CLOCK_AHEAD),
        ),
    )
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(32))
    # The device's enrolment name when it uploaded, for door staff elsewhere (null: none known).
    device_name: Mapped[str | None] = mapped_column(String(200))
    device_seq: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(8))
    ticket_id: Mapped[str | None] = mapped_column(ID)
    code_fp: Mapped[str | None] = mapped_column(String(32))
    format: Mapped[str | None] = mapped_column(String(16))
    direction: Mapped[str] = mapped_column(String(8))
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(32))
    door: Mapped[str] = mapped_column(Text)  # as the door recorded it (any length)
    operator: Mapped[str | None] = mapped_column(Text)
    scanned_at: Mapped[datetime] = mapped_column()
    scanned_local: Mapped[str] = mapped_column(String(40))  # device wall time with its offset
    day: Mapped[int | None] = mapped_column(Integer)
    annuls: Mapped[str | None] = mapped_column(String(36))
    note: Mapped[str | None] = mapped_column(Text)
    # The door decided the scan offline, as it recorded it (null: an older door did not say).
    offline: Mapped[bool | None] = mapped_column(Boolean)
    received_at: Mapped[datetime] = mapped_column()
    server_reason: Mapped[str | None] = mapped_column(String(32))
    annulled_by: Mapped[str | None] = mapped_column(String(36))
    # Seconds the device's scan time lay ahead of the server's receive time, beyond the
    # tolerance (docs/sync.md, "Clocks"): the day was judged by the receive time. Null: trusted.
    clock_ahead_s: Mapped[int | None] = mapped_column(Integer)
