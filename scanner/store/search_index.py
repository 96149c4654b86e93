"""The full-text index behind manual search (an FTS5 table of folded text)."""

from __future__ import annotations

from scanner.checkin.folding import fold

# Prefix indexes make "jur" -> "Jürgen" a cheap lookup instead of a scan.
SEARCH_TABLE_DDL = (
    "CREATE VIRTUAL TABLE ticket_search USING fts5("
    "event_id UNINDEXED, ticket_id UNINDEXED, body, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4')"
)


def search_body(ticket_id: str, name: str | None, email: str | None, order: str | None) -> str:
    return " ".join(fold(part) for part in (ticket_id, name, email, order) if part)


def index_rows(
    event_id: str, ticket_id: str, name: str | None, email: str | None, order: str | None
) -> dict[str, str]:
    return {
        "event_id": event_id,
        "ticket_id": ticket_id,
        "body": search_body(ticket_id, name, email, order),
    }
