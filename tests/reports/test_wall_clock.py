"""Report times are wall times in the event's zone: the quick conversion must agree with the
slow, always-right one everywhere, clock changes included (at any minute, in any zone)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.reports.wall_clock import WallClock, quarter_hour

# Clock changes on the hour, on the half hour (Lord Howe: half an hour, at 15:00 UTC), offsets
# in quarter hours (Kathmandu, Chatham), and a past with odd offsets (Amsterdam: +00:19:32).
ZONES = ["Europe/Berlin", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Chatham",
         "America/St_Johns", "Europe/Amsterdam", "UTC"]  # fmt: skip


def _slow(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.astimezone(zone).replace(tzinfo=None)


@settings(max_examples=400, deadline=None)
@given(
    st.datetimes(
        min_value=datetime(1900, 1, 2), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ),
    st.sampled_from(ZONES),
)
def test_any_moment_in_any_zone(moment: datetime, name: str) -> None:
    zone = ZoneInfo(name)
    wall = WallClock(zone)(moment)
    assert wall == _slow(moment, zone)
    assert quarter_hour(wall) == wall.replace(
        minute=wall.minute - wall.minute % 15, second=0, microsecond=0
    )


def test_every_second_around_clock_changes() -> None:
    changes = [("Europe/Berlin", datetime(2025, 3, 30, 1, tzinfo=UTC)),
               ("Europe/Berlin", datetime(2025, 10, 26, 1, tzinfo=UTC)),
               ("Australia/Lord_Howe", datetime(2025, 4, 5, 15, tzinfo=UTC)),
               ("Australia/Lord_Howe", datetime(2025, 10, 4, 15, 30, tzinfo=UTC)),
               ("Europe/Amsterdam", datetime(1937, 6, 30, 22, 40, 28, tzinfo=UTC))]  # fmt: skip
    for name, change in changes:
        zone = ZoneInfo(name)
        clock = WallClock(zone)
        for second in range(-3600, 3600, 7):
            moment = change + timedelta(seconds=second, microseconds=second % 1000)
            assert clock(moment) == _slow(moment, zone), (name, moment)
