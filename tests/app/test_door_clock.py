"""When the door trusts its clock measurement (docs/sync.md, "Clocks"): fresh for 24 h of
monotonic time, never after its own clock was set, a reboot, or with no measurement at all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from scanner.app.door_clock import ClockState, read_clock
from scanner.store.sync_figures import ClockSample

T = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
MONO = 5000.0
DAY_AHEAD = ClockSample(-86400.0, T, MONO)  # this device's clock a day ahead of the server's


@pytest.mark.parametrize(
    ("later", "monotonic_later", "state"),
    [
        (timedelta(hours=3), timedelta(hours=3), ClockState.CORRECTED),  # time passed
        (timedelta(hours=23), timedelta(hours=23, seconds=20), ClockState.CORRECTED),  # drift
        (timedelta(hours=25), timedelta(hours=25), ClockState.STALE),  # too long ago
        (timedelta(days=-1, hours=1), timedelta(hours=1), ClockState.STALE),  # clock set right
        (timedelta(hours=9), timedelta(hours=1), ClockState.STALE),  # a suspend, or set ahead
        (timedelta(hours=1), timedelta(hours=-1), ClockState.STALE),  # another boot
    ],
)
def test_a_measurement_holds_only_while_the_clock_ran_as_the_monotonic_one(
    later: timedelta, monotonic_later: timedelta, state: ClockState
) -> None:
    reading = read_clock(DAY_AHEAD, T + later, MONO + monotonic_later.total_seconds())
    assert reading.state is state and reading.wrong
    expected = timedelta(days=-1) if state is ClockState.CORRECTED else timedelta()
    assert reading.correction == expected


def test_no_measurement_means_the_devices_own_clock() -> None:
    reading = read_clock(None, T, MONO)
    assert (reading.state, reading.correction, reading.wrong) == (
        ClockState.UNMEASURED,
        timedelta(),
        False,
    )
    assert reading.words() == "not checked against a server yet: this door uses its own clock"


def test_corrections_are_told_beyond_two_minutes_and_wrong_beyond_five() -> None:
    def reading(seconds: float) -> tuple[bool, bool]:
        found = read_clock(ClockSample(seconds, T, MONO), T, MONO)
        return found.told, found.wrong

    assert reading(100) == (False, False)
    assert reading(-200) == (True, False)
    assert reading(301) == (True, True)
