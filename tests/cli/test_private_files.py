"""Names, e-mails and PINs stay this user's: the files the door writes are 0600 from their first
byte, the folders it makes 0700, and a data folder found open to others is tightened at start with
one log line that names nobody (issue 21, item 4). Under the usual umask 022, through the CLI."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from scanner.app.demo import DemoEvent
from tests.cli.run import scanner


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.mark.parametrize(
    ("name", "extra"),
    [("log.csv", []), ("attendees.csv", ["--part", "attendees"]), ("report.xlsx", [])],
)
def test_reports_are_written_for_this_user_only(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path, name: str, extra: list[str]
) -> None:
    out = tmp_path / name
    out.write_bytes(b"an older report, readable by all")
    out.chmod(0o644)
    done = scanner(capsys, data_dir, "report", "--out", str(out), *extra)
    assert done.code == 0, done.err
    assert mode(out) == 0o600 and out.stat().st_size > 0
    assert not out.with_name(name + ".part").exists()


def test_an_exported_journal_is_for_this_user_only(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path, demo_event: DemoEvent
) -> None:
    code = demo_event.codes[demo_event.rows[0].ticket_id]
    assert scanner(capsys, data_dir, "check", code).code == 0
    journal = tmp_path / "journal.jsonl"
    (tmp_path / ".journal.jsonl.partial").write_text("left by a cut-short export")
    (tmp_path / ".journal.jsonl.partial").chmod(0o644)
    done = scanner(capsys, data_dir, "export-journal", str(journal))
    assert done.code == 0, done.err
    assert mode(journal) == 0o600 and len(journal.read_text().splitlines()) == 2


def test_the_staff_code_png_holding_the_lead_pin_is_for_this_user_only(
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("4711\n"))
    assert scanner(capsys, data_dir, "kiosk", "set-pin", "--stdin").code == 0
    png = tmp_path / "staff.png"
    png.write_bytes(b"an older code")
    png.chmod(0o644)
    monkeypatch.setattr("sys.stdin", io.StringIO("4711\n"))
    done = scanner(capsys, data_dir, "kiosk", "staff-code", "--png", str(png), "--stdin")
    assert done.code == 0, done.err
    assert mode(png) == 0o600 and png.read_bytes().startswith(b"\x89PNG")


def test_a_data_folder_open_to_others_is_tightened_at_start_and_said_once(
    capsys: pytest.CaptureFixture[str], data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data_dir.chmod(0o755)
    with caplog.at_level(logging.INFO):
        assert scanner(capsys, data_dir, "status").code == 0
        assert scanner(capsys, data_dir, "status").code == 0  # already private: nothing said
    assert mode(data_dir) == 0o700
    said = [r.getMessage() for r in caplog.records if "data folder" in r.getMessage()]
    assert said == ["the data folder was open to other accounts (mode 0755): now 0700"]


def test_a_new_data_folder_is_made_private(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, snapshot_file: Path, demo_event: DemoEvent
) -> None:
    folder = tmp_path / "new" / "door"
    done = scanner(
        capsys, folder, "import", str(snapshot_file), "--trust", demo_event.platform_fingerprint
    )
    assert done.code == 0, done.err
    assert mode(folder) == 0o700
    assert {p.name: mode(p) for p in folder.iterdir() if p.is_file()} == {"scanner.sqlite3": 0o600}
