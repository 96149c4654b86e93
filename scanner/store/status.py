"""Counts for `scanner status` and the door window: who came, who is inside, what waits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, text

from scanner.checkin.event_record import EventRecord
from scanner.checkin.rules import event_day
from scanner.store import set_aside

_EXPECTED = text(
    "SELECT ticket_type, COUNT(*) FROM tickets WHERE event_id = :event AND status = 'valid'"
    " GROUP BY ticket_type"
)
# First admission per ticket (of the day, on multi-day events), with its door and type.
_ADMITTED = text(
    "SELECT COALESCE(t.ticket_type, '(not on list)'), p.door, COUNT(*) FROM ("
    "  SELECT ticket_id, door, MIN(at) FROM passages"
    "   WHERE event_id = :event AND direction = 'entry' AND (:day IS NULL OR day = :day)"
    "   GROUP BY ticket_id) p"
    " LEFT JOIN tickets t ON t.event_id = :event AND t.ticket_id = p.ticket_id"
    " GROUP BY 1, 2"
)
_INSIDE = text(
    "SELECT COUNT(*) FROM ("
    "  SELECT ticket_id, direction, MAX(at) FROM passages"
    "   WHERE event_id = :event AND (:day IS NULL OR day = :day) GROUP BY ticket_id)"
    " WHERE direction = 'entry'"
)
_PENDING = text("SELECT COUNT(*) FROM journal WHERE upload_state = 'pending'")


@dataclass(frozen=True)
class Status:
    event_id: str
    event_name: str
    day: int | None
    expected_by_type: dict[str, int]
    admitted_by_type: dict[str, int]
    admitted_by_door: dict[str, int]
    inside: int | None  # None when the event does not scan exits
    pending_upload: int
    snapshot_generated_at: str | None
    imported_at: str
    snapshot_age_s: float | None
    set_aside: int = 0  # records from the server this door could not apply (kept aside)
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def admitted(self) -> int:
        return sum(self.admitted_by_type.values())

    @property
    def expected(self) -> int:
        return sum(self.expected_by_type.values())


def read_status(conn: Connection, event: EventRecord, now: datetime) -> Status:
    policy = event.policy
    day = event_day(policy, now) if policy.days else None
    params = {"event": policy.event_id, "day": day}
    by_type: dict[str, int] = {}
    by_door: dict[str, int] = {}
    for ticket_type, door, count in conn.execute(_ADMITTED, params):
        by_type[ticket_type] = by_type.get(ticket_type, 0) + count
        by_door[door] = by_door.get(door, 0) + count
    generated = event.snapshot_generated_at
    reference = generated or event.imported_at
    age = (now - datetime.fromisoformat(reference)).total_seconds()
    return Status(
        event_id=policy.event_id,
        event_name=event.name,
        day=day,
        expected_by_type={str(t): int(n) for t, n in conn.execute(_EXPECTED, params)},
        admitted_by_type=by_type,
        admitted_by_door=by_door,
        inside=int(conn.execute(_INSIDE, params).scalar_one()) if policy.reentry else None,
        pending_upload=int(conn.execute(_PENDING).scalar_one()),
        snapshot_generated_at=generated,
        imported_at=event.imported_at,
        snapshot_age_s=age,
        set_aside=set_aside.count(conn, policy.event_id),
    )
