"""Tokens, scopes and bad input: every refusal is a 4xx with a machine-readable reason."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from server_stub.testing import LiveServer, SeededEvent, seed_event
from tests.server.helpers import Door, enroll

DEVICE_PATHS = ["snapshot", "changes"]
ORGANIZER_PATHS = ["conflicts", "stats", "export.csv"]


def test_health_needs_no_token(anonymous: httpx.Client) -> None:
    answer = anonymous.get("/health")
    assert answer.status_code == 200
    assert answer.json()["status"] == "ok"


def test_enrolment_code_is_one_time(server: LiveServer, event: SeededEvent) -> None:
    code = event.enrollment_code("south")
    first = httpx.post(f"{server.api}/enroll", json={"code": code.upper().replace("-", " ")})
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["event_id"] == event.event_id and body["door"] == "south"
    assert body["token"].startswith(body["device_id"] + ".")
    again = httpx.post(f"{server.api}/enroll", json={"code": code})
    assert again.status_code == 403
    assert again.json()["reason"] == "enrollment_code_used"
    unknown = httpx.post(f"{server.api}/enroll", json={"code": "aaaa-bbbb-cccc"})
    assert unknown.json()["reason"] == "enrollment_code_unknown"


def test_expired_enrolment_code(server: LiveServer, event: SeededEvent) -> None:
    from server_stub.models import Event
    from server_stub.services.devices import create_enrollment_code

    with server.db.writing() as session:
        row = session.get(Event, event.event_id)
        assert row is not None
        code, _ = create_enrollment_code(session, row, "north", None, ttl_s=-1)
    answer = httpx.post(f"{server.api}/enroll", json={"code": code})
    assert (answer.status_code, answer.json()["reason"]) == (403, "enrollment_code_expired")


@pytest.mark.parametrize("path", DEVICE_PATHS + ORGANIZER_PATHS)
def test_no_token_or_bad_token_is_401(
    anonymous: httpx.Client, event: SeededEvent, path: str
) -> None:
    url = f"/events/{event.event_id}/{path}"
    assert anonymous.get(url).json()["reason"] == "token_missing"
    for token in ("nonsense", "dxxxxxxxxxx.secret", event.organizer_token + "x"):
        answer = anonymous.get(url, headers={"Authorization": f"Bearer {token}"})
        assert (answer.status_code, answer.json()["reason"]) == (401, "token_invalid")


def test_tokens_reach_only_their_own_event(
    server: LiveServer, device: Door, organizer: httpx.Client
) -> None:
    other = seed_event(server.database_url, tickets_per_type=1)
    for path in DEVICE_PATHS:
        answer = device.client.get(f"/events/{other.event_id}/{path}")
        assert (answer.status_code, answer.json()["reason"]) == (403, "wrong_event")
        assert organizer.get(f"/events/{other.event_id}/{path}").status_code == 403
    upload = device.client.post(f"/events/{other.event_id}/checkins", json={"entries": []})
    assert upload.status_code == 403
    for path in ORGANIZER_PATHS:
        assert organizer.get(f"/events/{other.event_id}/{path}").status_code == 403
        answer = device.client.get(f"/events/{device.event_id}/{path}")
        assert answer.json()["reason"] == "organizer_token_required"
    answer = organizer.post(f"/events/{device.event_id}/checkins", json={"entries": []})
    assert answer.json()["reason"] == "device_token_required"


def test_revoked_device_is_locked_out(server: LiveServer, event: SeededEvent) -> None:
    from server_stub.services.devices import revoke_device

    with enroll(server, event, "east") as door:
        assert door.client.get(f"/events/{event.event_id}/changes").status_code == 200
        with server.db.writing() as session:
            assert revoke_device(session, event.event_id, door.device_id)
        answer = door.client.get(f"/events/{event.event_id}/changes")
        assert (answer.status_code, answer.json()["reason"]) == (401, "device_revoked")


def test_bad_bodies_get_4xx_with_reasons(device: Door) -> None:
    url = f"/events/{device.event_id}/checkins"
    cases = [
        (b"{not json", 422),
        (b'{"entries": "x"}', 422),
        (b'{"entries": [{"id": "nope"}]}', 422),
        (b"\xff\xfe", 422),
    ]
    for body, status in cases:
        answer = device.client.post(url, content=body, headers={"Content-Type": "application/json"})
        assert answer.status_code == status, body
        assert answer.json()["reason"] == "invalid_request"
    nul = device.entry("x\u0000y")
    assert device.client.post(url, json={"entries": [nul]}).status_code == 422
    too_many = [device.entry("t") for _ in range(501)]
    assert device.client.post(url, json={"entries": too_many}).status_code == 422
    huge = b'{"entries": [], "pad": "' + b"x" * (3 * 1024 * 1024) + b'"}'
    answer = device.client.post(url, content=huge, headers={"Content-Type": "application/json"})
    assert (answer.status_code, answer.json()["reason"]) == (413, "body_too_large")


def test_unknown_routes_and_methods(anonymous: httpx.Client) -> None:
    assert anonymous.get("/nope").json()["reason"] == "not_found"
    assert anonymous.delete("/health").json()["reason"] == "method_not_allowed"


def test_chunked_body_over_the_limit_is_413(device: Door) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"entries": [], "pad": "'
        for _ in range(40):
            yield b"x" * 100_000
        yield b'"}'

    answer = device.client.post(
        f"/events/{device.event_id}/checkins",
        content=chunks(),
        headers={"Content-Type": "application/json"},
    )
    assert (answer.status_code, answer.json()["reason"]) == (413, "body_too_large")


def test_unexpected_errors_are_500_and_logged_without_data(
    organizer: httpx.Client,
    event: SeededEvent,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from server_stub.services import reports

    secret = "ann" + "@example.com"  # the log shows source lines: keep the data out of them

    def broken(*_args: object) -> None:
        raise RuntimeError(f"Ann Lee, {secret}")

    monkeypatch.setattr(reports, "stats", broken)
    with caplog.at_level("ERROR"):
        answer = organizer.get(f"/events/{event.event_id}/stats")
    assert (answer.status_code, answer.json()["reason"]) == (500, "internal_error")
    assert "RuntimeError" in caplog.text and "ann@example.com" not in caplog.text


@pytest.mark.parametrize("body", [b"{{{ not json", b'{"entries": "x"}', b"\xff\xfe"])
def test_token_is_checked_before_the_body(
    anonymous: httpx.Client, device: Door, event: SeededEvent, body: bytes
) -> None:
    url = f"/events/{event.event_id}/checkins"
    headers = {"Content-Type": "application/json"}
    answer = anonymous.post(url, content=body, headers=headers)
    assert (answer.status_code, answer.json()["reason"]) == (401, "token_missing")
    assert "entries" not in answer.text and "loc" not in answer.text
    bad = {**headers, "Authorization": "Bearer dxxxxxxxxxx.secret"}
    assert anonymous.post(url, content=body, headers=bad).status_code == 401
    assert device.client.post(url, content=body, headers=headers).status_code == 422
