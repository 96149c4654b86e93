"""Enrolment and organizer endpoints are rate-limited per client address (issue 13 item 8)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from server_stub.api.ratelimit import RateLimiter
from server_stub.core.config import Settings
from server_stub.testing import LiveServer, live_server, seed_event, sqlite_url


@pytest.fixture
def strict_server(tmp_path: Path) -> Iterator[LiveServer]:
    url = sqlite_url(tmp_path)
    with live_server(url, Settings(url, enroll_per_minute=3, organizer_per_minute=5)) as running:
        yield running


def test_enrolment_attempts_are_limited_per_address(strict_server: LiveServer) -> None:
    answers = [
        httpx.post(f"{strict_server.api}/enroll", json={"code": f"aaaa-bbbb-ccc{n}"})
        for n in range(2, 6)
    ]
    assert [a.status_code for a in answers] == [403, 403, 403, 429]
    refused = answers[-1]
    assert refused.json()["reason"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60


def test_enrolments_that_succeed_are_not_limited(strict_server: LiveServer) -> None:
    """A technician enrolling a venue's doors one after another from one address."""
    event = seed_event(strict_server.database_url, tickets_per_type=1)
    codes = [event.enrollment_code(f"door {n}") for n in range(5)]
    answers = [httpx.post(f"{strict_server.api}/enroll", json={"code": c}) for c in codes]
    assert [a.status_code for a in answers] == [200] * 5


def test_organizer_endpoints_are_limited_per_address(strict_server: LiveServer) -> None:
    event = seed_event(strict_server.database_url, tickets_per_type=1)
    headers = {"Authorization": f"Bearer {event.organizer_token}"}
    url = f"{strict_server.api}/events/{event.event_id}/stats"
    statuses = [httpx.get(url, headers=headers).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    health = httpx.get(f"{strict_server.api}/health")  # doors' own calls are not counted here
    assert health.status_code == 200


def test_the_bucket_refills_with_time() -> None:
    now = [0.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    assert limiter.take("a") is None and limiter.take("a") is None
    wait = limiter.take("a")
    assert wait is not None and 29 < wait <= 30
    assert limiter.take("b") is None  # another address has its own bucket
    now[0] += 30
    assert limiter.take("a") is None
