"""Reading line-based files (snapshots, journal files, downloads) with bounded memory.

A hostile or damaged file can hold one line of a gigabyte, or a small gzip file can unpack to
one: the reader never holds more than one line of at most MAX_LINE_BYTES, and stops when the
unpacked text passes MAX_TEXT_BYTES, naming the line. Lines come out with their newline.
"""

from __future__ import annotations

import gzip
import io
import os
from collections.abc import Iterable, Iterator
from typing import Protocol

# The longest legitimate line is a snapshot header (event, ticket types, keys): a few kB.
MAX_LINE_BYTES = 1 << 20
# A snapshot of 1,000,000 tickets is about 320 MB of text; a journal file is far smaller.
MAX_TEXT_BYTES = 4 << 30
CHUNK = 1 << 16


class Readable(Protocol):
    def readline(self, size: int = -1, /) -> bytes: ...


class InputTooLarge(ValueError):
    """A line or the whole text is beyond what any real file of ours holds."""


def bounded_lines(
    stream: Readable, *, max_line: int = MAX_LINE_BYTES, max_text: int = MAX_TEXT_BYTES
) -> Iterator[bytes]:
    total = 0
    number = 0
    while line := stream.readline(max_line + 1):
        number += 1
        total += len(line)
        if len(line) > max_line:
            raise InputTooLarge(
                f"line {number} is longer than {max_line // 1024} kB: not a line of this kind "
                "of file (damaged, or made to exhaust memory)"
            )
        if total > max_text:
            raise InputTooLarge(
                f"line {number}: the text is larger than {max_text >> 20} MB unpacked: not a "
                "file of this kind (damaged, or made to fill the disk)"
            )
        yield line


def file_lines(
    path: str | os.PathLike[str], *, max_line: int = MAX_LINE_BYTES, max_text: int = MAX_TEXT_BYTES
) -> Iterator[bytes]:
    """The lines of a plain or gzip-compressed file, bounded as above."""
    with open(path, "rb") as raw:
        compressed = raw.read(2) == b"\x1f\x8b"
        raw.seek(0)
        if not compressed:
            yield from bounded_lines(raw, max_line=max_line, max_text=max_text)
            return
        with gzip.GzipFile(fileobj=raw, mode="rb") as unpacked:
            yield from bounded_lines(unpacked, max_line=max_line, max_text=max_text)


class _ChunkStream(io.RawIOBase):
    """A readable stream over an iterator of byte chunks (a download in progress)."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = chunk
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def chunk_lines(
    chunks: Iterable[bytes], *, max_line: int = MAX_LINE_BYTES, max_text: int = MAX_TEXT_BYTES
) -> Iterator[bytes]:
    """The lines of a stream of chunks (an HTTP download), bounded as above; a last line without
    its newline is yielded as it is, for the reader to report the text as cut short."""
    stream = io.BufferedReader(_ChunkStream(chunks), CHUNK)
    yield from bounded_lines(stream, max_line=max_line, max_text=max_text)
