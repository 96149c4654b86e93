"""Measuring this device's clock against the server's, from any answer that says its time."""

from __future__ import annotations

from datetime import datetime

from scanner.store.sync_figures import ClockSample


def measure(
    server: datetime, sent_at: datetime, received_at: datetime, monotonic_s: float
) -> ClockSample:
    """The server's clock minus ours, taking the server's time as of the middle of the round
    trip; kept with our own clock and the monotonic clock at the answer, which tell later
    whether our clock was changed since (docs/sync.md, "Clocks")."""
    midpoint = sent_at + (received_at - sent_at) / 2
    return ClockSample((server - midpoint).total_seconds(), received_at, monotonic_s)
