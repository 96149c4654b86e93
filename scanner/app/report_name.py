"""What a report file is called unless staff say otherwise: the event and its day in the name,
safe on every system ('Spring Ball 2026-05-01 check-in report.xlsx')."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

# What a file name may not hold on Windows, macOS or Linux (and control characters).
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def report_name(event_name: str, now: datetime, timezone: str, suffix: str = "xlsx") -> str:
    day = now.astimezone(ZoneInfo(timezone)).date().isoformat()
    event = " ".join(_UNSAFE.sub(" ", event_name).split())[:80] or "event"
    return f"{event} {day} check-in report.{suffix}"
