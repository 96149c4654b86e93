"""The self-service kiosk's rules, free of Qt: the lead PIN (a salted scrypt hash in the store),
its lockout after wrong tries, the staff QR code, how long a verdict stays, which part of a name
an attendee may see, and when the kiosk is out of order (a wrong clock: until a lead confirms).

Times come from an injected monotonic clock (seconds), so tests step time instead of waiting.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from pathlib import Path

from scanner.app import preferences
from scanner.app.door_clock import ClockReading
from scanner.app.errors import NoEventError, StoreError
from scanner.app.events import CameraState
from scanner.checkin.clock_trust import CLOCK_TOLERANCE
from scanner.checkin.reasons import Outcome
from scanner.checkin.records import Verdict
from scanner.store.location import DB_FILENAME, data_dir
from scanner.store.store import Store

PREFIX = "kiosk."
PIN_KEY = PREFIX + "pin_hash"
# What a lead confirmed of a wrong clock: "<offset in seconds> <state>" (docs/kiosk.md).
CLOCK_CONFIRMED_KEY = PREFIX + "clock_confirmed"
# A staff QR code carries the lead PIN behind this prefix (as pretixSCAN's staff codes do); it is
# checked like a typed PIN, so it obeys the same lockout.
STAFF_QR_PREFIX = "DOORSCANNER-STAFF:"
PIN_DIGITS = (4, 12)
MAX_TRIES = 5
LOCK_S = 60.0
# scrypt cost: about 50 ms and 16 MiB per check on a small kiosk PC; slow enough that a stolen
# data file does not give the PIN away in seconds, fast enough for a PIN pad.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
TOLERANCE_S = CLOCK_TOLERANCE.total_seconds()

Clock = Callable[[], float]


class Names(StrEnum):
    HIDDEN = "hidden"
    FIRST = "first"  # first name only


@dataclass(frozen=True)
class KioskSettings:
    enabled: bool = False  # `scanner window` opens the kiosk without --kiosk
    names: str = Names.HIDDEN.value
    admitted_s: float = 3.0  # an admission goes back to the attract screen after this...
    refused_s: float = 5.0  # ...a refusal (read by someone who may need to walk over) later
    language: str | None = None  # None follows the system's locale


def load_settings(store: Store) -> KioskSettings:
    return preferences.load_kind(store, KioskSettings, PREFIX)


def save_settings(store: Store, **changes: object) -> None:
    preferences.save_kind(store, KioskSettings, PREFIX, **changes)


# -- the lead PIN --------------------------------------------------------------------------------


def pin_problem(pin: str) -> str | None:
    low, high = PIN_DIGITS
    if not pin.isdigit() or not pin.isascii():
        return "the PIN is digits only"
    if not low <= len(pin) <= high:
        return f"the PIN has {low} to {high} digits"
    return None


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.scrypt(
        pin.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, maxmem=64 * 2**20, dklen=32
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        again = hashlib.scrypt(
            pin.encode(),
            salt=bytes.fromhex(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            maxmem=64 * 2**20,
            dklen=len(digest) // 2,
        )
    except ValueError:
        return False  # a damaged hash never opens the kiosk
    return hmac.compare_digest(again.hex(), digest)


def set_pin(store: Store, pin: str) -> None:
    problem = pin_problem(pin)
    if problem is not None:
        raise ValueError(problem)
    stored = hash_pin(pin)
    store.save_app_settings({PIN_KEY: stored})


def stored_pin(store: Store) -> str | None:
    return store.app_settings([PIN_KEY]).get(PIN_KEY) or None


def staff_code(pin: str) -> str:
    """The text of a staff QR code for `pin` (print it and keep it with the lead)."""
    return STAFF_QR_PREFIX + pin


def staff_pin(text: str) -> str | None:
    """The PIN in a scanned staff code, or None when the text is not one."""
    if text.startswith(STAFF_QR_PREFIX):
        return text[len(STAFF_QR_PREFIX) :].strip()
    return None


class PinCheck(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"  # too many wrong tries: nothing is checked until the lock ends
    NOT_SET = "not_set"


class PinGuard:
    """Checks PINs against the stored hash; MAX_TRIES wrong in a row lock it for LOCK_S."""

    def __init__(self, stored: str | None, clock: Clock = time.monotonic) -> None:
        self.stored = stored
        self.clock = clock
        self.wrong = 0
        self.locked_until: float | None = None

    def locked_for(self) -> float:
        """Seconds until PINs are checked again (0 when not locked)."""
        if self.locked_until is None:
            return 0.0
        left = self.locked_until - self.clock()
        if left <= 0:
            self.locked_until = None
            self.wrong = 0
            return 0.0
        return left

    @property
    def tries_left(self) -> int:
        self.locked_for()  # a lock that ran out counts afresh
        return MAX_TRIES - self.wrong

    def check(self, pin: str) -> PinCheck:
        if self.stored is None:
            return PinCheck.NOT_SET
        if self.locked_for() > 0:
            return PinCheck.LOCKED
        if pin_matches(pin, self.stored):
            self.wrong = 0
            return PinCheck.OK
        self.wrong += 1
        if self.wrong >= MAX_TRIES:
            self.locked_until = self.clock() + LOCK_S
            return PinCheck.LOCKED
        return PinCheck.WRONG


# -- what attendees see --------------------------------------------------------------------------


def is_welcome(verdict: Verdict) -> bool:
    """Admissions and exits go ahead; everything else sends the attendee to the desk."""
    return verdict.outcome in (Outcome.ADMITTED, Outcome.EXITED)


def shown_name(name: str | None, names: str) -> str:
    """What the kiosk may show of a holder's name: nothing, or the first name only (never the
    surname, e-mail or order, which the people queueing behind would read)."""
    if names != Names.FIRST or not name:
        return ""
    return name.split()[0]


class ReturnTimer:
    """When the verdict on screen gives way to the attract screen again."""

    def __init__(self, settings: KioskSettings, clock: Clock = time.monotonic) -> None:
        self.settings = settings
        self.clock = clock
        self.due_at: float | None = None

    def shown(self, verdict: Verdict) -> float:
        hold = self.settings.admitted_s if is_welcome(verdict) else self.settings.refused_s
        self.due_at = self.clock() + hold
        return hold

    def left(self) -> float:
        return 0.0 if self.due_at is None else max(0.0, self.due_at - self.clock())

    def due(self) -> bool:
        return self.due_at is not None and self.clock() >= self.due_at

    def clear(self) -> None:
        self.due_at = None


# -- out of order --------------------------------------------------------------------------------


class Trouble(StrEnum):
    CAMERA = "camera"
    NO_EVENT = "no_event"
    DATA = "data"
    CLOCK = "clock"  # the clock is wrong and no lead confirmed it


def clock_trouble(reading: ClockReading, confirmed: str | None) -> Trouble | None:
    """A kiosk nobody watches must not admit on a wrong clock: out of order while the last
    measurement found it off beyond the tolerance, until a lead confirms that very state (the
    same correction, still in force or not). Measured right again, it admits by itself."""
    if not reading.wrong or confirmed == confirmation(reading, confirmed):
        return None
    return Trouble.CLOCK


def confirmation(reading: ClockReading, confirmed: str | None = None) -> str:
    """What a lead confirms of `reading`; a confirmation of an offset within the tolerance of
    this one still stands (every sync measures anew, a little differently)."""
    offset = (reading.offset or timedelta()).total_seconds()
    if confirmed is not None:
        said, _space, state = confirmed.partition(" ")
        with suppress(ValueError):
            if state == reading.state and abs(float(said) - offset) <= TOLERANCE_S:
                return confirmed
    return f"{offset:.0f} {reading.state}"


def clock_confirmed(store: Store) -> str | None:
    return store.app_settings([CLOCK_CONFIRMED_KEY]).get(CLOCK_CONFIRMED_KEY)


def confirm_clock(store: Store, reading: ClockReading) -> None:
    store.save_app_settings({CLOCK_CONFIRMED_KEY: confirmation(reading)})


def camera_trouble(state: CameraState, expects_camera: bool) -> Trouble | None:
    # An ended recording or stream scans no more: out of order, as a lost camera is.
    if state in (
        CameraState.LOST,
        CameraState.RECONNECTING,
        CameraState.FAILING,
        CameraState.ENDED,
    ):
        return Trouble.CAMERA
    if state is CameraState.NONE and expects_camera:
        return Trouble.CAMERA
    return None


def data_trouble(status: Callable[[], object]) -> Trouble | None:
    """Whether the attendee list can decide a scan: `status` reads the counts (the session's)."""
    try:
        status()
    except NoEventError:
        return Trouble.NO_EVENT
    except (StoreError, OSError):
        return Trouble.DATA
    return None


# -- starting ------------------------------------------------------------------------------------


def kiosk_folder(directory: Path | str | None) -> Path:
    """The data folder a kiosk runs on (one kiosk per folder)."""
    return data_dir(directory)


def wanted(directory: Path | str | None) -> bool:
    """Whether the kiosk setting is on for this data folder (`scanner window` opens it then)."""
    folder = data_dir(directory)
    if not (folder / DB_FILENAME).exists():
        return False
    store = Store(folder, synchronous=True)
    try:
        return load_settings(store).enabled
    finally:
        store.close()
