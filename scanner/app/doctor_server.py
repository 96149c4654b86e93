"""Doctor's checks of the link to the companion API: enrolment, reachability, token, clock."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta

from scanner.app.clock import monotonic_of
from scanner.app.door_clock import ClockReading, ClockState, read_clock
from scanner.app.findings import DoctorSettings, Finding, Level
from scanner.app.version import program
from scanner.store import inspection, sealing
from scanner.store.device import Enrolment
from scanner.sync.client import ApiClient
from scanner.sync.errors import DeviceRevoked, SnapshotRequired, SyncError, Unreachable


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
        yield stored_clock(settings)
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
        yield stored_clock(settings)
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
        offset = datetime.fromisoformat(str(server_time)) - local
    except ValueError:
        return Finding(
            "clock",
            Level.WARNING,
            "the server did not say its time",
            "upgrade the companion API",
        )
    return clock_finding(ClockReading(ClockState.CORRECTED, offset, local))


def stored_clock(settings: DoctorSettings) -> Finding:
    """The door's clock as its last sync measured it (no server to ask now)."""
    sample = inspection.clock_on_file(settings.data_dir)
    own = settings.clock.now()
    return clock_finding(read_clock(sample, own, monotonic_of(settings.clock)()), own)


def clock_finding(reading: ClockReading, own: datetime | None = None) -> Finding:
    """What doctor says of the clock, in the words status and sync use."""
    details: dict[str, object] = {"state": str(reading.state)}
    if reading.offset is not None:
        details["offset_s"] = round(reading.offset.total_seconds(), 1)
    summary = reading.words()
    if reading.state is not ClockState.CORRECTED and own is not None:
        summary += f" (it reads {own:%Y-%m-%d %H:%M} UTC)"
    if reading.wrong:
        level = Level.PROBLEM  # a kiosk is out of order, the window warns
    elif reading.told:
        level = Level.WARNING
    else:
        level = Level.OK if reading.state is ClockState.CORRECTED else Level.INFO
    return Finding("clock", level, summary, reading.advice(), details)


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
