"""Manual search at the door: name, e-mail, order code or ticket id; prefix, case- and
accent-insensitive, best match first."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, text

from scanner.checkin.folding import fold, tokens

CANDIDATES = 50  # re-ranked in Python; far more than a door screen shows

_MATCH = text(
    "SELECT t.ticket_id, t.holder_name, t.email, t.order_code, t.ticket_type, t.status,"
    " s.body, bm25(ticket_search) AS score"
    " FROM ticket_search s JOIN tickets t"
    "   ON t.event_id = s.event_id AND t.ticket_id = s.ticket_id"
    " WHERE ticket_search MATCH :match AND s.event_id = :event"
    " ORDER BY score LIMIT :limit"
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
    match = " ".join(f'"{word}"*' for word in words)  # words are letters and digits only
    rows = conn.execute(_MATCH, {"match": match, "event": event_id, "limit": CANDIDATES}).all()
    whole = fold(query.strip())

    def rank(row: tuple[object, ...]) -> tuple[int, int, float]:
        ticket_id, order_code, body, score = row[0], row[3], str(row[6]), float(str(row[7]))
        exact_id = whole in (fold(str(ticket_id)), fold(str(order_code or "")))
        body_words = set(body.split())
        whole_words = sum(word in body_words for word in words)
        return (0 if exact_id else 1, -whole_words, score)

    ranked = sorted((tuple(r) for r in rows), key=rank)[:limit]
    if not ranked:
        return []
    params = {"event": event_id, "tickets": [r[0] for r in ranked]}
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
        for r in ranked
    ]
