"""A real server for tests: uvicorn on 127.0.0.1, a fresh database, an event ready to scan.

Used by the server's own tests and by the scanner's sync tests (docs/server.md, "Testing against
a live server"). Everything here talks to the server the way a door or an organizer would.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import uvicorn

from scanner.checkin.keyring import Keyring
from server_stub.api.main import create_app
from server_stub.core.config import Settings
from server_stub.db import Database, migrate, open_database
from server_stub.models import Event
from server_stub.services import devices, events, issuing, tickets
from server_stub.services.change_signal import ChangeSignal
from server_stub.services.issuing import Issued
from server_stub.services.secrets_at_rest import open_secrets


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'server.sqlite3'}"


@dataclass
class LiveServer:
    url: str  # http://127.0.0.1:PORT
    database_url: str
    db: Database = field(repr=False)
    # what long-polls wait on: tests wait for a door's long-poll to be held (`waiting()`)
    signal: ChangeSignal = field(repr=False, default_factory=ChangeSignal)

    @property
    def api(self) -> str:
        return self.url + "/api/v1"


@contextmanager
def live_server(
    database_url: str,
    settings: Settings | None = None,
    port: int | None = None,
    key_file: Path | None = None,
) -> Iterator[LiveServer]:
    """uvicorn in a thread of this process; stopped (and the database closed) on exit.
    `port`: listen there (a server stopped and started again at the same address); `key_file`:
    the server key (default: the user's, docs/server.md)."""
    db = open_database(database_url, key_file)
    # Tests enrol many doors from one address in seconds: limits only where a test sets them.
    settings = settings or Settings(
        database_url, enroll_per_minute=10**6, organizer_per_minute=10**6
    )
    app = create_app(settings, db)
    port = port or free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", ws="none", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", database_url, db, app.state.change_signal)
    finally:
        # Long-polls held open are answered now: uvicorn waits for every running request.
        app.state.change_signal.close()
        server.should_exit = True
        thread.join(timeout=15)
        app.state.pruner.stop()
        db.dispose()


@contextmanager
def server_process(
    database_url: str, workers: int = 1
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`scanner-server serve` in a child process (benchmarks: its memory is its own)."""
    db = open_database(database_url)
    migrate(db)
    open_secrets(db)
    db.dispose()
    port = free_port()
    command = [sys.executable, "-m", "server_stub", "serve", "--db", database_url]
    command += ["--port", str(port), "--workers", str(workers), "--log-level", "warning"]
    child = subprocess.Popen(command, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_port(port, child)
        yield url, child
    finally:
        child.terminate()
        child.wait(timeout=15)


def _wait_for_port(port: int, child: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise RuntimeError("the server process exited")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the server process did not start listening")


@dataclass
class SeededEvent:
    event_id: str
    organizer_token: str = field(repr=False)
    ticket_ids: list[str]
    codes: dict[str, str] = field(repr=False)  # ticket id -> its TK1 code
    keyring: Keyring = field(repr=False)
    database_url: str = ""

    def enrollment_code(self, door: str = "north", checkin_list: str | None = None) -> str:
        """A fresh one-time code for a door (call once per device to enrol)."""
        db = open_database(self.database_url)
        try:
            with db.writing() as session:
                event = session.get(Event, self.event_id)
                assert event is not None
                code, _ = devices.create_enrollment_code(session, event, door, checkin_list, 3600)
        finally:
            db.dispose()
        return code


def seed_event(
    database_url: str,
    *,
    tickets_per_type: int = 10,
    ticket_types: tuple[str, ...] = ("ga", "vip"),
    days: tuple[date, ...] = (),
    timezone: str = "UTC",
    reentry: bool = False,
    checkin_lists: tuple[tuple[str, str, tuple[str, ...]], ...] = (),
    event_id: str | None = None,
    key_file: Path | None = None,
) -> SeededEvent:
    """An event with tickets, issued TK1 codes and an organizer token, written directly."""
    db = open_database(database_url, key_file)
    migrate(db)
    open_secrets(db)
    spec = events.EventSpec(
        name="Test event",
        event_id=event_id,
        timezone=timezone,
        days=days,
        ticket_types=tuple((t, t.upper()) for t in ticket_types),
        checkin_lists=checkin_lists,
        reentry=reentry,
    )
    try:
        with db.writing() as session:
            event = events.create_event(session, spec)
            token = devices.create_organizer_token(session, event.id, "tests")
            ids = [
                i
                for t in ticket_types
                for i in tickets.add_tickets(session, event.id, t, tickets_per_type)
            ]
            codes: list[Issued] = issuing.issue_codes(session, event.id, ids, "TK1")
            keyring = events.door_keyring(event)
    finally:
        db.dispose()
    return SeededEvent(
        event.id, token, ids, {c.ticket_id: c.code for c in codes}, keyring, database_url
    )
