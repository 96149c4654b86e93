"""Settings from the environment (or the command line, which sets these first).

No pydantic-settings: a frozen dataclass read once keeps the dependency list short.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
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

    @classmethod
    def from_env(cls) -> Settings:
        return cls(database_url=default_database_url())
