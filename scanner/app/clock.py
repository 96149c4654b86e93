"""The clock: the only place that reads the time. Everything below it is handed `now`.

A clock may also have a monotonic side (seconds that no one sets): the door tells by it whether
its own clock was changed since sync measured it (`scanner.app.door_clock`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable


class Clock(Protocol):
    def now(self) -> datetime: ...


@runtime_checkable
class SteadyClock(Protocol):
    def monotonic(self) -> float: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()


class FixedClock:
    """A clock for tests and demos that moves only when told. Moving `moment` is time passing
    (its monotonic side moves with it); `set_to` is someone setting the clock (it does not)."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment
        self._set_by_hand = timedelta()

    def now(self) -> datetime:
        return self.moment

    def monotonic(self) -> float:
        return (self.moment - self._set_by_hand).timestamp()

    def set_to(self, moment: datetime) -> None:
        self._set_by_hand += moment - self.moment
        self.moment = moment


def monotonic_of(clock: Clock) -> Callable[[], float]:
    """The clock's monotonic side, else the system's."""
    return clock.monotonic if isinstance(clock, SteadyClock) else time.monotonic
