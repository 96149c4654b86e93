"""This device's enrolment with the companion API; the lock a revocation puts on it and the
operator's wipe that lifts it."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, text

from scanner.checkin.keyring import b64u_decode, b64u_encode
from scanner.store.records import get_setting, put_setting
from scanner.store.sealing import seal, unseal

_KEYS = ("server_url", "enrolled_device_id", "enrolled_event_id", "door", "checkin_list")


@dataclass(frozen=True)
class Enrolment:
    server_url: str
    device_id: str
    event_id: str
    door: str
    checkin_list: str | None
    token: str = field(repr=False)  # never printed, never logged


def save_enrolment(conn: Connection, enrolment: Enrolment) -> None:
    values = (
        enrolment.server_url,
        enrolment.device_id,
        enrolment.event_id,
        enrolment.door,
        enrolment.checkin_list or "",
    )
    for key, value in zip(_KEYS, values, strict=True):
        put_setting(conn, key, value)
    put_setting(conn, "device_token", seal(enrolment.token))
    put_setting(conn, "device_id", enrolment.device_id)  # the server's name for this device
    conn.execute(text("DELETE FROM settings WHERE key = 'device_revoked'"))


def load_enrolment(conn: Connection) -> Enrolment | None:
    token = get_setting(conn, "device_token")
    if not token:
        return None
    url, device, event, door, checkin_list = (get_setting(conn, key) or "" for key in _KEYS)
    return Enrolment(url, device, event, door, checkin_list or None, unseal(token))


_WIPE_TABLES = (
    "tickets",
    "ticket_search",
    "revocations",
    "remote_passages",
    "event_days",
    "ticket_types",
    "checkin_lists",
    "events",
)


def forget(conn: Connection) -> None:
    """Forget the token, the attendee data and the keys; keep the journal (to export it)."""
    for table in _WIPE_TABLES:
        conn.execute(text(f"DELETE FROM {table}"))  # noqa: S608
    conn.execute(
        text(
            "DELETE FROM settings WHERE key IN ('device_token', 'event_id', 'event_generation',"
            " 'device_revoked', 'enrolled_event_id', 'server_url', 'device_name', 'peer_secret',"
            " 'peer_secret_origin')"
        )
    )


def save_peer_secret(conn: Connection, secret: bytes, origin: str) -> None:
    put_setting(conn, "peer_secret", seal(b64u_encode(secret)))
    put_setting(conn, "peer_secret_origin", origin)


def peer_secret(conn: Connection) -> bytes | None:
    stored = get_setting(conn, "peer_secret")
    return b64u_decode(unseal(stored)) if stored else None


class DeviceLocked(Exception):
    """The server revoked this device: no scan is recorded until an operator resets it. The
    attendee data, keys and journal stay (the journal was exported when the lock came)."""


def lock_for_revocation(conn: Connection, why: str) -> None:
    """Stop this door (the wipe is `scanner reset`, an operator's confirmed action)."""
    put_setting(conn, "device_revoked", why)


def revoked_reason(conn: Connection) -> str | None:
    return get_setting(conn, "device_revoked")


def ensure_unlocked(conn: Connection) -> None:
    why = revoked_reason(conn)
    if why:
        raise DeviceLocked(f"scanning is stopped: {why}; an operator wipes it with `scanner reset`")


def discard_pending(conn: Connection) -> int:
    """Stop uploading what waits; the entries stay in the journal, marked, never deleted."""
    result = conn.execute(
        text(
            "UPDATE journal SET upload_state = 'discarded'"
            " WHERE upload_state IN ('pending', 'held', 'rejected')"
        )
    )
    return int(result.rowcount)
