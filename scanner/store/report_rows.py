"""What one door knows, as report rows: its journal, plus the admissions and exits of other
doors it learnt from sync (their refusals and undos stay on those doors and the server).

Read-only queries, streamed: the report reads the journal twice (summary, then scan log).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import Connection, text

from scanner.reports.rows import EntryRow, EventInfo, TicketRow
from scanner.store import tickets
from scanner.store.records import get_setting

_TICKETS = text(
    "SELECT ticket_id, ticket_type, status, holder_name, email, order_code FROM tickets"
    " WHERE event_id = :event ORDER BY ticket_id"
)
# Remote times carry their device's offset: julianday() orders them in UTC, like ours.
_ENTRIES = text(
    "SELECT e.*, t.ticket_type, t.holder_name, t.order_code FROM ("
    " SELECT j.id AS entry_id, j.scanned_at AS at, j.kind, j.direction, j.outcome, j.reason,"
    "  j.door, j.device_id, j.ticket_id, j.operator, j.format, j.day, j.annuls, j.note,"
    "  j.uploaded_at, j.upload_state, j.offline, 1 AS mine, NULL AS device_name,"
    "  EXISTS (SELECT 1 FROM journal u WHERE u.annuls = j.id) AS annulled"
    " FROM journal j WHERE j.event_id = :event"
    " UNION ALL"
    " SELECT r.entry_id, r.at, 'scan', r.direction,"
    "  CASE r.direction WHEN 'exit' THEN 'exited' ELSE 'admitted' END, 'ok', r.door,"
    "  r.device_id, r.ticket_id, NULL, NULL, r.day, NULL, NULL, NULL, NULL, NULL, 0,"
    "  r.device_name,"
    "  r.annulled"
    " FROM remote_passages r WHERE r.event_id = :event"
    "  AND NOT EXISTS (SELECT 1 FROM journal l WHERE l.id = r.entry_id)"
    ") e LEFT JOIN tickets t ON t.event_id = :event AND t.ticket_id = e.ticket_id"
    " ORDER BY julianday(e.at), e.entry_id"
)
_TYPES = text("SELECT id, name FROM ticket_types WHERE event_id = :event ORDER BY id")
_BATCH = 2000


def event_info(conn: Connection) -> EventInfo:
    event = tickets.load_current_event(conn)
    policy = event.policy
    types = {str(i): str(n) for i, n in conn.execute(_TYPES, {"event": policy.event_id})}
    door = get_setting(conn, "door") or "this door"
    device = get_setting(conn, "device_id") or "?"
    return EventInfo(
        event_id=policy.event_id,
        name=event.name or policy.event_id,
        timezone=policy.timezone,
        days=dict(policy.days),
        reentry=policy.reentry,
        ticket_types=types,
        scope=f"as known at {door} ({device}): its journal and the passages it synced",
    )


def ticket_rows(conn: Connection, event_id: str) -> Iterator[TicketRow]:
    result = conn.execution_options(yield_per=_BATCH).execute(_TICKETS, {"event": event_id})
    yield from map(TicketRow._make, result)  # the columns in TicketRow's order


def entry_rows(conn: Connection, event_id: str) -> Iterator[EntryRow]:
    checkin_list = get_setting(conn, "checkin_list")
    device_name_of = tickets.device_namer(conn)
    result = conn.execution_options(yield_per=_BATCH).execute(_ENTRIES, {"event": event_id})
    parse = datetime.fromisoformat
    for (
        entry_id, at_text, kind, direction, outcome, reason, door, device_id, ticket_id,
        operator, code_format, day, annuls, note, uploaded_at, state, offline, mine, device_name,
        annulled, ticket_type, holder_name, order_code,
    ) in result:  # fmt: skip
        at = parse(at_text)
        received = _received(uploaded_at, state)
        yield EntryRow(
            entry_id, at, kind, direction, outcome, reason, door, device_id, ticket_id,
            ticket_type, holder_name, order_code, checkin_list if mine else None, operator,
            code_format if mine else "remote",  # never "by hand": not known for other doors
            day, annuls, bool(annulled), note, received,
            None if offline is None else bool(offline),  # as the door recorded it
            device_name_of(device_id, device_name),
        )  # fmt: skip


def _received(uploaded_at: str | None, state: str | None) -> datetime | None:
    """When the server took the entry (the server's time in its answer); None while pending."""
    if uploaded_at is None or state in (None, "pending"):
        return None
    return datetime.fromisoformat(uploaded_at)
