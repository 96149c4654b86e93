"""Per-address rate limits for enrolment and organizer endpoints (429 with Retry-After).

A token bucket per client address, in this process's memory: behind a load balancer each
process limits on its own (docs/server.md), which bounds guessing all the same.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from fastapi import Request

from server_stub.api.errors import ApiError

MAX_ADDRESSES = 10_000  # forget idle addresses beyond this many


class RateLimiter:
    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.refill = per_minute / 60.0  # tokens per second
        self.clock = clock
        self.buckets: dict[str, tuple[float, float]] = {}  # address -> (tokens, at)
        self.lock = threading.Lock()

    def take(self, address: str) -> float | None:
        """None when the request may go on; otherwise the seconds until it may."""
        return self._use(address, spend=True)

    def wait(self, address: str) -> float | None:
        """Like `take`, but spends nothing: for limits that count only failed attempts."""
        return self._use(address, spend=False)

    def _use(self, address: str, spend: bool) -> float | None:
        now = self.clock()
        with self.lock:
            tokens, at = self.buckets.get(address, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - at) * self.refill)
            if tokens < 1:
                self.buckets[address] = (tokens, now)
                return (1 - tokens) / self.refill
            self.buckets[address] = (tokens - 1 if spend else tokens, now)
            if len(self.buckets) > MAX_ADDRESSES:
                self._forget_idle(now)
        return None

    def _forget_idle(self, now: float) -> None:
        full = [a for a, (t, at) in self.buckets.items() if t + (now - at) * self.refill >= 1]
        for address in full:
            del self.buckets[address]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def refuse_for(wait: float) -> ApiError:
    seconds = str(max(1, math.ceil(wait)))
    return ApiError(
        429,
        "rate_limited",
        f"too many requests from this address; try again in {seconds} s",
        {"Retry-After": seconds},
    )


def rate_limited(name: str, failures_only: bool = False) -> Callable[[Request], None]:
    """A dependency: the limiter `app.state.limiters[name]`, keyed by the client's address.
    With `failures_only` it only checks; the route spends a token when an attempt fails."""

    def dependency(request: Request) -> None:
        limiter: RateLimiter = request.app.state.limiters[name]
        address = client_address(request)
        wait = limiter.wait(address) if failures_only else limiter.take(address)
        if wait is not None:
            raise refuse_for(wait)

    return dependency
