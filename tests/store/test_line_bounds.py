"""Unbounded lines: a small gzip file holding one huge line is refused with bounded memory, in
snapshot imports, journal files and downloads alike."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from scanner.app.demo import DemoEvent
from scanner.checkin.line_reader import (
    MAX_LINE_BYTES,
    InputTooLarge,
    chunk_lines,
    file_lines,
)
from scanner.cli import exits

HUGE_MB = 128
MEGABYTE = b"A" * 2**20


def bomb(path: Path, first_line: bytes) -> Path:
    """A real header, then one line of HUGE_MB unpacked (about 130 kB packed)."""
    with gzip.open(path, "wb", compresslevel=9) as out:
        out.write(first_line)
        out.write(b'{"k":"ticket","ticket_id":"')
        for _ in range(HUGE_MB):
            out.write(MEGABYTE)
        out.write(b'"}\n')
    return path


# `scanner import` in a process of its own, reporting its exit code and peak resident memory.
IMPORT = """
import contextlib, io, json, sys
from pathlib import Path
from scanner.cli.main import main
err = io.StringIO()
with contextlib.redirect_stderr(err):
    code = main(["--data-dir", sys.argv[1], "import", sys.argv[2], "--trust", sys.argv[3]])
status = Path("/proc/self/status").read_text().splitlines()
peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
print(json.dumps({"code": code, "err": err.getvalue(), "peak_mb": peak}))
"""


def import_in_process(data: Path, path: Path, trust: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", IMPORT, str(data), str(path), trust],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's VmHWM")
def test_a_gzip_snapshot_with_one_huge_line_is_refused_with_bounded_memory(
    snapshot_file: Path, demo_event: DemoEvent, tmp_path: Path
) -> None:
    header = snapshot_file.read_bytes().split(b"\n", 1)[0] + b"\n"
    hostile = bomb(tmp_path / "hostile.jsonl.gz", header)
    assert hostile.stat().st_size < 1_000_000
    trust = demo_event.platform_fingerprint
    normal = import_in_process(tmp_path / "normal", snapshot_file, trust)
    refused = import_in_process(tmp_path / "hostile", hostile, trust)
    assert normal["code"] == exits.OK
    assert refused["code"] == exits.IMPORT_REFUSED, refused["err"]
    assert "line 2 is longer than" in str(refused["err"])
    # the whole refusal costs less memory than a tenth of the line it refused
    assert float(refused["peak_mb"]) < float(normal["peak_mb"]) + HUGE_MB / 10, refused


def peak_while(job: Iterator[bytes]) -> tuple[BaseException | None, int]:
    """Consume `job`; return what it raised and the peak of Python memory it took."""
    tracemalloc.start()
    raised = None
    try:
        for _line in job:
            pass
    except Exception as exc:
        raised = exc
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return raised, peak


def test_a_journal_file_with_one_huge_line_is_refused_with_bounded_memory(tmp_path: Path) -> None:
    header = b'{"k": "journal", "device_id": "dev-1", "event_id": "e", "entries": 1}\n'
    raised, peak = peak_while(file_lines(bomb(tmp_path / "journal.jsonl.gz", header)))
    assert isinstance(raised, InputTooLarge)
    assert "line 2" in str(raised)
    assert peak < 4 * MAX_LINE_BYTES


def test_a_download_with_one_huge_line_is_refused_with_bounded_memory() -> None:
    def download() -> Iterator[bytes]:
        yield b'{"k":"header"}\n{"k":"ticket","x":"'
        for _ in range(HUGE_MB):
            yield MEGABYTE

    raised, peak = peak_while(chunk_lines(download()))
    assert isinstance(raised, InputTooLarge)
    assert peak < 4 * MAX_LINE_BYTES


def test_the_bounded_readers_keep_every_line_as_it_was(tmp_path: Path) -> None:
    lines = [b"first\n", b"x" * (MAX_LINE_BYTES - 1) + b"\n", b"\n", b"last without newline"]
    text = b"".join(lines)
    (tmp_path / "plain").write_bytes(text)
    with gzip.open(tmp_path / "packed", "wb") as out:
        out.write(text)
    assert list(file_lines(tmp_path / "plain")) == lines
    assert list(file_lines(tmp_path / "packed")) == lines
    pieces = [text[i : i + 7000] for i in range(0, len(text), 7000)]
    assert list(chunk_lines(pieces)) == lines


def test_the_unpacked_size_is_bounded_too(tmp_path: Path) -> None:
    many = [b'{"k":"entry"}\n'] * 1000
    (tmp_path / "many").write_bytes(b"".join(many))
    with pytest.raises(InputTooLarge, match="larger than"):
        list(file_lines(tmp_path / "many", max_text=10_000))
