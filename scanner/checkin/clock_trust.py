"""How far a device's clock may be off before anyone stops trusting it (docs/sync.md, "Clocks").

Shared by the door (it corrects its own time by the server's), the server (it never trusts a
scan time far ahead of its own receive time) and the reports (they list such entries). Pure:
the times are passed in.
"""

from __future__ import annotations

from datetime import datetime, timedelta

# A clock off by more than this is wrong: the door window warns until it is right, the kiosk goes
# out of order until a lead confirms, and the server judges such a device's scans by its own
# receive time.
CLOCK_TOLERANCE = timedelta(minutes=5)
# A correction larger than this is told with the verdict (smaller ones are everyday drift).
CLOCK_NOTE = timedelta(minutes=2)


def server_time_text(value: object) -> datetime | None:
    """A time the server sent (ISO 8601 with its offset); None when absent or unreadable."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def ahead_of_receipt(scanned_at: datetime, received_at: datetime) -> timedelta | None:
    """How far a scan time lies ahead of the moment the server received it, when that is beyond
    the tolerance (a scan cannot be recorded after it arrived: the device's clock was ahead);
    None for a time that can be trusted."""
    ahead = scanned_at - received_at
    return ahead if ahead > CLOCK_TOLERANCE else None


def trusted_time(scanned_at: datetime, received_at: datetime) -> datetime:
    """The time to judge a scan by: the device's, unless it lies too far ahead of receipt; then
    the receipt (the scan happened at the latest then)."""
    return received_at if ahead_of_receipt(scanned_at, received_at) else scanned_at


def size_words(offset: timedelta) -> str:
    """'40 s' / '1440 min': how large a difference of clocks is."""
    seconds = abs(offset.total_seconds())
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"


def minutes_words(offset: timedelta) -> str:
    """'1440 min ahead' / '7 min behind' / '40 s ahead': how a clock differs, in words. A
    positive offset is a clock ahead."""
    return f"{size_words(offset)} {'ahead' if offset.total_seconds() > 0 else 'behind'}"


def clock_wrong_words(device: str, ahead: timedelta) -> str:
    """What an organizer reads of a device whose scan times lay ahead of their receipt."""
    return f"clock wrong on device {device}: scan times up to {minutes_words(ahead)} of receipt"
