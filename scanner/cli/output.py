"""Printing results: one JSON object per line with --json, short human lines otherwise."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scanner.app.door_clock import ClockReading


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot print {type(value).__name__} as JSON")


def emit_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=_plain) + "\n")
    sys.stdout.flush()


def emit(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def clock_lines(reading: ClockReading) -> list[str]:
    """How this device's clock stands, for status, sync and enroll: a line, and what to do."""
    mark = "WARNING: " if reading.wrong else ""
    lines = [f"clock: {mark}{reading.words()}"]
    advice = reading.advice()
    return [*lines, f"  -> {advice}"] if advice else lines


def correction_fields(correction: timedelta | None) -> dict[str, object]:
    """A verdict's clock correction for --json (seconds; null: none worth telling)."""
    return {"clock_correction_s": None if correction is None else round(correction.total_seconds())}


def emit_correction(correction: timedelta | None) -> None:
    """The line under a verdict decided on the server's time (docs/wrong-clock.md)."""
    if correction is not None:
        from scanner.checkin.wording import clock_note
        from scanner.lang import _

        emit("  " + clock_note(correction.total_seconds(), _))
