"""What tests do behind the store's operations, and no code in scanner/ may: SQL on the store's
own connections (to set up a case or look at the file), and the store a door session owns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Connection, text

from scanner.app.session import DoorSession
from scanner.store.store import Store

T = TypeVar("T")


def on_reader(store: Store, job: Callable[[Connection], T]) -> T:
    return store._read(job)


def on_writer(store: Store, job: Callable[[Connection], T]) -> T:
    """`job` as one of the store's writes: on its writer's connection, in its transaction."""
    return store._writer.run(job)


def read_sql(store: Store, sql: str, *params: object) -> list[Any]:
    return on_reader(store, lambda conn: conn.execute(*_statement(sql, params)).all())


def read_one(store: Store, sql: str, *params: object) -> Any:
    return on_reader(store, lambda conn: conn.execute(*_statement(sql, params)).scalar())


def write_sql(store: Store, sql: str, *params: object) -> None:
    on_writer(store, lambda conn: conn.execute(*_statement(sql, params)))


def _statement(sql: str, params: tuple[object, ...]) -> tuple[Any, ...]:
    """Positional `?` parameters, as sqlite3 takes them."""
    if not params:
        return (text(sql),)
    names = {f"p{i}": value for i, value in enumerate(params)}
    for name in names:
        sql = sql.replace("?", f":{name}", 1)
    return text(sql), names


def store_of(session: DoorSession) -> Store:
    return session._store
