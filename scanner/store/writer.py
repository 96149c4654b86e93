"""The one writer: every write to the SQLite file runs as a job on one thread, in order.

Write jobs start with BEGIN IMMEDIATE so a read-decide-write job (a scan) is atomic across
processes too (two `scanner check` commands on one file). `synchronous=True` runs jobs on the
calling thread, for tests and the command line.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, event

from scanner.store.failures import in_words

T = TypeVar("T")
Job = Callable[[Connection], T]


def use_immediate_transactions(engine: Engine) -> None:
    """Make every transaction on `engine` take the write lock at BEGIN."""

    def on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves

    def on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", on_begin)


class Writer:
    def __init__(self, engine: Engine, *, synchronous: bool = False) -> None:
        self._engine = engine
        self._path = Path(engine.url.database or "")
        self._executor = (
            None if synchronous else ThreadPoolExecutor(1, thread_name_prefix="store-writer")
        )

    def submit(self, job: Job[T]) -> Future[T]:
        if self._executor is None:
            future: Future[T] = Future()
            try:
                future.set_result(self._run(job))
            except BaseException as exc:  # handed to the caller through the future
                future.set_exception(exc)
            return future
        return self._executor.submit(self._run, job)

    def run(self, job: Job[T]) -> T:
        """Run `job` and wait for its result (re-raising what it raised)."""
        return self.submit(job).result()

    def _run(self, job: Job[T]) -> T:
        with in_words(self._path), self._engine.begin() as conn:
            return job(conn)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True)
        self._engine.dispose()
