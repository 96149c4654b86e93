"""For the server benchmarks: both databases from one command."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]


STARTED = "BENCH_POSTGRES_STARTED"  # a file the run inside the cluster creates first


def rerun_under_postgres(script: str, durable: bool = False) -> bool:
    """Run `script` again inside a throwaway PostgreSQL cluster (scripts/with-postgres.sh) unless
    this already is that run. True when that run succeeded and this one has nothing left to do;
    False when this run should go on (inside the cluster, or on SQLite alone when no cluster
    could be started). A run that fails inside a started cluster ends this one with its status:
    running SQLite alone again would pass a broken benchmark off as a machine without
    PostgreSQL."""
    if os.environ.get("DATABASE_URL_TEST"):
        if marker := os.environ.get(STARTED):
            Path(marker).touch()
        return False
    if os.environ.get("BENCH_NO_POSTGRES"):
        return False
    with tempfile.TemporaryDirectory() as folder:
        marker = Path(folder) / "started"
        env = {**os.environ, STARTED: str(marker)}
        if durable:
            env["PG_DURABLE"] = os.environ.get("PG_DURABLE", "1")
        wrapper = str(ROOT / "scripts" / "with-postgres.sh")
        status = subprocess.run([wrapper, sys.executable, script], env=env).returncode
        started = marker.exists()
    if status == 0:
        return True
    if started:
        raise SystemExit(status)
    print(
        f"{Path(script).stem}: PostgreSQL skipped (no cluster could be started), SQLite only",
        file=sys.stderr,
        flush=True,
    )
    os.environ["BENCH_NO_POSTGRES"] = "1"
    return False


def fresh_postgres(admin_url: str) -> str:
    """A new, empty database on the cluster, so each run starts clean."""
    name = f"bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rpartition("/")[0] + "/" + name
