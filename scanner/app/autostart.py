"""Start the kiosk with the session and again after a crash: a systemd user unit with
Restart=always, and an XDG autostart entry for desktops without a systemd user session (a
session run by systemd skips the entry: X-systemd-skip). Should both start a kiosk, the
one-instance lock turns the second into "bring it forward", and the unit does not restart then.

A crash loses nothing: every scan is committed to the data file (synchronous=FULL) before its
verdict is shown.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

UNIT_NAME = "door-scanner-kiosk.service"
DESKTOP_NAME = "door-scanner-kiosk.desktop"
# The kiosk's exit status when another kiosk or door window holds its data folder (it brings
# that one to the front): the unit does not restart on it, or it would every 2 s, for good.
ALREADY_RUNNING = 3


def config_home() -> Path:
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")


def kiosk_command(data_dir: Path, source: str | None = None) -> list[str]:
    """The command line that starts the kiosk on `data_dir` (this installation's Python)."""
    frozen = getattr(sys, "frozen", False)
    program = [sys.executable] if frozen else [sys.executable, "-m", "scanner"]
    command = [*program, "--data-dir", str(data_dir), "window", "--kiosk"]
    if source:
        command += ["--source", source]
    return command


def unit_text(command: list[str]) -> str:
    return "\n".join(
        [
            "[Unit]",
            "Description=Door scanner self-service kiosk",
            "After=graphical-session.target",
            "PartOf=graphical-session.target",
            "StartLimitIntervalSec=0",
            "",
            "[Service]",
            "Type=simple",
            f"ExecStart={shlex.join(command)}",
            "Restart=always",
            "RestartSec=2",
            f"RestartPreventExitStatus={ALREADY_RUNNING}",
            "",
            "[Install]",
            "WantedBy=graphical-session.target",
            "",
        ]
    )


def desktop_text(command: list[str]) -> str:
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            "Name=Door scanner kiosk",
            f"Exec={shlex.join(command)}",
            "X-GNOME-Autostart-enabled=true",
            # Sessions run by systemd start the unit: its generator makes no second kiosk here.
            "X-systemd-skip=true",
            "NoDisplay=true",
            "",
        ]
    )


@dataclass(frozen=True)
class Installed:
    unit: Path
    desktop: Path
    command: list[str]
    systemctl: str | None  # where systemctl is, to enable the unit


def install(data_dir: Path, source: str | None = None, home: Path | None = None) -> Installed:
    """Write both files (replacing earlier ones) and return where they went."""
    base = home or config_home()
    command = kiosk_command(data_dir, source)
    unit = base / "systemd" / "user" / UNIT_NAME
    desktop = base / "autostart" / DESKTOP_NAME
    for path, text in ((unit, unit_text(command)), (desktop, desktop_text(command))):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Installed(unit, desktop, command, shutil.which("systemctl"))
