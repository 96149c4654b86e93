"""Writing behind the caller's back: a file object whose writes happen on a thread of its own.

The XLSX writer streams its sheets into a deflating zip entry. zlib lets go of the GIL while it
compresses (and the file system while it writes), so with the deflating moved to this thread
the next rows are made on the other core meanwhile: about a fifth of the workbook's time, gone
from the wall clock (not from the CPU time). A few chunks wait at most, so memory stays flat.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

_WAITING = 2  # chunks of about a megabyte


class WriteBehind:
    def __init__(self, out: IO[bytes]) -> None:
        self._out = out
        self._chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=_WAITING)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="report-write-behind", daemon=True)
        self._thread.start()

    def write(self, data: bytes) -> int:
        """Queued; a failure of an earlier write (a full disk) is raised here or at close."""
        if self._error is not None:
            raise self._error
        self._chunks.put(data)
        return len(data)

    def close(self) -> None:
        """Waits until every chunk is written."""
        self._chunks.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        while (data := self._chunks.get()) is not None:
            if self._error is None:  # after a failure, only drain: the caller hears of it
                try:
                    self._out.write(data)
                except BaseException as error:  # handed to the caller's thread
                    self._error = error


@contextmanager
def write_behind(out: IO[bytes]) -> Iterator[WriteBehind]:
    """The thread ends with the block, whatever happened in it."""
    writer = WriteBehind(out)
    try:
        yield writer
    finally:
        writer.close()
