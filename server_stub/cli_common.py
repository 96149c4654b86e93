"""Helpers shared by the command modules."""

from __future__ import annotations

import argparse
import json
from typing import Any

from server_stub.db import Database, migrate, open_database
from server_stub.services.secrets_at_rest import open_secrets

Subparsers = "argparse._SubParsersAction[argparse.ArgumentParser]"


def database(args: argparse.Namespace) -> Database:
    """The database, its schema brought up to date and its secrets opened with the server key
    (ServerKeyError when the key file cannot open them)."""
    db = open_database(args.db)
    args.databases = [*getattr(args, "databases", ()), db]  # closed by cli.main when done
    migrate(db)
    open_secrets(db)
    return db


def emit(args: argparse.Namespace, data: Any, text: str) -> None:
    print(
        json.dumps(data, ensure_ascii=False, default=str) if getattr(args, "json", False) else text
    )


def add_command(
    commands: Any, common: argparse.ArgumentParser, name: str, handler: Any, text: str
) -> argparse.ArgumentParser:
    """A sub-command with the shared options (--db) and --json."""
    sub: argparse.ArgumentParser = commands.add_parser(
        name, help=text, description=text, parents=[common]
    )
    sub.set_defaults(handler=handler)
    sub.add_argument("--json", action="store_true", help="print JSON")
    return sub
