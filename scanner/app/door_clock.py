"""The door's time: this device's clock, corrected by the server's while a measurement is fresh.

Sync measures the server's clock minus ours at every answer that says its time (`ClockSample`,
kept in the store with our own clock and the monotonic clock at that moment). The door decides
event days and code ages on `device time + offset` while the sample is fresh:

- measured at most FRESH_FOR ago by the monotonic clock (which no one sets), and
- our own clock moved by as much as the monotonic one since (within JUMP): a clock set by hand
  or by NTP after the measurement, a reboot or a suspend makes the sample stale, never fresh.

A stale sample, or none yet (an air-gapped door), leaves the door on its own clock, and it says
so. docs/sync.md ("Clocks") tells the whole rule; docs/wrong-clock.md what a technician sees.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from scanner.app.clock import Clock
from scanner.checkin.clock_trust import CLOCK_NOTE, CLOCK_TOLERANCE, minutes_words, size_words
from scanner.store.sync_figures import ClockSample

FRESH_FOR = timedelta(hours=24)  # of monotonic time (uptime) since the measurement
JUMP = timedelta(seconds=30)  # our clock and the monotonic one may differ this much, no more


class ClockState(StrEnum):
    UNMEASURED = "unmeasured"  # never measured against a server: the door's own clock
    CORRECTED = "corrected"  # a fresh measurement: device time + offset
    STALE = "stale"  # measured, but too long ago or the clock changed since: the door's own


@dataclass(frozen=True)
class ClockReading:
    state: ClockState
    offset: timedelta | None = None  # the last measurement: the server's clock minus ours
    measured_at: datetime | None = None  # our own clock then

    @property
    def correction(self) -> timedelta:
        """What the door adds to its own clock now."""
        return self.offset if self.state is ClockState.CORRECTED and self.offset else timedelta()

    @property
    def wrong(self) -> bool:
        """The last measurement found our clock off by more than the tolerance."""
        return self.offset is not None and abs(self.offset) > CLOCK_TOLERANCE

    @property
    def told(self) -> bool:
        """A correction large enough to tell with each verdict."""
        return abs(self.correction) > CLOCK_NOTE

    @property
    def ahead(self) -> bool:
        """Our clock runs ahead of the server's (as last measured)."""
        return self.offset is not None and self.offset < timedelta()

    @property
    def minutes(self) -> int:
        """By how many whole minutes our clock differs (as last measured)."""
        return round(abs((self.offset or timedelta()).total_seconds()) / 60)

    def off_by(self) -> str:
        """'1440 min ahead of' / '7 min behind': how our clock differs from the server's (as
        last measured), to go before "the server's"."""
        words = minutes_words(-(self.offset or timedelta()))
        return f"{words} of" if words.endswith("ahead") else words

    def words(self) -> str:
        """One line for status, sync, enroll and doctor."""
        if self.state is ClockState.UNMEASURED:
            return "not checked against a server yet: this door uses its own clock"
        if self.state is ClockState.STALE:
            return (
                f"this device's clock was {self.off_by()} the server's when last measured; "
                "that was too long ago or the clock was changed since: this door uses its own clock"
            )
        if not self.told:
            return f"within {size_words(self.offset or timedelta())} of the server's"
        return (
            f"this device's clock is {self.off_by()} the server's: "
            "the door decides on the server's time"
        )

    def advice(self) -> str:
        """What to do about it ('' when nothing)."""
        if self.state is ClockState.UNMEASURED:
            return "check the date, time and time zone by hand, or sync once with the server"
        if self.wrong:
            return (
                "set the date, time and time zone right (or turn on automatic time), then "
                "sync again; a kiosk stays out of order until then or until a lead confirms"
            )
        if self.state is ClockState.STALE or self.told:
            return "set the date and time right (or turn on automatic time) and sync again"
        return ""


def read_clock(sample: ClockSample | None, own: datetime, monotonic_s: float) -> ClockReading:
    """What a sample says now, given our own clock and the monotonic clock now."""
    if sample is None:
        return ClockReading(ClockState.UNMEASURED)
    offset = timedelta(seconds=sample.offset_s)
    fresh = _fresh(sample, own, monotonic_s)
    state = ClockState.CORRECTED if fresh else ClockState.STALE
    return ClockReading(state, offset, sample.measured_at)


def _fresh(sample: ClockSample, own: datetime, monotonic_s: float) -> bool:
    if sample.monotonic_s is None:
        return False
    since = timedelta(seconds=monotonic_s - sample.monotonic_s)
    if since < -JUMP or since > FRESH_FOR:
        return False  # another boot (the monotonic clock starts again), or too long ago
    return abs((own - sample.measured_at) - since) <= JUMP


class DoorClock:
    """A Clock for deciding: the device's own clock plus the correction while it holds.

    The sample is read from the store when made and again by `reload()` (the session calls it
    on the sync thread after each cycle, and after an enrolment), never on a scan's or the
    window's way: those read only memory."""

    def __init__(
        self,
        own: Clock,
        sample: Callable[[], ClockSample | None],
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.own = own
        self._load = sample
        self._monotonic = monotonic
        self._sample = sample()

    def reload(self) -> None:
        self._sample = self._load()

    def reading(self) -> ClockReading:
        return read_clock(self._sample, self.own.now(), self._monotonic())

    def now(self) -> datetime:
        return self.own.now() + self.reading().correction

    def decided(self) -> tuple[datetime, ClockReading]:
        """The door's time now with the reading it came from (one reading for both)."""
        reading = self.reading()
        return self.own.now() + reading.correction, reading
