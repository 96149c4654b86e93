"""What sync left in the store: when it last pulled and pushed, what waits or is held back, the
server's clock, and the conflicts and set-aside records a door shows beside its link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from scanner.store import outbox, set_aside, tickets
from scanner.store.conflicts import conflicts
from scanner.store.records import get_setting

LAST_PULL_AT = "last_pull_at"
LAST_PUSH_AT = "last_push_at"
CLOCK_OFFSET_S = "clock_offset_s"
CLOCK_MEASURED_AT = "clock_measured_at"  # this device's own clock when it was measured
CLOCK_MEASURED_MONO = "clock_measured_mono"  # ...and its monotonic clock (seconds) then


@dataclass(frozen=True)
class ClockSample:
    """The last measurement of this device's clock against the server's."""

    offset_s: float  # the server's clock minus ours
    measured_at: datetime  # our own (uncorrected) clock at the measurement
    monotonic_s: float | None  # the monotonic clock then (None: not known, an older build)

    def values(self) -> dict[str, str]:
        """The settings that keep it."""
        mono = "" if self.monotonic_s is None else f"{self.monotonic_s:.6f}"
        return {
            CLOCK_OFFSET_S: f"{self.offset_s:.3f}",
            CLOCK_MEASURED_AT: self.measured_at.isoformat(),
            CLOCK_MEASURED_MONO: mono,
        }


def read_sample(conn: Connection) -> ClockSample | None:
    """The last measurement, None before any (an older build kept the offset only: without
    its time it cannot be judged fresh, so it counts as none)."""
    offset, at = get_setting(conn, CLOCK_OFFSET_S), stamp(conn, CLOCK_MEASURED_AT)
    if offset is None or at is None:
        return None
    mono = get_setting(conn, CLOCK_MEASURED_MONO)
    return ClockSample(float(offset), at, float(mono) if mono else None)


@dataclass(frozen=True)
class SyncFigures:
    last_pull_at: datetime | None
    last_push_at: datetime | None
    waiting: int  # entries never uploaded yet
    held_reasons: dict[str, int]  # why entries are held back, with how many each
    conflicts: int
    set_aside: int
    clock_offset_s: float | None  # the server's clock minus ours


def read_figures(conn: Connection) -> SyncFigures:
    offset = get_setting(conn, CLOCK_OFFSET_S)
    return SyncFigures(
        last_pull_at=stamp(conn, LAST_PULL_AT),
        last_push_at=stamp(conn, LAST_PUSH_AT),
        waiting=outbox.upload_counts(conn).get("pending", 0),
        held_reasons=outbox.held_reasons(conn),
        conflicts=_conflict_count(conn),
        set_aside=_set_aside_count(conn),
        clock_offset_s=None if offset is None else float(offset),
    )


def stamp(conn: Connection, key: str) -> datetime | None:
    value = get_setting(conn, key)
    return None if value is None else datetime.fromisoformat(value)


def _conflict_count(conn: Connection) -> int:
    try:
        return len(conflicts(conn))
    except tickets.NoEventError:
        return 0


def _set_aside_count(conn: Connection) -> int:
    try:
        return set_aside.count(conn, tickets.current_event_id(conn))
    except tickets.NoEventError:
        return 0
