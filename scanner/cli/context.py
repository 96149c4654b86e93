"""Opening the door or store for one command, turning their failures into CLI errors."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from scanner.app.door import Door, open_door
from scanner.cli import exits
from scanner.cli.exits import CliError
from scanner.store.database import StoreError
from scanner.store.device import DeviceLocked
from scanner.store.tickets import NoEventError


@contextmanager
def door_for(args: argparse.Namespace, exit: bool = False) -> Iterator[Door]:
    try:
        door = open_door(args.data_dir, getattr(args, "door", None), exit)
    except StoreError as exc:
        raise CliError(str(exc), exits.DATA_FILE) from None
    try:
        yield door
    except NoEventError as exc:
        raise CliError(str(exc), exits.NO_EVENT) from None
    except DeviceLocked as exc:
        raise CliError(str(exc), exits.LOCKED) from None
    finally:
        door.close()
