"""Times and ages as door staff read them (the window and the command line)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def age(seconds: float | None) -> str:
    if seconds is None:
        return "never"
    seconds = max(0, int(seconds))
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


def clock_time(moment: datetime | str | None, timezone: str) -> str:
    if moment is None:
        return "never"
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return f"{moment.astimezone(ZoneInfo(timezone)):%H:%M:%S}"
