"""Double admissions: the same ticket let in twice (at two doors, or while doors were offline).

Both records stay; this lists them. Computed from every admission this device knows, its own and
the ones the server passed on, so both sides of a double entry show it once both have synced.
The earliest admission by scan time counts as the first, as on the server.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection, text

from scanner.store import tickets

_DOUBLES = text(
    "SELECT p.ticket_id, p.day, p.direction, p.at, p.door, p.device_id, p.device_name,"
    " p.entry_id,"
    " EXISTS (SELECT 1 FROM journal j WHERE j.id = p.entry_id) AS mine,"
    " (SELECT t.holder_name FROM tickets t WHERE t.event_id = p.event_id"
    "   AND t.ticket_id = p.ticket_id) AS holder_name"
    " FROM passages p WHERE p.event_id = :event AND p.ticket_id IN ("
    "   SELECT ticket_id FROM passages WHERE event_id = :event AND direction = 'entry'"
    "   GROUP BY ticket_id, day HAVING COUNT(*) > 1)"
    " ORDER BY p.ticket_id, p.day, p.at"
)


@dataclass(frozen=True)
class Admission:
    entry_id: str
    at: str
    door: str
    device_id: str
    mine: bool
    device_name: str | None = None  # its enrolment name, when known


@dataclass(frozen=True)
class Conflict:
    ticket_id: str
    day: int | None
    first: Admission
    others: tuple[Admission, ...]
    holder_name: str = ""  # who the ticket is for (staff know guests by name, not by id)


def conflicts(conn: Connection) -> list[Conflict]:
    policy = tickets.load_current_event(conn).policy
    event_id = policy.event_id
    groups: dict[tuple[str, int | None], list[tuple[str, Admission]]] = defaultdict(list)
    holders: dict[str, str] = {}
    name = tickets.device_namer(conn)
    for row in conn.execute(_DOUBLES, {"event": event_id}):
        admission = Admission(
            row.entry_id,
            row.at,
            row.door,
            row.device_id,
            bool(row.mine),
            name(row.device_id, row.device_name),
        )
        groups[(row.ticket_id, row.day)].append((row.direction, admission))
        holders[row.ticket_id] = row.holder_name or ""
    found = []
    for (ticket_id, day), passages in groups.items():
        doubles = _double_admissions(passages, policy.reentry)
        if len(doubles) > 1 and any(a.mine for a in doubles):
            first, others = doubles[0], tuple(doubles[1:])
            found.append(Conflict(ticket_id, day, first, others, holders[ticket_id]))
    return found


def _double_admissions(passages: list[tuple[str, Admission]], reentry: bool) -> list[Admission]:
    """The admissions that collide: with re-entry, entries with no exit between them."""
    if not reentry:
        return [admission for direction, admission in passages if direction == "entry"]
    colliding: list[Admission] = []
    inside: Admission | None = None
    for direction, admission in passages:
        if direction != "entry":
            inside = None
            continue
        if inside is not None:
            colliding.extend(a for a in (inside, admission) if a not in colliding)
        inside = inside or admission
    return colliding
