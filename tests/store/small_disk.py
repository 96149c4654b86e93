"""A real, small, full-able disk for tests: a tmpfs mounted in a private mount namespace.

`unshare --user --map-root-user --mount` needs no root on hosts that allow user namespaces (and
works as root); the tmpfs exists only for the script run inside and vanishes with it, so the
script prints what the test checks. Where no namespace can be made, the tests are skipped (the
sqlite-level fault tests in test_data_file_failures.py still cover the error path).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

MOUNT_THEN_RUN = 'mount -t tmpfs -o size="$1" tmpfs "$2" && shift 2 && exec "$@"'


def _unshare(size: str, mountpoint: Path, argv: list[str]) -> list[str]:
    return [
        "unshare",
        "--user",
        "--map-root-user",
        "--mount",
        "sh",
        "-c",
        MOUNT_THEN_RUN,
        "sh",
        size,
        str(mountpoint),
        *argv,
    ]


@cache
def available() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = Path("/tmp")
    done = subprocess.run(_unshare("1m", probe, ["true"]), capture_output=True, check=False)
    return done.returncode == 0


def run_on_small_disk(mountpoint: Path, size_kb: int, script: str, *args: str) -> Any:
    """Run `script` (Python) with a tmpfs of `size_kb` at `mountpoint`; returns its JSON output."""
    if not available():
        pytest.skip("no mount namespace here (unshare) to make a small disk")
    mountpoint.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-c", script, str(mountpoint), *args]
    done = subprocess.run(
        _unshare(f"{size_kb}k", mountpoint, argv), capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# Shared by the scripts: run `scanner` as a process, fill the disk, read the journal.
PRELUDE = """
import json, os, shutil, sqlite3, subprocess, sys
from pathlib import Path
disk = Path(sys.argv[1])

def scanner(data, *args):
    done = subprocess.run([sys.executable, "-m", "scanner", "--data-dir", str(data), *args],
                          capture_output=True, text=True)
    return {"code": done.returncode, "out": done.stdout, "err": done.stderr}

def fill(path):
    with open(path, "wb") as out:
        try:
            while True:
                out.write(b"x" * 65536)
                out.flush()
        except OSError:
            pass
    try:
        with open(path, "ab") as out:
            while True:
                out.write(b"x")
                out.flush()
    except OSError:
        pass

def journal(data):
    from scanner.store.cipher import connect_file
    conn = connect_file(data / "scanner.sqlite3")
    try:
        return conn.execute("SELECT COUNT(*) FROM journal").fetchone()[0]
    finally:
        conn.close()
"""
