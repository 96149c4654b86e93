"""The check-in core never reads the clock: time is always handed in (import-linter keeps Qt,
SQL, network and OpenCV out; this keeps the clock out)."""

from __future__ import annotations

import re
from pathlib import Path

import scanner.checkin

CLOCK_CALLS = re.compile(
    r"\b(datetime\.now|datetime\.utcnow|date\.today|time\.time|time\.monotonic|import time)\b"
)


def test_no_module_of_the_core_reads_the_clock() -> None:
    root = Path(scanner.checkin.__file__).parent
    offenders = [
        f"{path.name}:{number}"
        for path in sorted(root.glob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if CLOCK_CALLS.search(line)
    ]
    assert offenders == []
