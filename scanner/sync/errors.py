"""What can go wrong talking to the companion API, as types the engine dispatches on (never the
words of a message): retry later (the network, a proxy or the server is unwell), wait (429), take
a fresh snapshot (410), narrow a batch our server cannot take, or lock the door (revocation)."""

from __future__ import annotations

# The companion API's machine-readable reasons the scanner acts on (server_stub/api/deps.py,
# routes/sync.py). Anything else is shown in words and retried.
REVOKED_REASON = "device_revoked"
SNAPSHOT_REASON = "snapshot_required"


class SyncError(Exception):
    """Base: the message is plain words for door staff and technicians."""


class UnsentEntries(SyncError):
    """Re-enrolling or resetting would strand journal entries that were never uploaded."""


class Unreachable(SyncError):
    """No usable answer: a timeout, a cut connection, a 5xx: retried with backoff."""


class NoConnection(Unreachable):
    """Nothing answered at all (no network, the server is down): the door is offline."""


class BadAnswer(Unreachable):
    """An answer that is not what was asked for (not JSON, wrong shape, other entry ids)."""


class RateLimited(SyncError):
    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Answered(SyncError):
    """An HTTP error status. `reason` is the companion API's machine-readable code when the body
    is the API's own error shape (`{"reason", "detail"}`), else None: a proxy, a captive portal or
    a load balancer answered, and nothing can be concluded about the request's content."""

    def __init__(self, status: int, reason: str | None, detail: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.detail = detail

    @property
    def from_api(self) -> bool:
        return self.reason is not None

    @property
    def about_content(self) -> bool:
        """Our server could not take what was sent (a malformed, oversized or poison entry):
        a smaller batch may pass. Auth, routing and rate answers are never about content."""
        return self.from_api and (self.status >= 500 or self.status in (400, 413, 422))


class ServerFailed(Answered, Unreachable):
    """A 5xx: retried with backoff (a batch of entries is narrowed when it is our server's)."""


class Refused(Answered):
    """A 4xx other than the ones below: nothing is settled by it; the cycle fails and retries."""


class NotAuthorized(Refused):
    """A 401 that is not a revocation (token missing or unknown: a proxy stripping the header, a
    server restored from a backup). Never wipes or locks the door; retried with backoff."""


class DeviceRevoked(SyncError):
    """The server said, with its specific reason code, that it revoked this very device."""


class SnapshotRequired(SyncError):
    """The cursor is older than the server keeps: take a fresh snapshot."""


class NotEnrolled(SyncError):
    """This device has not been enrolled with a companion API."""
