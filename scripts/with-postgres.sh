#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster:
#   scripts/with-postgres.sh .venv/bin/python -m pytest tests/server
# Starts a private cluster on 127.0.0.1 (a free port, its own socket folder, trust auth, user
# postgres), exports DATABASE_URL_TEST=postgresql+psycopg://postgres@127.0.0.1:PORT/postgres, runs
# the command, then stops and removes the cluster, whatever the command did. Installs Debian's
# `postgresql` package first when it is missing and we are root (or have password-less sudo).
# PG_DURABLE=1 keeps fsync on (benchmarks); by default durability is off, for fast tests.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
PGBIN="${PGBIN:-$(find_bin)}"
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
    if [ "$(id -u)" -eq 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo -n"; else
        echo "error: PostgreSQL is not installed (sudo apt-get install postgresql)" >&2; exit 1
    fi
    echo "installing the postgresql package" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    PGBIN="$(find_bin)"
fi

WORK="$(mktemp -d /tmp/pgtest.XXXXXX)"
if [ "$(id -u)" -eq 0 ]; then
    # initdb refuses to run as root: the cluster belongs to the postgres user.
    chown postgres: "$WORK"
    as_pg() { runuser -u postgres -- "$@"; }
else
    as_pg() { "$@"; }
fi

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
OPTS="-c listen_addresses=127.0.0.1 -p $PORT -k $WORK -c max_connections=300"
if [ "${PG_DURABLE:-0}" != "1" ]; then
    OPTS="$OPTS -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
fi

cleanup() {
    as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

as_pg "$PGBIN/initdb" -D "$WORK/data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C >/dev/null
if ! as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -o "$OPTS" -l "$WORK/server.log" -w start >/dev/null; then
    cat "$WORK/server.log" >&2
    exit 1
fi
export DATABASE_URL_TEST="postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
set +e
"$@"
status=$?
exit $status
