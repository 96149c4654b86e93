"""Writing the event, its tickets, revocations and other devices' passages (import and sync)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, text

from scanner.checkin.attendees import AttendeeRow
from scanner.checkin.change_records import RemotePassage, Revocation
from scanner.checkin.keyring import Keyring
from scanner.checkin.ticket_fields import DOOR_COLUMNS
from scanner.store.sealing import seal
from scanner.store.search_index import index_rows
from scanner.store.tickets import current_event_id

# Plain SQL handed to sqlite3's executemany: SQLAlchemy's per-row parameter processing cost a
# quarter of an import's time.
_INSERTS = {
    "ticket": (
        f"INSERT INTO tickets (event_id, {', '.join(DOOR_COLUMNS)})"  # noqa: S608
        f" VALUES (:event_id, {', '.join(':' + column for column in DOOR_COLUMNS)})"
    ),
    "revocation": (
        "INSERT INTO revocations (event_id, ticket_id, code_fp)"
        " VALUES (:event_id, :ticket_id, :code_fp)"
    ),
    # An undo is for good: a passage heard again (another door re-sending it, the server after
    # a door on the venue's network told of it and of its undo) never stands again.
    "passage": (
        "INSERT INTO remote_passages (entry_id, event_id, ticket_id, direction, at, door,"
        " device_id, device_name, day, annulled) VALUES (:entry_id, :event_id, :ticket_id,"
        " :direction, :at, :door, :device_id, :device_name, :day, 0)"
        " ON CONFLICT(entry_id) DO UPDATE SET event_id = excluded.event_id,"
        " ticket_id = excluded.ticket_id, direction = excluded.direction, at = excluded.at,"
        " door = excluded.door, device_id = excluded.device_id,"
        " device_name = excluded.device_name, day = excluded.day"
    ),
}
_INSERT_SEARCH = (
    "INSERT INTO ticket_search (event_id, ticket_id, body) VALUES (:event_id, :ticket_id, :body)"
)
_EVENT_TABLES = ("event_days", "ticket_types", "checkin_lists")
_LIST_TABLES = ("tickets", "ticket_search", "revocations", "remote_passages")


class Row(NamedTuple):
    kind: str  # the record's kind: "ticket", "revocation" or "passage"
    values: dict[str, Any]


@dataclass(frozen=True)
class EventSpec:
    """An event as a snapshot header describes it (CSV imports give the same fields by hand)."""

    id: str
    name: str
    timezone: str
    days: dict[int, date]
    reentry: bool
    max_code_age_s: int | None
    ticket_types: list[tuple[str, str]]
    checkin_lists: list[tuple[str, str, list[str]]]
    keyring: Keyring
    grace_before_s: int | None = None  # None: the door's default (event_window.py)
    grace_after_s: int | None = None


def ticket_row(event_id: str, row: AttendeeRow) -> dict[str, Any]:
    return {"event_id": event_id, **row.door_columns()}


def record_row(event_id: str, record: AttendeeRow | Revocation | RemotePassage) -> Row:
    """A snapshot's or a change's record as the row of its table (by the record's kind)."""
    if isinstance(record, AttendeeRow):
        return Row("ticket", ticket_row(event_id, record))
    if isinstance(record, Revocation):
        return Row(
            "revocation",
            {"event_id": event_id, "ticket_id": record.ticket_id, "code_fp": record.code_fp},
        )
    passage = {
        "entry_id": record.entry_id,
        "event_id": event_id,
        "ticket_id": record.ticket_id,
        "direction": str(record.direction),
        "at": record.at.isoformat(timespec="microseconds"),
        "door": record.door,
        "device_id": record.device_id,
        "device_name": record.device_name,
        "day": record.day,
    }
    return Row("passage", passage)


def insert(conn: Connection, kind: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    conn.exec_driver_sql(_INSERTS[kind], rows)
    if kind == "ticket":
        conn.exec_driver_sql(
            _INSERT_SEARCH,
            [
                index_rows(
                    r["event_id"], r["ticket_id"], r["holder_name"], r["email"], r["order_code"]
                )
                for r in rows
            ],
        )


def clear_list(conn: Connection, event_id: str, tables: tuple[str, ...] = _LIST_TABLES) -> None:
    for table in tables:
        conn.execute(text(f"DELETE FROM {table} WHERE event_id = :id"), {"id": event_id})  # noqa: S608


def replace_event(conn: Connection, spec: EventSpec, *, now: datetime, source: str) -> None:
    # a fresh list makes the records set aside from earlier changes moot (it re-sends them)
    clear_list(conn, spec.id, _LIST_TABLES + _EVENT_TABLES + ("set_aside",))
    conn.execute(text("DELETE FROM events WHERE id = :id"), {"id": spec.id})
    conn.execute(
        text(
            "INSERT INTO events (id, name, timezone, reentry, max_code_age_s, keyring_json,"
            " cursor, snapshot_generated_at, imported_at, source, grace_before_s, grace_after_s)"
            " VALUES (:id, :name, :tz, :reentry, :max_age, :keyring, NULL, NULL, :now, :source,"
            " :grace_before, :grace_after)"
        ),
        {
            "id": spec.id,
            "name": spec.name,
            "tz": spec.timezone,
            "reentry": spec.reentry,
            "max_age": spec.max_code_age_s,
            "keyring": _keyring_text(spec.keyring),
            "now": now.isoformat(),
            "source": source,
            "grace_before": spec.grace_before_s,
            "grace_after": spec.grace_after_s,
        },
    )
    _insert_many(
        conn,
        "INSERT INTO event_days (event_id, day, date) VALUES (:e, :a, :b)",
        spec.id,
        [(d, v.isoformat()) for d, v in spec.days.items()],
    )
    _insert_many(
        conn,
        "INSERT INTO ticket_types (event_id, id, name) VALUES (:e, :a, :b)",
        spec.id,
        spec.ticket_types,
    )
    _insert_many(
        conn,
        "INSERT INTO checkin_lists (event_id, id, name, types_json) VALUES (:e, :a, :b, :c)",
        spec.id,
        [(i, n, json.dumps(t)) for i, n, t in spec.checkin_lists],
    )
    set_current_event(conn, spec.id)


def _keyring_text(keyring: Keyring) -> str:
    text = json.dumps(keyring.to_json())
    return seal(text) if keyring.can_mint else text  # public keys need no protection


def _insert_many(conn: Connection, sql: str, event_id: str, rows: list[tuple[Any, ...]]) -> None:
    if rows:
        keys = ("a", "b", "c")
        conn.execute(text(sql), [{"e": event_id, **dict(zip(keys, r, strict=False))} for r in rows])


def set_current_event(conn: Connection, event_id: str) -> None:
    put_setting(conn, "event_id", event_id)
    generation = int(get_setting(conn, "event_generation") or 0) + 1
    put_setting(conn, "event_generation", str(generation))


def set_cursor(conn: Connection, event_id: str, cursor: str | None, generated_at: str) -> None:
    conn.execute(
        text("UPDATE events SET cursor = :c, snapshot_generated_at = :g WHERE id = :id"),
        {"c": cursor, "g": generated_at, "id": event_id},
    )


def prepare_csv_event(conn: Connection, spec: EventSpec | None, *, now: datetime) -> str:
    if spec is not None:
        replace_event(conn, spec, now=now, source="csv")
        return spec.id
    event_id = current_event_id(conn)
    clear_list(conn, event_id, ("tickets", "ticket_search"))
    conn.execute(
        text("UPDATE events SET imported_at = :now, source = 'csv' WHERE id = :id"),
        {"now": now.isoformat(), "id": event_id},
    )
    set_current_event(conn, event_id)
    return event_id


def get_setting(conn: Connection, key: str) -> str | None:
    row = conn.execute(text("SELECT value FROM settings WHERE key = :k"), {"k": key}).first()
    return None if row is None else str(row[0])


def put_setting(conn: Connection, key: str, value: str) -> None:
    conn.execute(
        text(
            "INSERT INTO settings (key, value) VALUES (:k, :v)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value"
        ),
        {"k": key, "v": value},
    )
