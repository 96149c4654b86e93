"""Doctor's checks of the link to the companion API: enrolment, reachability, token, clock."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta

from scanner.app.findings import DoctorSettings, Finding, Level
from scanner.app.version import program
from scanner.store import inspection, sealing
from scanner.store.device import Enrolment
from scanner.sync.client import ApiClient
from scanner.sync.errors import DeviceRevoked, SnapshotRequired, SyncError, Unreachable
from scanner.sync.state import CLOCK_WARNING_S


def check_server(settings: DoctorSettings) -> Iterator[Finding]:
    if not inspection.inspect_file(settings.data_dir).usable:
        return  # the data file finding already says what to do
    on_file = inspection.device_on_file(settings.data_dir)
    revoked, sealed = on_file.revoked, on_file.sealed_token
    key = sealing.key_path()
    if sealed and (not key.exists() or sealing.key_problem(key, [sealed])):
        return  # the device key finding says what to do (and unsealing would make a key)
    enrolment = inspection.enrolment_on_file(settings.data_dir)
    if revoked:
        yield Finding(
            "enrolment",
            Level.PROBLEM,
            f"the server revoked this device ({revoked})",
            "ask the organiser for a new enrolment code and enrol again",
        )
        return
    if enrolment is None:
        yield Finding(
            "enrolment",
            Level.INFO,
            "not enrolled with a server: this door works offline on imported data",
            f"to sync with other doors, enrol with `{program()} enroll URL CODE`",
        )
        return
    yield Finding(
        "enrolment",
        Level.OK,
        f"enrolled as {enrolment.device_id} at {enrolment.door}",
        "",
        {"server_url": enrolment.server_url, "device_id": enrolment.device_id},
    )
    yield from _talk(enrolment, settings)


def _talk(enrolment: Enrolment, settings: DoctorSettings) -> Iterator[Finding]:
    url = enrolment.server_url
    anonymous = ApiClient(url, timeout=settings.timeout_s)
    try:
        sent = settings.clock.now()
        started = time.monotonic()
        health = anonymous.health()
        elapsed = timedelta(seconds=time.monotonic() - started)
    except SyncError as exc:
        yield Finding(
            "server",
            Level.WARNING,
            f"the server at {url} cannot be reached: {exc}",
            "scanning goes on offline; check the network or ask whoever runs the server",
            {"server_url": url},
        )
        return
    finally:
        anonymous.close()
    yield Finding(
        "server",
        Level.OK,
        f"server reachable ({elapsed.total_seconds() * 1000:.0f} ms)",
        "",
        {"server_url": url, "round_trip_ms": round(elapsed.total_seconds() * 1000)},
    )
    yield _skew(health.get("server_time"), sent + elapsed / 2)
    yield _token(enrolment, settings.timeout_s)


def _skew(server_time: object, local: datetime) -> Finding:
    try:
        offset = (datetime.fromisoformat(str(server_time)) - local).total_seconds()
    except ValueError:
        return Finding(
            "clock",
            Level.WARNING,
            "the server did not say its time",
            "upgrade the companion API",
        )
    details: dict[str, object] = {"offset_s": round(offset, 1)}
    if abs(offset) <= CLOCK_WARNING_S:
        return Finding(
            "clock", Level.OK, f"clock within {abs(offset):.0f} s of the server's", "", details
        )
    direction = "behind" if offset > 0 else "ahead of"
    return Finding(
        "clock",
        Level.WARNING,
        f"this device's clock is {abs(offset) / 60:.0f} min {direction} the server's",
        "set the date and time (or turn on automatic time): day rules and reports use it",
        details,
    )


def _token(enrolment: Enrolment, timeout_s: float) -> Finding:
    client = ApiClient(enrolment.server_url, enrolment.token, timeout=timeout_s)
    try:
        client.changes(enrolment.event_id, None)
    except DeviceRevoked:
        return Finding(
            "token",
            Level.PROBLEM,
            "the server no longer accepts this device's token",
            "ask the organiser for a new enrolment code and enrol again",
        )
    except SnapshotRequired:
        pass  # the token was accepted
    except Unreachable as exc:
        return Finding(
            "token", Level.WARNING, f"the token could not be checked: {exc}", "run doctor again"
        )
    except SyncError as exc:
        return Finding(
            "token",
            Level.PROBLEM,
            f"the server refused this device's request: {exc}",
            "enrol the device again for this event",
        )
    finally:
        client.close()
    return Finding("token", Level.OK, "the server accepts this device's token")
