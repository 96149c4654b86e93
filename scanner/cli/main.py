"""`scanner`: parsing, dispatch, and every failure mapped to one line and an exit code."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from scanner.app.logs import setup_logging
from scanner.app.version import version_line
from scanner.cli import exits
from scanner.cli.commands import TABLE
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
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", action=LazyCommands
    )
    for command in TABLE:
        commands.add_parser(command.name, help=command.help)
    return parser


class LazyCommands(argparse._SubParsersAction):  # type: ignore[type-arg]
    """The sub-command chosen on the command line gets its arguments (from its module, imported
    now) just before it parses them; the other commands' modules are never imported."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        if values and values[0] in self._name_parser_map:  # else argparse names the choices
            _fill(values[0], self._name_parser_map[values[0]])
        super().__call__(parser, namespace, values, option_string)


def _fill(name: str, chosen: argparse.ArgumentParser) -> None:
    (command,) = (c for c in TABLE if c.name == name)
    try:
        module = importlib.import_module(f"scanner.cli.{command.module}")
    except ImportError as exc:  # a part left out of a trimmed build
        chosen.error(f"{name} is not available in this build ({exc})")
    module.register(_Only(name, chosen))


class _Only:
    """Hands a command module the chosen command's parser; its other commands get throwaways."""

    def __init__(self, name: str, chosen: argparse.ArgumentParser) -> None:
        self.name, self.chosen = name, chosen

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        if name != self.name:
            return argparse.ArgumentParser(add_help=False)
        self.chosen.description = kwargs.get("description", self.chosen.description)
        return self.chosen


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
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return exits.OK
    except Exception as exc:
        from scanner.app.errors import StoreError  # here only: it imports the store

        if isinstance(exc, StoreError):  # the data file: damaged, disk full, not writable, new
            print(f"error: {exc}", file=sys.stderr)
            return exits.DATA_FILE
        log.exception("command %s failed", args.command)
        if os.environ.get("SCANNER_DEBUG"):
            raise
        print(f"error: internal error ({type(exc).__name__}): {exc}", file=sys.stderr)
        return exits.INTERNAL
