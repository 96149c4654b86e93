"""`scanner window`: the door window. The one command that hands over to `ui` (an exception the
contracts name): Qt is loaded only when the window is asked for, so the rest of the command
line stays Qt-free (and works in a build without the window)."""

from __future__ import annotations

import argparse

from scanner.cli import exits
from scanner.cli.commands import Commands
from scanner.cli.exits import CliError
from scanner.cli.output import emit


def register(commands: Commands) -> None:
    window = commands.add_parser("window")
    window.add_argument("--source", metavar="SPEC", help="camera spec, as for `scanner scan`")
    window.add_argument("--door", help="door name; a check-in list's name limits ticket types")
    window.add_argument("--exit", action="store_true", default=None, help="start in exit mode")
    window.add_argument(
        "--demo",
        action="store_true",
        help="a demo event on a local companion API, with a synthetic camera",
    )
    window.add_argument(
        "--kiosk", action="store_true", help="self-service kiosk: full screen, lead PIN to leave"
    )
    window.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        from scanner.ui import main as ui
    except ImportError as exc:
        raise CliError(f"the door window cannot start: {exc}", exits.NOT_FOUND) from None
    if not ui.has_display():
        emit("no display found (DISPLAY is not set): running the terminal demo instead")
        if args.demo:
            from scanner.cli import demo_command

            args.attendees = 300
            return demo_command.run(args)
        raise CliError("no display: the door window needs one (set DISPLAY)", exits.USAGE)
    from scanner.app.doctor_qt import window_blocker

    blocker = window_blocker()  # Qt would abort with a message of its own
    if blocker is not None:
        raise CliError(
            f"the door window cannot start: {blocker}; `scanner doctor` says what to install",
            exits.NOT_FOUND,
        )
    return ui.run(args)
