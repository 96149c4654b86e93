"""Commands that cannot ask or cannot show say so in words (issue 24): the lead PIN without a
terminal, a window Qt cannot open here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def scanner(
    data_dir: Path, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scanner", "--data-dir", str(data_dir), *args],
        input=stdin,
        stdin=subprocess.DEVNULL if stdin is None else None,
        capture_output=True,
        text=True,
        check=False,
    )


def test_staff_code_without_a_terminal_says_to_give_the_pin_with_stdin(
    data_dir: Path, tmp_path: Path
) -> None:
    png = tmp_path / "staff.png"
    assert scanner(data_dir, "kiosk", "set-pin", "--stdin", stdin="4711\n").returncode == 0
    done = scanner(data_dir, "kiosk", "staff-code", "--png", str(png))  # no terminal
    assert done.returncode == 2, done.stderr
    assert "--stdin" in done.stderr and "internal error" not in done.stderr
    assert not png.exists()
    done = scanner(data_dir, "kiosk", "staff-code", "--png", str(png), "--stdin", stdin="4711\n")
    assert done.returncode == 0, done.stderr
    assert png.read_bytes().startswith(b"\x89PNG")


def test_a_window_qt_cannot_show_here_points_to_doctor_not_to_qts_own_abort(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    from tests.cli.run import scanner as scanner_in_process

    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.setattr(  # a machine without the xcb-cursor library (ldd says "not found")
        "scanner.app.doctor_qt.missing_libraries", lambda _library: ["libxcb-cursor.so.0"]
    )
    ran = scanner_in_process(capsys, data_dir, "window")
    assert ran.code == 3, ran.err  # exits.NOT_FOUND
    assert "libxcb-cursor.so.0" in ran.err and "scanner doctor" in ran.err
