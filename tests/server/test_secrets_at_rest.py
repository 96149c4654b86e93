"""The server's signing keys are sealed at rest with a key file kept apart from the database, on
SQLite and PostgreSQL; a key file that cannot open them stops the server in one line (issue 21,
item 2). Everything runs through `scanner-server`, as an administrator would."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, delete, insert, select, text, update

from scanner.checkin.codes import IssuedProof, verify_code
from scanner.checkin.issuing import SigningKey, mint_tk1
from scanner.checkin.keyring import b64u_decode, b64u_encode
from scanner.checkin.sealing import unseal
from scanner.checkin.snapshot_file import SnapshotHeader, key_fingerprint
from server_stub.cli import main
from server_stub.db import normalise_url
from server_stub.models import Event, PlatformSetting
from server_stub.services.platform import public_key
from server_stub.testing import free_port
from tests.server.test_cli import read_file

SEED_SECRET = "the platform's SEEDJSON secret"
OLD_SEED = "the SEEDJSON secret an older server kept in clear"


def run(capsys: pytest.CaptureFixture[str], db: str, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    status = main([*args, "--db", db])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def ok(capsys: pytest.CaptureFixture[str], db: str, *args: str) -> str:
    status, out, err = run(capsys, db, *args)
    assert status == 0, err
    return out


@pytest.fixture
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's own server key file (made by the server on first use)."""
    path = tmp_path / "config" / "server.key"
    monkeypatch.setenv("SCANNER_SERVER_KEY_FILE", str(path))
    monkeypatch.setenv("QR_SECRET", SEED_SECRET)
    return path


def make_event(capsys: pytest.CaptureFixture[str], db: str) -> dict[str, str]:
    """An event with an Ed25519 and an HS256 key and a shared SEEDJSON secret, with codes of
    each kind issued: ticket id -> code."""
    ok(capsys, db, "create-event", "Fest", "--id", "fest", "--keys", "ed25519,hs256",
       "--seed-secret-env", "QR_SECRET", "--share-seed-secret")  # fmt: skip
    tickets = ok(capsys, db, "add-tickets", "fest", "--type", "general", "--count", "3").split()
    codes = {}
    for ticket, extra in zip(tickets, (["--kid", "E1"], ["--kid", "H1"], ["--format", "seedjson"]),
                             strict=True):  # fmt: skip
        codes[ticket] = ok(capsys, db, "issue", "fest", ticket, *extra).strip().split("\t")[-1]
    return codes


def door_reads(
    capsys: pytest.CaptureFixture[str], db: str, out: Path, codes: dict[str, str]
) -> SnapshotHeader:
    """The event's snapshot as a door reads it: signed by the platform key `platform-key`
    shows, and every issued code verifies with its keyring."""
    ok(capsys, db, "export-snapshot", "fest", "-o", str(out), "--include-secrets")
    fingerprint = ok(capsys, db, "platform-key").splitlines()[0].removeprefix("fingerprint: ")
    header, records = read_file(out)
    assert header.signer_fingerprint == fingerprint
    seed_sigs = {r["id"]: r.get("seed_sig") for r in records if r["k"] == "ticket"}
    for ticket, code in codes.items():
        check = verify_code(code, header.keyring, lambda t: IssuedProof(seed_sigs[t]))
        assert check.ok, (ticket, check)
        assert check.code is not None and check.code.ticket_id == ticket
    return header


def stored_secrets(db: str, key: bytes) -> dict[str, bytes | str]:
    """Every private key and secret the database holds, opened with the server key."""
    engine = create_engine(normalise_url(db))
    try:
        with engine.connect() as conn:
            platform = conn.execute(text("SELECT value FROM platform_settings")).scalar_one()
            keys, seed = conn.execute(
                select(Event.signing_keys, Event.seed_json_secret).where(Event.id == "fest")
            ).one()
    finally:
        engine.dispose()
    found: dict[str, bytes | str] = {"platform": b64u_decode(unseal(key, platform))}
    for entry in keys:
        assert set(entry) == {"kid", "alg", "private_sealed"}
        found[entry["kid"]] = b64u_decode(unseal(key, entry["private_sealed"]))
    found["seed"] = unseal(key, seed)
    return found


def spellings(secret: bytes | str) -> list[bytes]:
    """The ways a secret could sit in a file: raw, hex, base64 and base64url."""
    if isinstance(secret, str):
        return [secret.encode()]
    b64, b64u = base64.b64encode(secret), base64.urlsafe_b64encode(secret)
    return [secret, secret.hex().encode(), secret.hex().upper().encode(), b64, b64u.rstrip(b"=")]


