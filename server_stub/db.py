"""Engines, sessions and schema migrations for SQLite (default) and PostgreSQL.

Writes that must see a stable picture (check-in ingest, ticket changes) run in "write" sessions:
on SQLite they start with BEGIN IMMEDIATE (one writer at a time, no lock-upgrade deadlocks); on
PostgreSQL they lock the event's row (services.changes.lock_event). Reads never block writers.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, insert, make_url, select
from sqlalchemy import func as sql_func
from sqlalchemy.orm import Session, sessionmaker

from scanner.private_files import private_file, private_folder, tighten
from server_stub.core.config import default_data_dir
from server_stub.core.server_key import ServerKey, default_key_path

MIGRATIONS = Path(__file__).parent / "migrations"
log = logging.getLogger("server_stub")
SERVER_KEY = "server_key"  # in each session's info: the key that seals the database's secrets
CHANGED = "changed_events"  # in a session's info: event id -> newest seq appended, until commit
NOTIFY_CHANNEL = "scanner_changes"  # PostgreSQL: every commit that appended changes says so here
ChangeListener = Callable[[str, int], None]  # event id, newest seq: called after the commit


def normalise_url(url: str) -> str:
    # psycopg 3 is the driver we ship; plain postgresql:// would ask for psycopg2.
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _private_sqlite_file(url: str) -> None:
    """The database file and the files SQLite keeps beside it readable by this user only, in a
    private data folder (SQLite gives its -wal and -shm files the database file's mode)."""
    name = make_url(url).database
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    path = Path(name).absolute()
    private_folder(path.parent, ours=path.parent == default_data_dir().absolute())
    private_file(path)
    for companion in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if companion.exists():
            tighten(companion, 0o600)


def _sqlite_engine(url: str) -> Engine:
    _private_sqlite_file(url)
    engine = create_engine(
        url, connect_args={"timeout": 60, "check_same_thread": False}, pool_size=20, max_overflow=40
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers (snapshots) never block ingest
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


@dataclass
class Database:
    url: str
    engine: Engine
    read: sessionmaker[Session]
    write: sessionmaker[Session]
    server_key: ServerKey
    _write_lock: AbstractContextManager[object] = field(default_factory=nullcontext)
    # told of every commit of this process that appended changes (services.change_signal)
    change_listeners: list[ChangeListener] = field(default_factory=list)
    _event_locks: dict[str, threading.Lock] = field(default_factory=dict)
    _locks_guard: threading.Lock = field(default_factory=threading.Lock)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A write transaction: committed on success, rolled back on any exception."""
        # SQLite has one writer at a time anyway; queueing writers on a lock here, instead of in
        # SQLite's sleeping busy handler, takes them in turn without the back-off delays.
        with self._write_lock, self.write() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self.read() as session, session.begin():
            yield session

    def event_lock(self, event_id: str) -> threading.Lock:
        """Serialises this process's uploads to one event before they reach the database: one
        waits on a cheap in-process lock instead of 50 transactions queueing on a row lock
        (measured: fairer latency on PostgreSQL). The row lock still orders other processes."""
        with self._locks_guard:
            return self._event_locks.setdefault(event_id, threading.Lock())

    def session(self, connection: Connection) -> Session:
        """A session on a connection the caller holds (a streamed snapshot's transaction)."""
        return Session(bind=connection, info={SERVER_KEY: self.server_key})

    def dispose(self) -> None:
        self.engine.dispose()


def changed(session: Session, event_id: str, seq: int) -> None:
    """Changes of `event_id` up to `seq` were appended in this session's transaction: its commit
    tells the listeners (and, on PostgreSQL, every listening process); a rollback forgets it."""
    session.info.setdefault(CHANGED, {})[event_id] = seq


def notify_payload(event_id: str, seq: int) -> str:
    return f"{event_id} {seq}"


def read_notify_payload(payload: str) -> tuple[str, int] | None:
    event_id, _, seq = payload.rpartition(" ")
    return (event_id, int(seq)) if event_id and seq.isdigit() else None


def _announce_changes(db: Database, makers: tuple[sessionmaker[Session], ...]) -> None:
    postgres = db.engine.dialect.name == "postgresql"

    def before_commit(session: Session) -> None:
        if postgres:  # delivered at commit, with the data; dropped with a rollback
            for event_id, seq in session.info.get(CHANGED, {}).items():
                payload = notify_payload(event_id, seq)
                session.execute(select(sql_func.pg_notify(NOTIFY_CHANNEL, payload)))

    def after_commit(session: Session) -> None:
        for event_id, seq in session.info.pop(CHANGED, {}).items():
            for listener in list(db.change_listeners):
                try:
                    listener(event_id, seq)
                except Exception:  # the data is committed: a listener's bug must not undo that
                    log.exception("a change listener failed")

    def after_rollback(session: Session) -> None:
        session.info.pop(CHANGED, None)

    for maker in makers:
        event.listen(maker, "before_commit", before_commit)
        event.listen(maker, "after_commit", after_commit)
        event.listen(maker, "after_rollback", after_rollback)


def server_key(session: Session) -> ServerKey:
    """The key that seals the secrets of the database `session` reads."""
    key = session.info.get(SERVER_KEY)
    if not isinstance(key, ServerKey):
        raise RuntimeError("a session not made by Database holds no server key")
    return key


def open_database(url: str, key_file: Path | None = None) -> Database:
    """The database at `url`; its secrets sealed with the key in `key_file` (default:
    $SCANNER_SERVER_KEY_FILE or the config folder's server.key), read when first needed."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = _sqlite_engine(url)
    else:
        # No server-side prepared statements: the IN lists of a batch vary in length, and
        # prepared plans for them measured ten times slower than plain ones.
        engine = create_engine(
            url,
            pool_size=20,
            max_overflow=40,
            pool_pre_ping=True,
            # Sessions in UTC: timestamps then come back in UTC itself, which the UTC column
            # type passes on without converting (300,000 of them in a big report).
            connect_args={"prepare_threshold": None, "options": "-c timezone=UTC"},
        )
    writer = engine.execution_options(write=True)
    key = ServerKey(key_file or default_key_path())
    db = Database(
        url,
        engine,
        sessionmaker(engine, expire_on_commit=False, info={SERVER_KEY: key}),
        sessionmaker(writer, expire_on_commit=False, info={SERVER_KEY: key}),
        key,
        threading.Lock() if engine.dialect.name == "sqlite" else nullcontext(),
    )
    _announce_changes(db, (db.read, db.write))
    return db


def insert_rows(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    """Many rows at once: COPY on PostgreSQL (the upload hot path: measured several times faster
    than executemany), executemany elsewhere. Values must be plain (no JSON columns)."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        session.execute(insert(model), rows)
        return
    names = list(rows[0])
    columns = ", ".join(f'"{name}"' for name in names)
    raw = connection.connection.dbapi_connection
    assert raw is not None
    statement = f"COPY {model.__tablename__} ({columns}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[attr-defined]
        for row in rows:
            copy.write_row([row[name] for name in names])


def migration_config(connection: Connection) -> Config:
    """Alembic's configuration for running this server's migrations on `connection`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def migrate(db: Database) -> None:
    """Bring the schema to the newest revision (an upgraded server opens an old database)."""
    with db.engine.begin() as connection:
        command.upgrade(migration_config(connection), "head")
