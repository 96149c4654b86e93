#!/usr/bin/env bash
# Writes the lock files in requirements/ from pyproject.toml's ranges: exact versions with the
# hashes of every wheel and sdist the index serves for them, for every platform and Python >= 3.11
# (docs/installs.md). `make lock` keeps the versions already locked and only adds or drops what
# pyproject.toml changed; `make upgrade` (this script with --upgrade) takes the newest in range.
# dev.txt is resolved first, within requirements/holds.txt; the other sets are held to its
# versions, so every venv agrees.
set -euo pipefail
cd "$(dirname "$0")/.."
uv=${UV:-.venv/bin/uv}
common=(--universal --python-version 3.11 --generate-hashes --quiet)
compile() { # output, then what to resolve
    local out=$1; shift
    "$uv" pip compile "${common[@]}" "$@" -o "requirements/$out" \
        --custom-compile-command "make lock"
}
compile dev.txt pyproject.toml --all-extras requirements/tools.in -c requirements/holds.txt "$@"
held=(-c requirements/dev.txt)
compile door.txt pyproject.toml "${held[@]}"
compile server.txt pyproject.toml --extra server "${held[@]}"
compile package.txt pyproject.toml --extra demo --extra package requirements/build.in "${held[@]}"
echo "requirements/: $(grep -chE '^[A-Za-z]' requirements/dev.txt) packages locked in dev.txt"
