"""Running `scanner` in-process (fast) or as a real process (for exit codes and kill -9)."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from scanner.cli.main import main


@dataclass
class Ran:
    code: int
    out: str
    err: str

    def json_lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.out.splitlines() if line.strip()]


def scanner(capsys: pytest.CaptureFixture[str], data_dir: Path | None, *args: str) -> Ran:
    argv = (["--data-dir", str(data_dir)] if data_dir else []) + list(args)
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own usage errors
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return Ran(code, captured.out, captured.err)


def scanner_process(data_dir: Path | None, *args: str) -> Ran:
    argv = (["--data-dir", str(data_dir)] if data_dir else []) + list(args)
    done = subprocess.run(
        [sys.executable, "-m", "scanner", *argv], capture_output=True, text=True, check=False
    )
    return Ran(done.returncode, done.stdout, done.stderr)


def event_today(data_dir: Path) -> Path:
    """The command line reads the real clock, and a door refuses ordinary tickets outside the
    event's days: move the copied demo event's (one) day to today in its time zone."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from scanner.store.cipher import connect_file

    conn = connect_file(data_dir / "scanner.sqlite3")  # encrypted at rest
    try:
        with conn:
            (zone,) = conn.execute("SELECT timezone FROM events").fetchone()
            today = datetime.now(UTC).astimezone(ZoneInfo(zone)).date().isoformat()
            conn.execute("UPDATE event_days SET date = ?", (today,))
    finally:
        conn.close()
    return data_dir
