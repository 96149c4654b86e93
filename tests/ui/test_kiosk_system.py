"""The kiosk on its machine: one instance per data folder, started by the session and again
after a crash, and verdict colours readable at two metres."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from scanner.app import autostart
from scanner.ui.kiosk_attract import BACKGROUND, TEXT
from scanner.ui.kiosk_pages import OUT_OF_ORDER_BACKGROUND, OUT_OF_ORDER_TEXT
from scanner.ui.single_instance import SingleInstance
from scanner.ui.verdict_style import STYLES, Look
from tests.cli.run import scanner

pytestmark = pytest.mark.timeout(120)


def kiosk_process(command: list[str]) -> subprocess.Popen[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_a_second_kiosk_on_the_same_folder_is_refused_and_raises_the_first(
    qtbot: QtBot, data_dir: Path
) -> None:
    first = SingleInstance(data_dir)
    assert first.acquire()
    raised: list[bool] = []
    first.raise_requested.connect(lambda: raised.append(True))
    try:
        second = kiosk_process(
            [sys.executable, "-m", "scanner", "--data-dir", str(data_dir), "window", "--kiosk"]
        )
        qtbot.waitUntil(lambda: bool(raised), timeout=60_000)  # the first came to the front
        _out, err = second.communicate(timeout=60)
        assert second.returncode == 3
        assert "already runs" in err and "brought it to the front" in err
    finally:
        first.release()
    again = SingleInstance(data_dir)
    assert again.acquire()  # released: the next start is the one
    again.release()


def test_install_autostart_writes_a_unit_that_restarts_the_kiosk_command(
    qtbot: QtBot,
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    ran = scanner(capsys, data_dir, "kiosk", "install-autostart")
    assert ran.code == 0, ran.err
    unit = tmp_path / "config" / "systemd" / "user" / autostart.UNIT_NAME
    desktop = tmp_path / "config" / "autostart" / autostart.DESKTOP_NAME
    text = unit.read_text()
    assert "Restart=always" in text and "WantedBy=graphical-session.target" in text
    # Not restarted while another kiosk holds the folder; one kiosk from a systemd session.
    assert "RestartPreventExitStatus=3" in text
    assert "X-systemd-skip=true" in desktop.read_text()
    exec_start = next(line for line in text.splitlines() if line.startswith("ExecStart="))
    command = shlex.split(exec_start.removeprefix("ExecStart="))
    assert command[-2:] == ["window", "--kiosk"] and str(data_dir.resolve()) in command
    assert f"Exec={shlex.join(command)}" in desktop.read_text()
    if shutil.which("systemd-analyze"):
        verify = subprocess.run(
            ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True
        )
        assert verify.returncode == 0, verify.stderr
    # It starts the kiosk on that folder: with one holding the folder, the unit's command
    # finds it and brings it forward.
    holder = SingleInstance(data_dir.resolve())
    assert holder.acquire()
    raised: list[bool] = []
    holder.raise_requested.connect(lambda: raised.append(True))
    try:
        started = kiosk_process(command)
        qtbot.waitUntil(lambda: bool(raised), timeout=60_000)
        started.communicate(timeout=60)
        assert started.returncode == 3
    finally:
        holder.release()


def luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("look", list(Look))
def test_the_verdict_word_has_at_least_7_to_1_contrast(look: Look) -> None:
    style = STYLES[look]
    assert contrast(style.text, style.background) >= 7.0, (look, style)
    if style.blink:
        assert contrast("#1a1a1a", style.blink) >= 7.0  # the panel's blinking phase


def test_the_attract_and_out_of_order_words_have_at_least_7_to_1_contrast() -> None:
    assert contrast(TEXT, BACKGROUND) >= 7.0
    assert contrast(OUT_OF_ORDER_TEXT, OUT_OF_ORDER_BACKGROUND) >= 7.0


def test_the_kiosk_does_not_start_without_a_lead_pin(data_dir: Path) -> None:
    started = kiosk_process(
        [sys.executable, "-m", "scanner", "--data-dir", str(data_dir), "window", "--kiosk"]
    )
    _out, err = started.communicate(timeout=60)
    assert started.returncode == 2 and "no lead PIN yet" in err


def test_qt_standard_dialogs_speak_the_language_we_ship(qtbot: QtBot) -> None:
    from PySide6.QtCore import QCoreApplication

    from scanner.ui.qt_language import use_qt_language

    try:
        assert use_qt_language("de")
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Abbrechen"
        assert not use_qt_language("fr")  # not shipped: Qt's English
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    finally:
        use_qt_language("en")


def test_without_a_session_bus_or_x_the_screen_saver_advice_is_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from scanner.ui.screen_saver import ScreenSaverInhibitor

    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
    monkeypatch.delenv("DISPLAY", raising=False)
    screen = ScreenSaverInhibitor()
    assert screen.inhibit() is False
    assert screen.advice is not None and "xset s off -dpms" in screen.advice
    screen.release()


def held_by(data_dir: Path, process: subprocess.Popen[str]) -> bool:
    """Whether `process` holds the folder's window lock (QLockFile writes its pid first)."""
    try:
        return (data_dir / "window.lock").read_text().split()[0] == str(process.pid)
    except (OSError, IndexError):
        return False


def start(data_dir: Path, *mode: str) -> subprocess.Popen[str]:
    return kiosk_process([sys.executable, "-m", "scanner", "--data-dir", str(data_dir), *mode])


def second(data_dir: Path, *mode: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "scanner", "--data-dir", str(data_dir), *mode]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=90)


def test_one_window_or_kiosk_per_data_folder_across_modes_and_a_killed_one_blocks_nothing(
    qtbot: QtBot, data_dir: Path
) -> None:
    """Issue 21, item 8: `scanner window` does not start beside a kiosk, nor a kiosk beside it,
    and the lock of a kiosk killed with kill -9 is no lock."""
    from scanner.app.session import DoorSession

    session = DoorSession(data_dir, synchronous=True)
    session.set_lead_pin("4711")
    session.close()
    kiosk = start(data_dir, "window", "--kiosk")
    try:
        qtbot.waitUntil(lambda: held_by(data_dir, kiosk), timeout=60_000)
        window = second(data_dir, "window")
        assert window.returncode == 3, window.stderr
        assert f"a kiosk already runs on {data_dir}" in window.stderr
        assert "one door window or kiosk per data folder" in window.stderr
    finally:
        kiosk.kill()  # kill -9: no chance to let go of its lock
        kiosk.communicate(timeout=60)
    assert (data_dir / "window.lock").exists()  # left behind
    door = start(data_dir, "window")
    try:
        qtbot.waitUntil(lambda: held_by(data_dir, door), timeout=60_000)
        refused = second(data_dir, "window", "--kiosk")
        assert refused.returncode == 3, refused.stderr
        assert f"a door window already runs on {data_dir}" in refused.stderr
    finally:
        door.terminate()
        door.communicate(timeout=60)
