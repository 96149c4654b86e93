"""`scanner-server`, run in-process: each command against a temporary SQLite database."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from scanner.checkin.codes import IssuedProof, verify_code
from scanner.checkin.snapshot_file import (
    SnapshotHeader,
    code_fingerprint,
    key_fingerprint,
    open_snapshot_file,
    read_snapshot,
)
from server_stub.cli import main
from tests.server.helpers import Cli

CSV = "Ticket ID;Type;First name;Last name;Email;Days\nabc123;ga;Ann;Lee;ann@example.com;\n"
CSV += "xyz789;vip;Bob;;;1,2\n"


def read_file(path: Path) -> tuple[SnapshotHeader, list[dict[str, Any]]]:
    items = list(read_snapshot(open_snapshot_file(path), lambda header: None))
    header = items[0]
    assert isinstance(header, SnapshotHeader)
    return header, [obj for _, obj in items[1:]]  # type: ignore[misc]


def make_event(cli: Cli, *extra: str) -> str:
    created = cli(
        "create-event", "Summer Fest", "--id", "fest", "--timezone", "Europe/Berlin",
        "--day", "2025-06-01", "--day", "2025-06-02", "--type", "ga=General", "--type", "vip",
        "--list", "main=ga,vip", *extra,
    )  # fmt: skip
    assert created["organizer_token"].startswith("o")
    return str(created["event_id"])


def test_event_tickets_codes_and_snapshot(cli: Cli, tmp_path: Path) -> None:
    event = make_event(cli, "--keys", "ed25519,hs256")
    (tmp_path / "a.csv").write_text(CSV, encoding="utf-8")
    assert cli("import-attendees", event, str(tmp_path / "a.csv"))["added"] == 2
    issued = cli("issue", event, "--all", "--out", str(tmp_path / "qr"))
    assert {c["ticket_id"] for c in issued} == {"abc123", "xyz789"}
    assert (tmp_path / "qr" / "abc123-tk1.png").read_bytes().startswith(b"\x89PNG")
    old_code = next(c["code"] for c in issued if c["ticket_id"] == "abc123")
    (new,) = cli("transfer", event, "abc123", "--name", "Carol")
    assert new["code"] != old_code
    cli("cancel", event, "xyz789")
    out = tmp_path / "snap.jsonl.gz"
    assert (
        main(["export-snapshot", event, "-o", str(out), "--db", cli.db, "--include-secrets"]) == 0
    )
    header, records = read_file(out)
    key = cli("platform-key")
    assert header.signer_fingerprint == key["fingerprint"]
    assert set(header.keyring.keys) == {"E1", "H1"}
    by_id = {r["id"]: r for r in records if r["k"] == "ticket"}
    assert by_id["abc123"]["name"] == "Carol" and by_id["xyz789"]["status"] == "canceled"
    assert by_id["xyz789"]["days"] == [1, 2] and by_id["abc123"]["name"] != "Ann Lee"
    old = verify_code(old_code, header.keyring)
    assert old.ok and old.code is not None
    revoked = [r["code_fp"] for r in records if r["k"] == "revocation"]
    assert revoked == [code_fingerprint(old.code.signature)]
    assert verify_code(new["code"], header.keyring).ok


def test_seedjson_codes_from_the_platform_secret(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QR_SECRET", "the platform's secret")
    event = make_event(cli, "--keys", "none", "--seed-secret-env", "QR_SECRET")
    (tmp_path / "a.csv").write_text(CSV, encoding="utf-8")
    cli("import-attendees", event, str(tmp_path / "a.csv"))
    (code,) = cli("issue", event, "abc123", "--format", "seedjson", "--out", str(tmp_path))
    out = tmp_path / "snap.jsonl"
    main(["export-snapshot", event, "-o", str(out), "--db", cli.db])
    header, records = read_file(out)
    assert header.keyring.seed_json_secret is None  # not shared unless --share-seed-secret
    seed_sig = {r["id"]: r["seed_sig"] for r in records if r["k"] == "ticket"}["abc123"]
    check = verify_code(code["code"], header.keyring, lambda ticket: IssuedProof(seed_sig))
    assert check.ok and check.code is not None and check.code.ticket_id == "abc123"


def test_devices_and_journal_import(cli: Cli, tmp_path: Path) -> None:
    event = make_event(cli)
    ids = cli("add-tickets", event, "--type", "ga", "--count", "2")
    assert len(ids[0]) == 10
    code = cli("enroll-code", event, "--door", "north", "--list", "main")["code"]
    assert len(code) == 14
    assert cli("devices", event) == []
    journal = tmp_path / "journal.jsonl"
    entries = [
        {"k": "entry", "id": str(uuid.uuid4()), "device_seq": n, "ticket_id": ids[0],
         "format": "TK1", "direction": "entry", "outcome": "admitted", "reason": "ok",
         "door": "north", "scanned_at": f"2025-06-01T19:0{n}:00+02:00"}
        for n in (1, 2)
    ]  # fmt: skip
    header = {"k": "journal", "device_id": "offline-1", "event_id": event}
    journal.write_text("\n".join(json.dumps(x) for x in [header, *entries]) + "\n")
    first = cli("import-journal", event, str(journal))
    assert (first["accepted"], first["conflict"], first["bad_lines"]) == (1, 1, 0)
    assert first["unknown_devices"] == ["offline-1"]  # never enrolled here: flagged
    assert cli("import-journal", event, str(journal))["duplicate"] == 2


def test_bad_input_is_one_line_error(cli: Cli) -> None:
    assert "time zone" in cli.fails("create-event", "X", "--timezone", "Mars/Base")
    event = make_event(cli)
    assert "exists already" in cli.fails("create-event", "X", "--id", event)
    assert "no such ticket" in cli.fails("cancel", event, "missing")
    assert "no event" in cli.fails("enroll-code", "nope", "--door", "x")


def test_platform_key_is_stable(cli: Cli) -> None:
    first, second = cli("platform-key"), cli("platform-key")
    assert first == second
    from scanner.checkin.keyring import b64u_decode

    assert key_fingerprint(b64u_decode(first["public_b64u"])) == first["fingerprint"]


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    for command in ("serve", "create-event", "import-attendees", "issue", "cancel", "transfer",
                    "block", "enroll-code", "export-snapshot", "import-journal", "devices",
                    "organizer-token", "platform-key"):  # fmt: skip
        assert command in text


def test_reimporting_the_same_file_changes_nothing(cli: Cli, tmp_path: Path) -> None:
    event = make_event(cli)
    (tmp_path / "a.csv").write_text(CSV, encoding="utf-8")
    cli("import-attendees", event, str(tmp_path / "a.csv"))
    again = cli("import-attendees", event, str(tmp_path / "a.csv"))
    assert (again["added"], again["updated"], again["unchanged"]) == (0, 0, 2)


def test_organizer_tokens_can_be_revoked(cli: Cli) -> None:
    event = make_event(cli)
    token = cli("organizer-token", event, "--label", "box office")["organizer_token"]
    token_id = token.split(".")[0]
    assert cli("organizer-token", event, "--revoke", token_id) == {"revoked": token_id}
    assert "no organizer token" in cli.fails("organizer-token", event, "--revoke", "onope")


def test_qr_codes_are_level_m_and_tk1_alphanumeric(cli: Cli) -> None:
    from server_stub.services.issuing import Issued, qr_symbol

    event = make_event(cli, "--keys", "ed25519,hs256")
    (ticket,) = cli("add-tickets", event, "--type", "ga")
    for kid, most in (("E1", 9), ("H1", 7)):  # Ed25519 signatures are twice as long
        (code,) = cli("issue", event, ticket, "--kid", kid)
        symbol = qr_symbol(Issued(ticket, "TK1", code["code"], ""))
        assert (symbol.error, symbol.mode) == ("M", "alphanumeric")
        assert isinstance(symbol.version, int) and symbol.version <= most
