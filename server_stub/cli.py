"""`scanner-server`: the admin command line of the companion API (docs/server.md).

Each command opens the database named by --db (or SCANNER_SERVER_DATABASE_URL / DATABASE_URL,
or a SQLite file in the data directory), brings its schema up to date and does one thing.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from server_stub import cli_admin, cli_reports, cli_tickets
from server_stub.core.config import default_database_url
from server_stub.core.server_key import ServerKeyError

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="URL",
        # SUPPRESS: the sub-command's copy of --db must not reset one given before the command
        default=argparse.SUPPRESS,
        help="database URL (sqlite:///file or postgresql+psycopg://...); default: "
        "$SCANNER_SERVER_DATABASE_URL, $DATABASE_URL, or server.sqlite3 in the data directory",
    )
    parser = argparse.ArgumentParser(
        prog="scanner-server",
        description="The companion API of the door scanner: the ticketing platform's side of "
        "check-in. Run `scanner-server COMMAND --help` for each command.",
        parents=[common],
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (cli_admin, cli_tickets, cli_reports):
        module.register(commands, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.db = getattr(args, "db", None) or default_database_url()
    handler: Handler = args.handler
    try:
        status = handler(args)
        sys.stdout.flush()  # here, where a closed pipe can still be caught
        return status
    except BrokenPipeError:
        # `scanner-server issue ... | head` closed the pipe: stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (ValueError, LookupError, ServerKeyError) as exc:  # errors for people to read
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        for db in getattr(args, "databases", ()):
            db.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
