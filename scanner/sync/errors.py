"""What can go wrong talking to the companion API, split the way the outbox must act on it:
retry later (the network or the server is unwell), wait (429), or stop and record (a 4xx)."""

from __future__ import annotations


class SyncError(Exception):
    """Base: the message is plain words for door staff and technicians."""


class Unreachable(SyncError):
    """No answer, a timeout, a cut connection or a 5xx: retried with backoff."""


class RateLimited(SyncError):
    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Refused(SyncError):
    """The server said no to this request (a 4xx other than the ones below): not retried."""

    def __init__(self, status: int, reason: str, detail: str) -> None:
        super().__init__(f"the server refused the request ({status} {reason}): {detail}")
        self.status = status
        self.reason = reason
        self.detail = detail


class DeviceRevoked(SyncError):
    """The server no longer knows this device's token: re-enrol."""


class SnapshotRequired(SyncError):
    """The cursor is older than the server keeps: take a fresh snapshot."""


class NotEnrolled(SyncError):
    """This device has not been enrolled with a companion API."""
