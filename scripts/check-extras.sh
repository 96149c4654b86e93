#!/usr/bin/env bash
# Every extra runs what it ships: the door app (`pip install .`) and the companion API
# (`pip install .[server]`), each alone in a throwaway venv from its lock file, run as a user
# would: `scanner --help` and `scanner doctor --json`; `scanner-server serve` answering
# /api/v1/health. A package the code imports but the extra does not declare fails here
# (tests/packaging/test_extras.py finds the same statically, in seconds).
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
work=$(mktemp -d /tmp/door-scanner-extras.XXXXXX)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "extras check FAILED: $*" >&2; exit 1; }

# The project as a wheel, built once with the development venv's setuptools (no index).
.venv/bin/python -m pip wheel --quiet --no-deps --no-build-isolation -w "$work/wheel" .
wheel=$(ls "$work"/wheel/*.whl)

venv() { # name, lock, extra ("" or [server]): a venv holding the locked set and the project
    "$python" -m venv "$work/$1"
    "$work/$1/bin/python" -m pip install --quiet --require-hashes -r "requirements/$2"
    "$work/$1/bin/python" -m pip install --quiet --no-deps "$wheel$3"
}

echo "== extras: the door app alone (requirements/door.txt)"
venv door door.txt ""
export QT_QPA_PLATFORM=offscreen HOME="$work/home"
"$work/door/bin/scanner" --help > "$work/help.txt" || fail "scanner --help"
rc=0
"$work/door/bin/scanner" --data-dir "$work/data" doctor --json > "$work/doctor.json" \
    2> "$work/doctor.err" || rc=$?
"$work/door/bin/python" -c "import json, sys; json.load(open(sys.argv[1]))" "$work/doctor.json" \
    || fail "doctor --json printed no JSON (exit $rc): $(tail -3 "$work/doctor.err")"
! grep -q Traceback "$work/doctor.err" || fail "doctor --json: $(tail -3 "$work/doctor.err")"
echo "scanner --help and doctor --json run (doctor's exit: $rc)"

echo "== extras: the companion API (requirements/server.txt)"
venv server server.txt "[server]"
port=$("$work/server/bin/python" -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
"$work/server/bin/scanner-server" --help > /dev/null || fail "scanner-server --help"
"$work/server/bin/scanner-server" --db "sqlite:///$work/server.sqlite3" serve --port "$port" \
    > "$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 300); do
    if "$work/server/bin/python" -c "import sys, urllib.request; sys.exit(urllib.request.urlopen(sys.argv[1], timeout=2).status != 200)" \
        "http://127.0.0.1:$port/api/v1/health" 2>/dev/null; then
        echo "scanner-server serve answers /api/v1/health"
        exit 0
    fi
    kill -0 "$server_pid" 2>/dev/null || fail "scanner-server serve ended: $(tail -5 "$work/serve.log")"
    sleep 0.2
done
fail "scanner-server serve did not answer /api/v1/health within 60 s: $(tail -5 "$work/serve.log")"