def database_bytes(db: str) -> bytes:
    """What another account could read: the SQLite file and its companions, or (PostgreSQL)
    every row of the tables that hold keys, as text."""
    if db.startswith("sqlite"):
        path = Path(db.removeprefix("sqlite:///"))
        files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
        return b"".join(f.read_bytes() for f in files if f.exists())
    engine = create_engine(normalise_url(db))
    try:
        with engine.connect() as conn:
            query = "SELECT t::text FROM events t UNION ALL SELECT s::text FROM platform_settings s"
            rows = conn.execute(text(query)).scalars()
            return "\n".join(rows).encode()
    finally:
        engine.dispose()


def in_clear(db: str, secrets: dict[str, bytes | str]) -> list[str]:
    raw = database_bytes(db)
    return [name for name, secret in secrets.items() if any(s in raw for s in spellings(secret))]


def test_the_database_holds_no_signing_key_in_clear_and_doors_still_verify(
    any_db_url: str, key_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    codes = make_event(capsys, any_db_url)
    header = door_reads(capsys, any_db_url, tmp_path / "snapshot.jsonl", codes)
    secrets = stored_secrets(any_db_url, key_file.read_bytes())
    assert set(secrets) == {"platform", "E1", "H1", "seed"}
    assert public_key(secrets["platform"]) == header.signer_public  # type: ignore[arg-type]
    assert secrets["seed"] == SEED_SECRET
    assert in_clear(any_db_url, secrets) == []


def _as_an_older_server_left_it(db: str) -> tuple[bytes, SigningKey]:
    """Put a platform key, an event key and the SEEDJSON secret back in clear, as the server
    before sealing stored them; return the platform seed and the event key."""
    platform, ed25519 = os.urandom(32), SigningKey.generate("E1", "Ed25519")
    hs256 = SigningKey.generate("H1", "HS256")
    engine = create_engine(normalise_url(db))
    try:
        with engine.begin() as conn:
            conn.execute(delete(PlatformSetting))
            values = {"name": "snapshot_signing_key", "value": b64u_encode(platform)}
            conn.execute(insert(PlatformSetting).values(values))
            conn.execute(
                update(Event)
                .where(Event.id == "fest")
                .values(
                    signing_keys=[ed25519.to_json(), hs256.to_json()], seed_json_secret=OLD_SEED
                )
            )
    finally:
        engine.dispose()
    return platform, ed25519


def test_an_older_database_with_keys_in_clear_is_sealed_when_first_opened(
    any_db_url: str, key_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_event(capsys, any_db_url)
    platform, ed25519 = _as_an_older_server_left_it(any_db_url)
    old = {"platform": platform, "E1": ed25519.secret, "seed": OLD_SEED}
    assert sorted(in_clear(any_db_url, old)) == ["E1", "platform", "seed"]  # the grep finds them
    ticket = ok(capsys, any_db_url, "add-tickets", "fest", "--type", "general").strip()
    assert in_clear(any_db_url, old) == []  # that first command sealed them
    secrets = stored_secrets(any_db_url, key_file.read_bytes())
    assert secrets["platform"] == platform and secrets["E1"] == ed25519.secret
    assert secrets["seed"] == OLD_SEED
    # Codes issued before the upgrade still verify; the snapshot is signed by the same key.
    before = mint_tk1(ed25519, {"e": "fest", "t": ticket, "k": "general"})
    header = door_reads(capsys, any_db_url, tmp_path / "snapshot.jsonl", {ticket: before})
    assert header.signer_fingerprint == key_fingerprint(public_key(platform))


def _serve(db: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "server_stub", "serve", "--db", db, "--port", str(free_port())]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_a_wrong_or_missing_key_file_stops_the_server_in_words(
    any_db_url: str, key_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    make_event(capsys, any_db_url)
    other, missing, short = tmp_path / "other.key", tmp_path / "gone" / "server.key", tmp_path / "x"
    other.write_bytes(os.urandom(32))
    short.write_text("not a key\n")
    for path, words in [
        (other, "is not the one that sealed this database's secrets"),
        (missing, "is missing"),
        (short, "is not a server key (expected 32 bytes, found 10)"),
    ]:
        monkeypatch.setenv("SCANNER_SERVER_KEY_FILE", str(path))
        status, out, err = run(capsys, any_db_url, "events")
        assert (status, out) == (2, ""), err
        assert err.count("\n") == 1 and str(path) in err and words in err, err
        assert "SCANNER_SERVER_KEY_FILE" in err and "Traceback" not in err
        served = _serve(any_db_url)  # refuses to start: no request is ever answered with a 500
        assert served.returncode == 2 and str(path) in served.stderr, served.stderr
        assert "Traceback" not in served.stderr and "Uvicorn running" not in served.stderr
    assert not missing.exists() and not missing.parent.exists()  # no new key made in its place
    monkeypatch.setenv("SCANNER_SERVER_KEY_FILE", str(key_file))
    assert ok(capsys, any_db_url, "events").startswith("fest\t")  # nothing was changed
