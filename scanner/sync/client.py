"""The companion API over HTTP (docs/server.md). One method per call the scanner makes; every
failure becomes one of the errors in `errors.py`."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from functools import cache
from typing import IO, Any

import httpx

from scanner.checkin.change_records import ChangePage, PageError
from scanner.checkin.line_reader import InputTooLarge, chunk_lines
from scanner.checkin.uploads import AnswerError, UploadAnswer, UploadEntry
from scanner.sync.errors import (
    REVOKED_REASON,
    SNAPSHOT_REASON,
    BadAnswer,
    DeviceRevoked,
    NoConnection,
    NotAuthorized,
    RateLimited,
    Refused,
    ServerFailed,
    SnapshotRequired,
    Unreachable,
)

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
WAIT_HEADER = "Changes-Wait"  # the server held a long-poll (one before it answers at once)
WAIT_MARGIN_S = 15.0  # a held answer may take this much longer than the wait asked for


def _client_options(server_url: str, token: str | None) -> dict[str, Any]:
    return {
        "base_url": server_url.rstrip("/") + "/api/v1",
        # User-Agent: the organizer's page shows each door's version
        "headers": {
            **({"Authorization": f"Bearer {token}"} if token else {}),
            "User-Agent": user_agent(),
        },
    }


@cache
def user_agent() -> str:
    from importlib import metadata  # slow to import: once, when the first client is made

    try:
        version = metadata.version("door-scanner")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return f"door-scanner/{version}"


class ApiClient:
    def __init__(
        self,
        server_url: str,
        token: str | None = None,
        *,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._http = httpx.Client(
            **_client_options(server_url, token), timeout=timeout, transport=transport
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def enroll(self, code: str, name: str | None = None) -> dict[str, Any]:
        return self._json("POST", "/enroll", json={"code": code, "name": name})

    def health(self) -> dict[str, Any]:
        return self._json("GET", "/health")

    def changes(self, event_id: str, since: str | None) -> ChangePage:
        params = {"since": since} if since else {}
        return _page(self._json("GET", f"/events/{event_id}/changes", params=params))

    def upload(
        self,
        event_id: str,
        entries: Sequence[UploadEntry],
        sent_at: datetime | None = None,
        waiting: int | None = None,
    ) -> UploadAnswer:
        """The server's answer for each entry, checked to be for exactly these, in order.
        `sent_at` (the door's clock, as the Date header) and `waiting` (entries left after
        these) tell the organizer how the door is doing."""
        wire = {"entries": [entry.to_wire() for entry in entries]}
        headers = {}
        if sent_at is not None:
            headers["Date"] = format_datetime(sent_at.astimezone(UTC), usegmt=True)
        if waiting is not None:
            headers["Door-Waiting"] = str(waiting)
        body = self._json("POST", f"/events/{event_id}/checkins", json=wire, headers=headers)
        try:
            return UploadAnswer.from_wire(body, entries)
        except AnswerError as exc:
            raise BadAnswer(str(exc)) from None

    def download_snapshot(
        self,
        event_id: str,
        sink: IO[bytes],
        progress: Callable[[int, int | None], None] | None = None,
    ) -> int:
        """Stream the snapshot into `sink`; returns the number of lines. `progress` gets the
        records so far and the total the header announces, every thousand lines."""
        lines, total = 0, None
        try:
            # A door needs the event's HS256 keys to verify codes; the server sends them on request.
            params = {"secrets": "include"}
            with self._http.stream(
                "GET", f"/events/{event_id}/snapshot", params=params
            ) as response:
                _raise_for(response, read=True)
                for line in chunk_lines(response.iter_bytes()):
                    sink.write(line)
                    lines += 1
                    if lines == 1:
                        total = _announced_records(line)
                    elif progress is not None and lines % 1000 == 0:
                        progress(lines - 1, total)
        except httpx.TransportError as exc:
            raise _transport_error(exc) from None
        except InputTooLarge as exc:  # a line or a whole download past any real snapshot
            raise BadAnswer(f"the server's snapshot was refused: {exc}") from None
        return lines

    def _json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            raise _transport_error(exc) from None
        return _body(response, path)


@dataclass(frozen=True)
class Waited:
    """A long-poll's answer: the page, and whether the server held it (`wait` is newer than
    some servers: an older one answers at once, without the Changes-Wait header)."""

    page: ChangePage
    held: bool


class ChangeWaiter:
    """The changes feed as a long-poll, on its own connection: asyncio, so that closing the
    door cancels a wait at once instead of waiting it out (the sync watch runs it)."""

    def __init__(
        self,
        server_url: str,
        token: str | None = None,
        *,
        connect_s: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._connect_s = connect_s
        self._http = httpx.AsyncClient(**_client_options(server_url, token), transport=transport)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def wait(self, event_id: str, since: str, wait_s: float) -> Waited:
        """The changes after `since`, as soon as there are any, or none after `wait_s`."""
        path = f"/events/{event_id}/changes"
        timeout = httpx.Timeout(wait_s + WAIT_MARGIN_S, connect=self._connect_s)
        params = {"since": since, "wait": f"{wait_s:g}"}
        try:
            response = await self._http.get(path, params=params, timeout=timeout)
        except httpx.TransportError as exc:
            raise _transport_error(exc) from None
        return Waited(_page(_body(response, path)), WAIT_HEADER in response.headers)


def _body(response: httpx.Response, path: str) -> dict[str, Any]:
    _raise_for(response)
    try:
        body = response.json()
    except ValueError:
        raise BadAnswer(f"the server answered {path} with something that is not JSON") from None
    if not isinstance(body, dict):
        raise BadAnswer(f"the server answered {path} with an unexpected shape")
    return body


def _page(body: dict[str, Any]) -> ChangePage:
    try:
        return ChangePage.from_wire(body)
    except PageError as exc:
        raise BadAnswer(str(exc)) from None


def _announced_records(header: bytes) -> int | None:
    try:
        records = json.loads(header).get("records")
    except (ValueError, AttributeError):
        return None  # the reader will say what is wrong with the header
    return records if isinstance(records, int) else None


def _transport_error(exc: httpx.TransportError) -> Unreachable:
    if isinstance(exc, httpx.TimeoutException):
        return Unreachable("the server did not answer in time")
    if isinstance(exc, httpx.ConnectError):
        return NoConnection("cannot reach the server (no network, or the server is down)")
    return Unreachable(f"the connection to the server broke ({type(exc).__name__})")


def _raise_for(response: httpx.Response, *, read: bool = False) -> None:
    status = response.status_code
    if status < 400:
        return
    if read:
        response.read()
    reason, detail = _reason(response)
    said = f"{status} {reason}" if reason else f"{status}, not from the companion API"
    if status >= 500:
        raise ServerFailed(status, reason, detail, f"the server failed ({said}); retrying")
    if status == 429:
        raise RateLimited("the server asks to slow down", _retry_after(response))
    if status == 401 and reason == REVOKED_REASON:
        raise DeviceRevoked(f"the server revoked this device ({detail or reason})")
    if status == 401:
        raise NotAuthorized(
            status,
            reason,
            detail,
            f"the server did not accept this device's token ({said}); retrying (if it lasts, a"
            " proxy may drop the header or the server lost this device: ask the organizer)",
        )
    if status == 410 and reason == SNAPSHOT_REASON:
        raise SnapshotRequired("the server asks for a fresh snapshot")
    words = f"the server refused the request ({said})" + (f": {detail}" if detail else "")
    raise Refused(status, reason, detail, words + "; retrying")


def _reason(response: httpx.Response) -> tuple[str | None, str]:
    """The API's reason code and detail, or None when the body is not the API's error shape."""
    try:
        body = response.json()
    except ValueError:
        return None, ""
    if not isinstance(body, dict) or not isinstance(body.get("reason"), str):
        return None, ""
    detail = body.get("detail", "")
    return body["reason"], (detail if isinstance(detail, str) else json.dumps(detail))[:500]


def _retry_after(response: httpx.Response) -> float:
    try:
        return max(0.0, min(float(response.headers.get("Retry-After", "5")), 300.0))
    except ValueError:
        return 5.0
