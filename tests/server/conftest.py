"""Fixtures for the companion API's tests: a live uvicorn server on 127.0.0.1 with a fresh
database, a seeded event, an enrolled device and an organizer, as httpx clients.

PostgreSQL tests use the `postgres` marker and run when DATABASE_URL_TEST names a server we may
create databases on (scripts/with-postgres.sh sets it); otherwise they skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg
import pytest

from server_stub.testing import LiveServer, SeededEvent, live_server, seed_event, sqlite_url
from tests.server.helpers import Cli, Door, enroll

PG_URL = os.environ.get("DATABASE_URL_TEST")


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new, empty database on the test server, dropped afterwards."""
    if not PG_URL:
        pytest.skip("DATABASE_URL_TEST is not set (scripts/with-postgres.sh sets it)")
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = PG_URL.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = PG_URL.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Both backends: the test runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def server(any_db_url: str) -> Iterator[LiveServer]:
    """A live server on each backend (the PostgreSQL run skips without DATABASE_URL_TEST)."""
    with live_server(any_db_url) as running:
        yield running


@pytest.fixture
def event(server: LiveServer) -> SeededEvent:
    return seed_event(server.database_url)


@pytest.fixture
def device(server: LiveServer, event: SeededEvent) -> Iterator[Door]:
    with enroll(server, event, "north") as door:
        yield door


@pytest.fixture
def organizer(server: LiveServer, event: SeededEvent) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {event.organizer_token}"}
    with httpx.Client(base_url=server.api, headers=headers, timeout=30) as client:
        yield client


@pytest.fixture
def anonymous(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.api, timeout=30) as client:
        yield client


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(f"sqlite:///{tmp_path / 'cli.sqlite3'}", capsys)
