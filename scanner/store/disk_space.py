"""Free disk space around imports: an import never leaves the disk too full for scans.

An import writes the new list into the WAL and then folds it into the data file, so at its peak
the disk holds the new pages twice (measured: 3.6 times the snapshot's size for a first import).
A door whose disk filled up during an import could not record another scan, so an import starts
only when the disk has room for it and a headroom of free space is left for the shift's scans.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import Engine

from scanner.store.failures import DiskFull, free_mb

log = logging.getLogger(__name__)

HEADROOM_MB = 32  # a long shift of scans, and the WAL before a checkpoint, with room to spare
GROWTH = 4  # disk bytes needed per byte of snapshot at the peak of an import (measured 3.6)


def incoming_bytes(path: Path) -> int:
    """The size of a snapshot file's text: gzip's trailer gives it (modulo 4 GiB)."""
    size = path.stat().st_size
    with path.open("rb") as file:
        if file.read(2) != b"\x1f\x8b" or size < 18:
            return size
        file.seek(-4, 2)
        return max(size, int.from_bytes(file.read(4), "little"))


def require_room_for_import(directory: Path, incoming: int = 0) -> None:
    need = incoming * GROWTH / 2**20 + HEADROOM_MB
    free = free_mb(directory)
    if free < need:
        raise DiskFull(
            f"not enough free disk space to import this file: it needs about {need:.0f} MB on "
            f"the disk holding {directory} ({HEADROOM_MB} MB of it kept free for scans), and "
            f"{free:.0f} MB are free. Nothing was changed; free some disk space, then import again"
        )


def fold_wal(engine: Engine) -> None:
    """Fold the WAL into the data file and empty it, so an import's pages are not held twice."""
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except Exception as exc:  # the import is committed; a later checkpoint will fold it
        log.warning("could not fold the WAL into the data file (%s)", type(exc).__name__)
