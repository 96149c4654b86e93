"""Helpers shared by the command modules."""

from __future__ import annotations

import argparse
import json
from typing import Any

from server_stub.db import Database, migrate, open_database

Subparsers = "argparse._SubParsersAction[argparse.ArgumentParser]"


def database(args: argparse.Namespace) -> Database:
    db = open_database(args.db)
    migrate(db)
    return db


def emit(args: argparse.Namespace, data: Any, text: str) -> None:
    print(
        json.dumps(data, ensure_ascii=False, default=str) if getattr(args, "json", False) else text
    )
