"""When an event's doors admit at all: from its first day to its last, in the event's own time
zone, widened by a grace before and after (set-up evenings, nights that run past midnight).

An ordinary ticket names no days; without this a door would admit it weeks after the event.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from scanner.checkin.reasons import Reason
from scanner.checkin.records import EventPolicy

DEFAULT_GRACE_S = 12 * 3600
OUTSIDE_FLAG = "outside_event_days"  # attention flag: the refusal is about the event's days


def event_window(event: EventPolicy) -> tuple[datetime, datetime] | None:
    """First moment and first moment after, of the event's days with their grace (None: the
    event has no days, so every day is one)."""
    if not event.days:
        return None
    zone = ZoneInfo(event.timezone)
    first, last = min(event.days.values()), max(event.days.values())
    starts = datetime.combine(first, time(0), zone)
    ends = datetime.combine(last + timedelta(days=1), time(0), zone)
    return (
        starts - timedelta(seconds=event.grace_before_s),
        ends + timedelta(seconds=event.grace_after_s),
    )


def outside_event(event: EventPolicy, now: datetime) -> Reason | None:
    """NOT_YET_VALID before the window, EXPIRED after it, None inside."""
    window = event_window(event)
    if window is None:
        return None
    if now < window[0]:
        return Reason.NOT_YET_VALID
    if now >= window[1]:
        return Reason.EXPIRED
    return None
