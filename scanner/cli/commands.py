"""The command table: every command's name, one-line help and the module that runs it.

`scanner --help` lists the commands from this table alone; a command's module (and what it
imports: the store, the camera, OpenCV, Qt, the network) is imported only when that command runs,
so `scanner check` starts in a fraction of the time the whole program would take to import.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any, Protocol


class Commands(Protocol):
    """What a command module's `register` is given: it adds its commands' parsers by name."""

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser: ...


@dataclass(frozen=True)
class Command:
    name: str
    module: str  # under scanner.cli
    help: str


TABLE = (
    Command(
        "verify-code",
        "data_commands",
        "say whether codes are valid and why not (no data file needed)",
    ),
    Command("import", "data_commands", "import a signed snapshot file or attendee CSV"),
    Command("check", "door_commands", "decide on one ticket code and record it"),
    Command("undo", "door_commands", "annul an admission (recorded, never deleted)"),
    Command("search", "door_commands", "find tickets by name, e-mail, order or id"),
    Command(
        "grace",
        "door_commands",
        "how long before the first and after the last event day this door still admits"
        " tickets without days of their own (default 12 h each)",
    ),
    Command("status", "door_commands", "admitted / expected, inside, waiting uploads"),
    Command("enroll", "sync_commands", "enrol this device with a companion API"),
    Command("sync", "sync_commands", "upload the journal and pull changes"),
    Command("conflicts", "sync_commands", "admissions that collided with another door's"),
    Command(
        "peers",
        "peer_commands",
        "the doors nearby (heard on the venue's network): list them, set where to listen, pair",
    ),
    Command("export-journal", "sync_commands", "write the journal to a file for the platform"),
    Command(
        "reset",
        "sync_commands",
        "wipe enrolment, attendee data and keys (the journal stays); asks first",
    ),
    Command("demo", "demo_command", "scan a demo event in the terminal"),
    Command("window", "window_command", "open the door window"),
    Command(
        "report",
        "report_command",
        "write this door's check-in report (its journal and the passages it synced)",
    ),
    Command(
        "doctor",
        "doctor_command",
        "check cameras, decoders, data, server, sound and display; say what to do",
    ),
    Command("kiosk", "kiosk_command", "the self-service kiosk: PIN, settings, autostart"),
    Command("cameras", "camera_commands", "list the cameras attached"),
    Command("decode", "camera_commands", "decode QR codes in image files"),
    Command("scan", "camera_commands", "scan from a camera or video and print verdicts"),
)
