"""Opening the SQLite file: durable pragmas, schema version check, migrations.

WAL with synchronous=FULL: a commit is on disk when it returns, so a verdict shown after the
journal commit survives a power cut. The alembic version is read with plain SQL on every open;
alembic itself is imported only when an upgrade is due (it costs start-up time).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from scanner.store.location import database_path

MIGRATIONS = Path(__file__).with_name("migrations")
# Revision ids are the files' four-digit prefixes, in order; the newest is the head.
KNOWN_REVISIONS = tuple(sorted(p.name[:4] for p in (MIGRATIONS / "versions").glob("[0-9]*.py")))
HEAD_REVISION = KNOWN_REVISIONS[-1]


class StoreError(RuntimeError):
    """The data file cannot be used; the message says why and what to do."""


def _pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    event.listen(engine, "connect", _pragmas)
    return engine


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        try:
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        except OperationalError:
            return None
    return None if row is None else str(row[0])


def upgrade(engine: Engine, target: str = "head") -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # One exclusive transaction: an interrupted upgrade leaves the old schema intact.
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, target)


def open_engine(directory: Path) -> Engine:
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = database_path(directory)
    new = not path.exists()
    engine = make_engine(path)
    try:
        revision = current_revision(engine)
    except Exception as exc:
        raise StoreError(f"{path} is not a scanner data file or is damaged ({exc})") from None
    if revision not in (*KNOWN_REVISIONS, None):
        raise StoreError(
            f"{path} was written by a newer version of the scanner (schema {revision}); "
            "install that version or newer"
        )
    if revision != HEAD_REVISION:
        upgrade(engine)
    if new:
        os.chmod(path, 0o600)  # attendee names and keys: readable by this user only
    return engine
