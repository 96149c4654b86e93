"""The door from the command line: verdicts, exit codes, one specific line per bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.app.demo import DemoEvent
from scanner.cli import exits
from tests.cli.run import scanner, scanner_process


def test_check_prints_the_verdict_and_exit_code(
    capsys: pytest.CaptureFixture[str], data_dir: Path, demo_event: DemoEvent
) -> None:
    code = demo_event.codes[demo_event.rows[0].ticket_id]
    first = scanner(capsys, data_dir, "check", code, "--json")
    assert first.code == exits.OK
    verdict = first.json_lines()[0]
    assert (
        verdict["outcome"] == "admitted"
        and verdict["holder_name"] == demo_event.rows[0].holder_name
    )
    again = scanner(capsys, data_dir, "check", code, "--door", "Side door")
    assert again.code == exits.REFUSED
    assert "REFUSED · Already checked in" in again.out and "Main entrance" in again.out


def test_a_door_named_like_a_check_in_list_admits_only_its_types(
    capsys: pytest.CaptureFixture[str], data_dir: Path, demo_event: DemoEvent
) -> None:
    crew = next(r for r in demo_event.rows if r.ticket_type == "crew" and r.status == "valid")
    code = demo_event.codes[crew.ticket_id]
    assert scanner(capsys, data_dir, "check", code, "--door", "main").code == exits.REFUSED
    assert scanner(capsys, data_dir, "check", code, "--door", "Backstage").code == exits.OK


def test_exit_scans_and_status(
    capsys: pytest.CaptureFixture[str], data_dir: Path, demo_event: DemoEvent
) -> None:
    codes = [
        demo_event.codes[r.ticket_id]
        for r in demo_event.rows
        if r.status == "valid" and r.ticket_type in ("ga", "vip")
    ]
    for code in codes[:3]:
        assert scanner(capsys, data_dir, "check", code, "--door", "Main entrance").code == 0
    assert scanner(capsys, data_dir, "check", codes[0], "--exit").code == exits.OK
    status = scanner(capsys, data_dir, "status", "--json").json_lines()[0]
    assert status["admitted"] == 3 and status["inside"] == 2 and status["pending_upload"] == 4
    assert status["admitted_by_door"] == {"Main entrance": 3}
    text = scanner(capsys, data_dir, "status").out
    assert "3 admitted of" in text and "inside now: 2" in text and "not yet uploaded: 4" in text


def test_undo_from_the_command_line(
    capsys: pytest.CaptureFixture[str], data_dir: Path, demo_event: DemoEvent
) -> None:
    code = demo_event.codes[demo_event.rows[0].ticket_id]
    scan_id = scanner(capsys, data_dir, "check", code, "--json").json_lines()[0]["scan_id"]
    assert scanner(capsys, data_dir, "undo", scan_id).code == exits.USAGE  # --reason required
    undone = scanner(capsys, data_dir, "undo", scan_id, "--reason", "wrong person", "--json")
    assert undone.json_lines()[0]["annuls"] == scan_id
    missing = scanner(capsys, data_dir, "undo", "nope", "--reason", "x")
    assert missing.code == exits.NOT_FOUND and missing.err.count("\n") == 1


def test_search_from_the_command_line(
    capsys: pytest.CaptureFixture[str], data_dir: Path, demo_event: DemoEvent
) -> None:
    row = demo_event.rows[3]
    hits = scanner(capsys, data_dir, "search", row.order_code or "", "--json").json_lines()
    assert row.ticket_id in [hit["ticket_id"] for hit in hits]
    assert scanner(capsys, data_dir, "search", "qqqqqq").code == exits.REFUSED


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["check", "   "], exits.USAGE, "the code text is empty"),
        (["import", "/nonexistent/file.csv"], exits.NOT_FOUND, "no such file"),
        (["verify-code", "--keyring", "/nonexistent.json", "x"], exits.NOT_FOUND, "no such file"),
        (["undo", "nope", "--reason", "x"], exits.NOT_FOUND, "no journal entry 'nope'"),
        (["status"], exits.NO_EVENT, "import a snapshot or attendee CSV first"),
        (["check", "TK1.A.B.C"], exits.NO_EVENT, "no event on this device"),
    ],
)
def test_bad_input_gets_one_specific_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    ran = scanner(capsys, tmp_path / "empty", *args)
    assert ran.code == code
    assert ran.err.startswith("error: ") and message in ran.err and ran.err.count("\n") == 1


def test_a_bad_keyring_file_is_named(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    keyring = tmp_path / "k.json"
    keyring.write_text(json.dumps({"keys": [{"kid": "H1", "alg": "HS512"}]}))
    ran = scanner(capsys, None, "verify-code", "--keyring", str(keyring), "x")
    assert ran.code == exits.USAGE and "unknown alg 'HS512'" in ran.err


def test_verify_code_answers_for_an_empty_text(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    keyring = tmp_path / "k.json"
    keyring.write_text('{"keys": []}')
    ran = scanner(capsys, None, "verify-code", "--keyring", str(keyring), "--", "", " ", "-x")
    assert [line["reason"] for line in ran.json_lines()] == ["malformed"] * 3


def test_the_console_script_runs_as_a_process(tmp_path: Path) -> None:
    ran = scanner_process(tmp_path, "status")
    assert ran.code == exits.NO_EVENT and "no event on this device" in ran.err


def test_check_in_by_hand_when_a_phone_is_dead(
    capsys: pytest.CaptureFixture[str], data_dir: Path, demo_event: DemoEvent
) -> None:
    row = next(r for r in demo_event.rows if r.status == "valid" and r.ticket_type == "ga")
    ran = scanner(capsys, data_dir, "check", "--ticket", row.ticket_id, "--json")
    assert ran.code == exits.OK and ran.json_lines()[0]["holder_name"] == row.holder_name
    again = scanner(capsys, data_dir, "check", demo_event.codes[row.ticket_id])
    assert again.code == exits.REFUSED and "Already checked in" in again.out
    assert scanner(capsys, data_dir, "check", "--ticket", "nope").code == exits.REFUSED
    both = scanner(capsys, data_dir, "check", "x", "--ticket", "y")
    assert both.code == exits.USAGE and "either a code TEXT or --ticket ID" in both.err
