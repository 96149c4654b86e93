"""For the server benchmarks: both databases from one command."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]


def rerun_under_postgres(script: str, durable: bool = False) -> bool:
    """Run `script` again inside a throwaway PostgreSQL cluster (scripts/with-postgres.sh) unless
    this already is that run. True when that run succeeded and this one has nothing left to do;
    False when this run should go on (inside the cluster, or on SQLite alone without one)."""
    if os.environ.get("DATABASE_URL_TEST") or os.environ.get("BENCH_NO_POSTGRES"):
        return False
    env = {**os.environ}
    if durable:
        env["PG_DURABLE"] = os.environ.get("PG_DURABLE", "1")
    wrapper = str(ROOT / "scripts" / "with-postgres.sh")
    if subprocess.run([wrapper, sys.executable, script], env=env).returncode == 0:
        return True
    os.environ["BENCH_NO_POSTGRES"] = "1"
    return False


def fresh_postgres(admin_url: str) -> str:
    """A new, empty database on the cluster, so each run starts clean."""
    name = f"bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rpartition("/")[0] + "/" + name
