"""Where the local data lives: --data-dir, else $SCANNER_DATA_DIR, else the platform's data dir."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_VAR = "SCANNER_DATA_DIR"
DB_FILENAME = "scanner.sqlite3"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return Path(from_env).expanduser()
    return Path(platformdirs.user_data_dir("door-scanner", appauthor=False))


def database_path(directory: Path) -> Path:
    return directory / DB_FILENAME
