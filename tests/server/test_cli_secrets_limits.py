"""Secrets stay secret in exported and served snapshots; the CLI refuses absurd input in one
line and ends quietly in a closed pipe (issue 13 items 7 and 8, issue 8 item 8)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from scanner.checkin.snapshot_file import SnapshotHeader, open_snapshot_file, read_snapshot
from server_stub.cli import main
from server_stub.testing import LiveServer, SeededEvent
from tests.server.helpers import Cli, Door
from tests.server.test_cli import make_event


def _header(path: Path) -> SnapshotHeader:
    header = next(iter(read_snapshot(open_snapshot_file(path), lambda h: None)))
    assert isinstance(header, SnapshotHeader)
    return header


def test_export_snapshot_leaves_minting_secrets_out_unless_asked(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("QR_SECRET", "the platform's secret")
    event = make_event(
        cli, "--keys", "ed25519,hs256", "--seed-secret-env", "QR_SECRET", "--share-seed-secret"
    )
    plain, full = tmp_path / "plain.jsonl.gz", tmp_path / "full.jsonl"
    capsys.readouterr()
    assert main(["export-snapshot", event, "-o", str(plain), "--db", cli.db, "--json"]) == 0
    said = json.loads(capsys.readouterr().out)
    assert said == {"event_id": event, "path": str(plain), "secrets": False}
    header = _header(plain)
    assert set(header.keyring.keys) == {"E1"} and header.keyring.seed_json_secret is None
    assert stat.S_IMODE(os.stat(plain).st_mode) == 0o600
    full.write_text("old")
    os.chmod(full, 0o644)
    assert (
        main(["export-snapshot", event, "-o", str(full), "--db", cli.db, "--include-secrets"]) == 0
    )
    header = _header(full)
    assert set(header.keyring.keys) == {"E1", "H1"}
    assert header.keyring.seed_json_secret == "the platform's secret"
    assert stat.S_IMODE(os.stat(full).st_mode) == 0o600
    with pytest.raises(SystemExit):
        main(["export-snapshot", "--help"])
    assert "--include-secrets" in capsys.readouterr().out


def test_snapshot_endpoint_sends_secrets_only_to_a_device_that_asks(
    server: LiveServer, event: SeededEvent, device: Door, organizer: httpx.Client, tmp_path: Path
) -> None:
    from server_stub.models import Event
    from server_stub.services.events import EventSpec, create_event  # noqa: F401

    url = f"/events/{event.event_id}/snapshot"
    with server.db.writing() as session:  # give the event an HS256 key as well
        row = session.get(Event, event.event_id)
        assert row is not None
        from scanner.checkin.issuing import SigningKey

        row.signing_keys = [*row.signing_keys, SigningKey.generate("H1", "HS256").to_json()]

    def keys(client: httpx.Client, **params: str) -> set[str]:
        answer = client.get(url, params=params)
        assert answer.status_code == 200, answer.text
        path = tmp_path / "s.jsonl"
        path.write_bytes(answer.content)
        return set(_header(path).keyring.keys)

    assert "H1" not in keys(device.client) and "H1" not in keys(organizer)
    assert "H1" in keys(device.client, secrets="include")
    assert organizer.get(url, params={"secrets": "include"}).status_code == 403


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--ttl", "0"], "--ttl"),
        (["--ttl", "-5"], "--ttl"),
        (["--ttl", str(10**20)], "--ttl"),
        (["--door", ""], "door name is missing or blank"),
        (["--door", " north"], "leading or trailing spaces"),
        (["--door", "n" * 65], "longer than 64"),
    ],
)
def test_enroll_code_refuses_absurd_input_in_one_line(
    cli: Cli, args: list[str], words: str
) -> None:
    event = make_event(cli)
    door = [] if "--door" in args else ["--door", "north"]
    err = cli.fails("enroll-code", event, *door, *args)
    assert words in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_issue_into_a_closed_pipe_ends_quietly(cli: Cli, tmp_path: Path) -> None:
    event = make_event(cli)
    cli("add-tickets", event, "--type", "ga", "--count", "1500")  # far more than a pipe holds
    command = [sys.executable, "-m", "server_stub", "issue", event, "--all", "--db", cli.db]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as child:
        assert child.stdout is not None and child.stderr is not None
        child.stdout.readline()
        child.stdout.close()  # what `| head -1` does
        err = child.stderr.read().decode()
        assert child.wait(timeout=120) == 0
    assert "Traceback" not in err and "BrokenPipe" not in err
