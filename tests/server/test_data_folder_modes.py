"""The companion API's data folder is 0700 and its SQLite files 0600, made so and tightened when
found looser, by `scanner-server serve` and every command that opens the default database; the
server key file likewise (issue 21, items 2 and 4)."""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from server_stub.cli import main
from server_stub.testing import free_port


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The default database's folder (not yet made), under the usual umask 022."""
    folder = tmp_path / "share" / "door-scanner-server"
    monkeypatch.setenv("SCANNER_SERVER_DATA_DIR", str(folder))
    monkeypatch.setenv("SCANNER_SERVER_KEY_FILE", str(tmp_path / "config" / "server.key"))
    for name in ("SCANNER_SERVER_DATABASE_URL", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    previous = os.umask(0o022)
    try:
        yield folder
    finally:
        os.umask(previous)


@contextmanager
def serving() -> Iterator[httpx.Client]:
    """`scanner-server serve` on the default database, answering /health."""
    port = free_port()
    command = [sys.executable, "-m", "server_stub", "serve", "--port", str(port)]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}/api/v1", timeout=5) as client:
            for _ in range(600):  # until it answers, or it exits
                try:
                    if client.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        child.wait(timeout=0.1)
                assert child.returncode is None, child.communicate()[1]
            else:
                raise AssertionError("the server did not answer within a minute")
            yield client
    finally:
        child.terminate()
        child.communicate(timeout=30)


def database_files(folder: Path) -> dict[str, int]:
    return {p.name: mode(p) for p in sorted(folder.iterdir())}


def test_a_fresh_server_keeps_its_data_folder_and_database_private(data_dir: Path) -> None:
    with serving() as client:
        assert client.get("/health").json()["status"] == "ok"
        files = database_files(data_dir)  # while serving: with its -wal and -shm files
    assert mode(data_dir) == 0o700
    assert files == {
        "server.sqlite3": 0o600,
        "server.sqlite3-shm": 0o600,
        "server.sqlite3-wal": 0o600,
    }
    key = Path(os.environ["SCANNER_SERVER_KEY_FILE"])
    assert (mode(key.parent), mode(key)) == (0o700, 0o600)


def test_a_loose_data_folder_and_database_are_tightened(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["create-event", "Fest", "--id", "fest"]) == 0
    database = data_dir / "server.sqlite3"
    companions = [database.with_name(database.name + end) for end in ("-wal", "-shm")]
    key = Path(os.environ["SCANNER_SERVER_KEY_FILE"])

    def loosen() -> None:
        """As a server before this version left them, after a crash (with -wal and -shm)."""
        for path in companions:
            path.touch()
        os.chmod(data_dir, 0o755)  # noqa: S103
        for path in (database, *companions, key):
            os.chmod(path, 0o644)

    def private() -> bool:
        files = [mode(p) for p in (database, *companions, key) if p.exists()]
        return (mode(data_dir), set(files)) == (0o700, {0o600})

    loosen()
    capsys.readouterr()
    assert main(["events"]) == 0
    assert capsys.readouterr().out.startswith("fest\t")
    assert private()
    loosen()
    with serving() as client:
        assert client.get("/health").status_code == 200
        assert private()
