"""Small builders for the server tests: enrolled doors and journal entries."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from server_stub.cli import main
from server_stub.testing import LiveServer, SeededEvent

T0 = datetime(2025, 6, 1, 19, 0, tzinfo=timezone(timedelta(hours=2)))


@dataclass
class Door:
    client: httpx.Client
    device_id: str
    event_id: str
    door: str
    platform_public_b64u: str
    seq: int = 0

    def entry(self, ticket_id: str | None, minutes: float = 0, **extra: Any) -> dict[str, Any]:
        """A journal entry as this door would write it (an admission unless told otherwise)."""
        self.seq += 1
        entry: dict[str, Any] = {
            "id": str(uuid.uuid4()),
            "device_seq": self.seq,
            "kind": "scan",
            "ticket_id": ticket_id,
            "code_fp": None,
            "format": "TK1",
            "direction": "entry",
            "outcome": "admitted",
            "reason": "ok",
            "door": self.door,
            "operator": "tester",
            "scanned_at": (T0 + timedelta(minutes=minutes)).isoformat(),
            "day": None,
            "annuls": None,
            "note": None,
        }
        entry.update(extra)
        return entry

    def upload(self, *entries: dict[str, Any]) -> list[dict[str, Any]]:
        response = self.client.post(
            f"/events/{self.event_id}/checkins", json={"entries": list(entries)}
        )
        assert response.status_code == 200, response.text
        results: list[dict[str, Any]] = response.json()["results"]
        return results

    def changes(self, since: str | None = None) -> dict[str, Any]:
        params = {} if since is None else {"since": since}
        response = self.client.get(f"/events/{self.event_id}/changes", params=params)
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        return data


@contextmanager
def enroll(server: LiveServer, event: SeededEvent, door: str, **kw: Any) -> Iterator[Door]:
    code = event.enrollment_code(door, kw.get("checkin_list"))
    name = kw.get("name", door)  # the enrolment name (`scanner enroll --name`)
    answer = httpx.post(f"{server.api}/enroll", json={"code": code, "name": name}, timeout=30)
    assert answer.status_code == 200, answer.text
    data = answer.json()
    headers = {"Authorization": f"Bearer {data['token']}"}
    with httpx.Client(base_url=server.api, headers=headers, timeout=60) as client:
        yield Door(client, data["device_id"], data["event_id"], door, data["platform_public_b64u"])


class Cli:
    def __init__(self, db: str, capsys: pytest.CaptureFixture[str]) -> None:
        self.db, self.capsys = db, capsys

    def __call__(self, *args: str) -> Any:
        self.capsys.readouterr()
        assert main([*args, "--db", self.db, "--json"]) == 0
        return json.loads(self.capsys.readouterr().out)

    def fails(self, *args: str) -> str:
        self.capsys.readouterr()
        assert main([*args, "--db", self.db]) == 2
        return self.capsys.readouterr().err


def page_session(server: LiveServer, organizer_token: str) -> str:
    """Signs in on the organizers' page as a browser would; the session cookie's value."""
    with httpx.Client(base_url=server.url, timeout=30) as browser:
        form = browser.get("/organizer")
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert csrf is not None, form.text
        answer = browser.post(
            "/organizer/sign-in", data={"token": organizer_token, "csrf": csrf.group(1)}
        )
        assert answer.status_code == 303, answer.text
        return str(answer.cookies["organizer_session"])
