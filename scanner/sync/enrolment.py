"""Enrolling a device: an enrolment code becomes a device token, then the first snapshot."""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from scanner.checkin.clock_trust import server_time_text
from scanner.checkin.keyring import b64u_decode
from scanner.store import device
from scanner.store.store import Store
from scanner.sync.clock_check import measure
from scanner.sync.engine import ClientFactory, Progress, Syncer, default_client
from scanner.sync.errors import Refused, SyncError, UnsentEntries
from scanner.sync.state import SyncState


def unsent(store: Store) -> int:
    return store.unsent_count()


def require_nothing_unsent(store: Store) -> None:
    waiting = unsent(store)
    if waiting:
        raise UnsentEntries(
            f"{waiting} journal entries were never uploaded: export them first "
            "(--export FILE) or say they may stay unsent (--discard)"
        )


def enroll(
    store: Store,
    server_url: str,
    code: str,
    now: Callable[[], datetime],
    *,
    name: str | None = None,
    progress: Progress | None = None,
    client_factory: ClientFactory = default_client,
    monotonic: Callable[[], float] = time.monotonic,
) -> SyncState:
    """Trade the code for a token, trust the platform's snapshot key, pull the first snapshot.
    The answer's time measures this device's clock (`scanner enroll` tells a wrong one)."""
    require_nothing_unsent(store)
    client = client_factory(server_url, None)
    try:
        sent_at = now()
        answer = client.enroll(code.strip(), name)
        received_at = now()
    except Refused as exc:
        raise SyncError(f"enrolment refused: {exc.detail or exc.reason or exc}") from None
    finally:
        client.close()
    enrolment, public = _enrolment(server_url, answer)
    store.save_enrolment(enrolment, name, public, now())  # the name: what staff see for it
    server_time = server_time_text(answer.get("server_time"))
    if server_time is not None:
        store.record_clock(measure(server_time, sent_at, received_at, monotonic()))
    peers = _peer_secret(answer)
    if peers is not None:  # a server before the doors heard each other sends none
        store.set_peer_secret(peers, "enrolment")
    syncer = Syncer(store, now, client_factory, monotonic=monotonic)
    try:
        return syncer.run_once(progress)
    finally:
        syncer.close()  # its HTTP connection must not outlive the enrolment


def _enrolment(server_url: str, answer: dict[str, Any]) -> tuple[device.Enrolment, bytes]:
    try:
        public = b64u_decode(answer["platform_public_b64u"])
        enrolment = device.Enrolment(
            server_url=server_url,
            device_id=str(answer["device_id"]),
            event_id=str(answer["event_id"]),
            door=str(answer["door"]),
            checkin_list=answer.get("checkin_list"),
            token=str(answer["token"]),
        )
    except (KeyError, TypeError, ValueError):
        raise SyncError("the server's enrolment answer is incomplete") from None
    if len(public) != 32:
        raise SyncError("the server's snapshot key is not an Ed25519 key")
    return enrolment, public


def _peer_secret(answer: dict[str, Any]) -> bytes | None:
    value = answer.get("peer_secret_b64u")
    if not isinstance(value, str):
        return None
    try:
        secret = b64u_decode(value)
    except ValueError:
        raise SyncError("the server's peer secret is not base64url") from None
    if len(secret) < 16:
        raise SyncError("the server's peer secret is too short")
    return secret


def plain_http_warning(server_url: str) -> str | None:
    """Words for a technician enrolling over plain http:// to anything but this machine: the
    enrolment code, the device token and the attendee list would cross the network readable."""
    parts = urlsplit(server_url)
    if parts.scheme.lower() != "http":
        return None
    host = (parts.hostname or "").lower()
    try:
        if ipaddress.ip_address(host).is_loopback:
            return None
    except ValueError:
        if host == "localhost":
            return None
    return (
        f"warning: {server_url} is plain http:// to another machine: the token and the attendee "
        "list travel unencrypted; use https:// outside a closed test network"
    )
