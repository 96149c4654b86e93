"""`scanner`: parsing, dispatch, and every failure mapped to one line and an exit code."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence

from scanner.app.errors import StoreError
from scanner.cli import (
    data_commands,
    demo_command,
    door_commands,
    exits,
    sync_commands,
    window_command,
)
from scanner.cli.exits import CliError

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scanner",
        description="Offline-first door scanner for event tickets.",
        epilog="Data directory: --data-dir, else $SCANNER_DATA_DIR, else the platform default.",
    )
    parser.add_argument("--data-dir", help="where the local data file lives")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (data_commands, door_commands, sync_commands, demo_command, window_command):
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


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=os.environ.get("SCANNER_LOG_LEVEL", "WARNING"))
    args = build_parser().parse_args(argv)
    handler: Handler = args.func
    try:
        return handler(args)
    except CliError as exc:
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
        if os.environ.get("SCANNER_DEBUG"):
            raise
        print(f"error: internal error ({type(exc).__name__}): {exc}", file=sys.stderr)
        return exits.INTERNAL
