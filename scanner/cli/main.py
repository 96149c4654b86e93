"""`scanner`: parsing, dispatch, and every failure mapped to one line and an exit code."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence

from scanner.app.errors import StoreError
from scanner.app.logs import setup_logging
from scanner.app.version import version_line
from scanner.cli import (
    data_commands,
    demo_command,
    doctor_command,
    door_commands,
    exits,
    kiosk_command,
    report_command,
    sync_commands,
    window_command,
)
from scanner.cli.exits import CliError
from scanner.lang import set_language

log = logging.getLogger("scanner")
Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scanner",
        description="Offline-first door scanner for event tickets.",
        epilog="Data directory: --data-dir, else $SCANNER_DATA_DIR, else the platform default.",
    )
    parser.add_argument("--data-dir", help="where the local data file lives")
    parser.add_argument("--version", action=VersionAction, help="build version and data schema")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    modules = (data_commands, door_commands, sync_commands, demo_command, window_command)
    for module in (*modules, report_command, doctor_command, kiosk_command):
        module.register(commands)
    _register_optional(commands)
    return parser


def _register_optional(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Commands of parts that may be missing from a trimmed build."""
    try:
        from scanner.cli import camera_commands
    except ImportError:
        return
    camera_commands.register(commands)


class VersionAction(argparse.Action):
    """`--version`, worked out only when asked (it reads the installed metadata)."""

    def __init__(self, option_strings: list[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_args: object) -> None:
        print(version_line())
        parser.exit()


def main(argv: Sequence[str] | None = None) -> int:
    setup_logging()
    set_language(os.environ.get("SCANNER_LANGUAGE"))  # else the system's locale
    args = build_parser().parse_args(argv)
    handler: Handler = args.func
    log.debug("command %s started", args.command)  # its arguments may hold codes and names
    try:
        return handler(args)
    except CliError as exc:
        log.info("command %s ended: exit %d", args.command, exc.code)
        print(f"error: {exc}", file=sys.stderr)
        return exc.code
    except StoreError as exc:  # the data file: damaged, disk full, not writable, too new
        print(f"error: {exc}", file=sys.stderr)
        return exits.DATA_FILE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return exits.OK
    except Exception as exc:
        log.exception("command %s failed", args.command)
        if os.environ.get("SCANNER_DEBUG"):
            raise
        print(f"error: internal error ({type(exc).__name__}): {exc}", file=sys.stderr)
        return exits.INTERNAL
