"""Manual search at the door: name, e-mail, order code or ticket id; prefix, case- and
accent-insensitive, best match first.

A ticket id or order code typed in full comes first (an indexed lookup). Then the full-text
index gives prefix matches, at most CANDIDATES of them, ranked here: whole words before
prefixes, shorter entries before longer. FTS5's own bm25 ranking would score every match, which
for a two-letter prefix on 100,000 tickets costs more than the whole rest of a search.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, text

from scanner.checkin.folding import tokens

CANDIDATES = 400

_COLUMNS = "t.ticket_id, t.holder_name, t.email, t.order_code, t.ticket_type, t.status"
# Two indexed lookups: an OR of the two columns would scan the table.
_EXACT = text(
    f"SELECT {_COLUMNS}, '' AS body FROM tickets t"  # noqa: S608
    " WHERE t.event_id = :event AND t.ticket_id IN :spellings UNION"
    f" SELECT {_COLUMNS}, '' AS body FROM tickets t"
    " WHERE t.event_id = :event AND t.order_code IN :spellings"
).bindparams(bindparam("spellings", expanding=True))
_MATCH = text(
    f"SELECT {_COLUMNS}, s.body FROM ticket_search s JOIN tickets t"  # noqa: S608
    "   ON t.event_id = s.event_id AND t.ticket_id = s.ticket_id"
    " WHERE ticket_search MATCH :match AND s.event_id = :event LIMIT :limit"
)
_ADMITTED = text(
    "SELECT ticket_id, MIN(at) FROM passages WHERE event_id = :event"
    " AND ticket_id IN :tickets AND direction = 'entry' GROUP BY ticket_id"
).bindparams(bindparam("tickets", expanding=True))


@dataclass(frozen=True)
class SearchHit:
    ticket_id: str
    holder_name: str
    email: str | None
    order_code: str | None
    ticket_type: str
    status: str
    first_admitted_at: str | None


def search(conn: Connection, event_id: str, query: str, limit: int = 20) -> list[SearchHit]:
    words = tokens(query)
    if not words:
        return []
    typed = query.strip()
    spellings = sorted({typed, typed.lower(), typed.upper()})
    exact = conn.execute(_EXACT, {"event": event_id, "spellings": spellings}).all()
    match = " ".join(f'"{word}"*' for word in words)  # words are letters and digits only
    params = {"match": match, "event": event_id, "limit": CANDIDATES}
    found = conn.execute(_MATCH, params).all()
    first = {row[0] for row in exact}

    def rank(row: Any) -> tuple[int, int]:
        body_words = set(str(row[6]).split())
        return (-sum(word in body_words for word in words), len(str(row[6])))

    ranked = [*exact, *sorted((r for r in found if r[0] not in first), key=rank)][:limit]
    return _hits(conn, event_id, ranked)


def _hits(conn: Connection, event_id: str, rows: list[Any]) -> list[SearchHit]:
    if not rows:
        return []
    params = {"event": event_id, "tickets": [r[0] for r in rows]}
    admitted = {str(t): str(at) for t, at in conn.execute(_ADMITTED, params)}
    return [
        SearchHit(
            ticket_id=str(r[0]),
            holder_name=str(r[1]),
            email=None if r[2] is None else str(r[2]),
            order_code=None if r[3] is None else str(r[3]),
            ticket_type=str(r[4]),
            status=str(r[5]),
            first_admitted_at=admitted.get(r[0]),
        )
        for r in rows
    ]
