"""Records from the server that this door cannot apply, kept aside instead of halting sync.

One bad record (an id the door's rules refuse, a field of the wrong type) must not stop a door
from learning every later change: it is stored here as received, counted in status, and the rest
of its page is applied with the cursor. A technician reads them with `scanner status`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text

MAX_STORED = 16_384  # characters of one record kept; a huge record is cut, never refused

_INSERT = text(
    "INSERT INTO set_aside (event_id, origin, problem, record_json, received_at)"
    " VALUES (:event, :origin, :problem, :record, :at)"
)
_COUNT = text("SELECT COUNT(*) FROM set_aside WHERE event_id = :event")
_LATEST = text(
    "SELECT origin, problem, received_at FROM set_aside WHERE event_id = :event"
    " ORDER BY id DESC LIMIT :limit"
)


@dataclass(frozen=True)
class SetAside:
    origin: str
    problem: str
    received_at: str


def keep(
    conn: Connection, event_id: str, origin: str, problem: str, record: Any, now: datetime
) -> None:
    # ensure_ascii: the record may hold text no UTF-8 column accepts (lone surrogates)
    stored = json.dumps(record, ensure_ascii=True, default=repr)[:MAX_STORED]
    params = {"event": event_id, "origin": origin, "problem": problem[:500], "record": stored}
    conn.execute(_INSERT, {**params, "at": now.isoformat()})


def count(conn: Connection, event_id: str) -> int:
    return int(conn.execute(_COUNT, {"event": event_id}).scalar_one())


def latest(conn: Connection, event_id: str, limit: int = 5) -> list[SetAside]:
    rows = conn.execute(_LATEST, {"event": event_id, "limit": limit})
    return [SetAside(str(r[0]), str(r[1]), str(r[2])) for r in rows]
