"""Reading the companion API's database from a test, as an organizer's SQL client would: a
throwaway engine, closed again, so no connection outlives the question."""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, text


def server_rows(url: str, sql: str, **params: object) -> list[Any]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql), params).all())
    finally:
        engine.dispose()
