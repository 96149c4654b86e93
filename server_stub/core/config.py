"""Settings from the environment (or the command line, which sets these first).

No pydantic-settings: a frozen dataclass read once keeps the dependency list short.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

MiB = 1024 * 1024


def default_data_dir() -> Path:
    configured = os.environ.get("SCANNER_SERVER_DATA_DIR")
    if configured:
        return Path(configured)
    return Path(platformdirs.user_data_dir("door-scanner-server", appauthor=False))


def default_database_url(data_dir: Path | None = None) -> str:
    for name in ("SCANNER_SERVER_DATABASE_URL", "DATABASE_URL"):
        url = os.environ.get(name)
        if url:
            return url
    folder = data_dir or default_data_dir()
    return f"sqlite:///{folder / 'server.sqlite3'}"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Settings:
    database_url: str
    max_body_bytes: int = 2 * MiB  # larger request bodies get 413 before parsing
    max_batch: int = 500  # check-in entries per upload
    changes_page: int = 5000  # change records per /changes answer ("more" says there is more)
    changes_max_wait_s: float = 30.0  # the longest a /changes?wait= request is held open
    enroll_ttl_s: int = 24 * 3600  # default lifetime of an enrolment code
    enroll_per_minute: int = 10  # enrolment attempts per client address (then 429)
    organizer_per_minute: int = 300  # organizer requests per client address
    prune_interval_s: float = 3600  # how often the change log prunes itself (0: never)
    prune_stale_after_s: float = 7 * 24 * 3600  # doors silent longer re-snapshot when back
    # The server's clock: what it tells devices and the receive time of their entries (a test
    # sets another, to play a day ahead or behind).
    clock: Callable[[], datetime] = utc_now
    sign_in_per_minute: int = 10  # failed organizer-page sign-ins per client address
    # Behind a proxy that ends TLS: trust its X-Forwarded-Proto (the page's cookie is Secure).
    trust_forwarded_proto: bool = False

    @classmethod
    def from_env(cls) -> Settings:
        trust = os.environ.get("SCANNER_SERVER_TRUST_FORWARDED_PROTO", "") in ("1", "true", "yes")
        return cls(database_url=default_database_url(), trust_forwarded_proto=trust)
