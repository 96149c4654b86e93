"""Opening the door session for one command, turning its failures into CLI errors."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from scanner.app.errors import DeviceLocked, NoEventError, StoreError
from scanner.app.session import DoorSession
from scanner.cli import exits
from scanner.cli.exits import CliError
from scanner.cli.typed_text import require_door_text


@contextmanager
def session_for(
    args: argparse.Namespace, exit: bool = False, **options: Any
) -> Iterator[DoorSession]:
    require_door_text(getattr(args, "door", None))
    try:
        door = getattr(args, "door", None)
        session = DoorSession(args.data_dir, door=door, exit=exit, **options)
    except StoreError as exc:
        raise CliError(str(exc), exits.DATA_FILE) from None
    try:
        yield session
    except NoEventError as exc:
        raise CliError(str(exc), exits.NO_EVENT) from None
    except DeviceLocked as exc:
        raise CliError(str(exc), exits.LOCKED) from None
    finally:
        session.close()
