"""Times and ages as door staff read them (the window and the command line)."""

from __future__ import annotations

from datetime import datetime

from scanner.lang import _, local_time


def age(seconds: float | None) -> str:
    if seconds is None:
        return _("never")
    seconds = max(0, int(seconds))
    if seconds < 120:
        return _("{n} s").format(n=seconds)
    if seconds < 7200:
        return _("{n} min").format(n=seconds // 60)
    return _("{h} h {m} min").format(h=seconds // 3600, m=seconds % 3600 // 60)


def clock_time(moment: datetime | str | None, timezone: str) -> str:
    if moment is None:
        return _("never")
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return local_time(moment, timezone)
