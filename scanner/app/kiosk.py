"""The self-service kiosk's rules, free of Qt: the lead PIN (a salted scrypt hash in the store),
its lockout after wrong tries (kept in the store, so a restart does not lift it), the staff QR
code, how long a verdict stays, which part of a name an attendee may see, when the kiosk is out
of order (a wrong clock: until a lead confirms), and what it does when its window is taken from it.

Times come from injected clocks (seconds), so tests step time instead of waiting.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, replace
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
LOCKOUT_KEY = PREFIX + "pin_lockout"  # wrong tries, locks so far, when the lock ends (JSON)
# What a lead confirmed of a wrong clock: "<offset in seconds> <state>" (docs/kiosk.md).
CLOCK_CONFIRMED_KEY = PREFIX + "clock_confirmed"
# A staff QR code carries the lead PIN behind this prefix (as pretixSCAN's staff codes do); it is
# checked like a typed PIN, so it obeys the same lockout.
STAFF_QR_PREFIX = "DOORSCANNER-STAFF:"
PIN_DIGITS = (4, 12)
MAX_TRIES = 5
LOCK_S = 60.0  # the first lock; each next one (no right PIN between) lasts twice as long...
LOCK_CAP_S = 15 * 60.0  # ...up to this
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
    store.save_app_settings({PIN_KEY: stored, LOCKOUT_KEY: ""})  # a new PIN starts unlocked


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
    """Checks PINs against the stored hash; MAX_TRIES wrong in a row lock it, for LOCK_S the
    first time and twice as long each time after (up to LOCK_CAP_S) until a right PIN. With
    `memory` the state is kept in the store: a kiosk restarted (or killed and started again by
    its unit) is as locked as it was, and the door window shares the count.

    `clock` is wall time (seconds), as the lock's end must mean the same after a restart; a
    clock set back never makes a lock longer than its length."""

    def __init__(
        self,
        stored: str | None,
        clock: Clock = time.time,
        memory: LockoutMemory | None = None,
    ) -> None:
        self.stored = stored
        self.clock = clock
        self.memory = memory
        self.state = memory.load() if memory is not None else Lockout()

    def locked_for(self) -> float:
        """Seconds until PINs are checked again (0 when not locked)."""
        if self.state.until is None:
            return 0.0
        left = min(self.state.until - self.clock(), lock_length(self.state.lockouts))
        if left <= 0:
            self._keep(replace(self.state, wrong=0, until=None))  # the next lock is longer
            return 0.0
        return left

    @property
    def tries_left(self) -> int:
        self.locked_for()  # a lock that ran out counts afresh
        return MAX_TRIES - self.state.wrong

    def check(self, pin: str) -> PinCheck:
        if self.stored is None:
            return PinCheck.NOT_SET
        if self.memory is not None:
            self.state = self.memory.load()  # another window of this door may have counted
        if self.locked_for() > 0:
            return PinCheck.LOCKED
        if pin_matches(pin, self.stored):
            self._keep(Lockout())
            return PinCheck.OK
        wrong = self.state.wrong + 1
        if wrong >= MAX_TRIES:
            lockouts = self.state.lockouts + 1
            self._keep(Lockout(wrong, lockouts, self.clock() + lock_length(lockouts)))
            return PinCheck.LOCKED
        self._keep(replace(self.state, wrong=wrong))
        return PinCheck.WRONG

    def _keep(self, state: Lockout) -> None:
        if state != self.state and self.memory is not None:
            self.memory.save(state)  # before the answer is shown: a kill cannot undo a try
        self.state = state


def lock_length(lockouts: int) -> float:
    """How long the `lockouts`-th lock in a row lasts: LOCK_S, doubled each time, capped."""
    doublings: int = min(max(lockouts, 1) - 1, 16)
    return min(LOCK_S * 2.0**doublings, LOCK_CAP_S)


@dataclass(frozen=True)
class Lockout:
    """The PIN's wrong tries in a row, the locks since the last right PIN, and when the current
    lock ends (wall-clock seconds; None: not locked)."""

    wrong: int = 0
    lockouts: int = 0
    until: float | None = None

    def to_text(self) -> str:
        return json.dumps({"wrong": self.wrong, "lockouts": self.lockouts, "until": self.until})

    @classmethod
    def from_text(cls, text: str | None) -> Lockout:
        if not text:
            return cls()
        try:
            data = json.loads(text)
            until = data["until"]
            return cls(
                int(data["wrong"]), int(data["lockouts"]), None if until is None else float(until)
            )
        except (ValueError, TypeError, KeyError):
            # damaged: as if after a lock, so a spoilt value never gives five fresh tries
            return cls(0, 1, None)


class LockoutMemory:
    """The lockout kept in the door's store (written through its one writer)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def load(self) -> Lockout:
        return Lockout.from_text(self.store.app_settings([LOCKOUT_KEY]).get(LOCKOUT_KEY))

    def save(self, state: Lockout) -> None:
        self.store.save_app_settings({LOCKOUT_KEY: state.to_text()})


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


# -- the screen ----------------------------------------------------------------------------------

RETRY_S = 1.0  # at most one attempt a second to take the screen back (never a fight each tick)
WINDOW_LOST_S = 5.0  # a window not back on screen this long after it vanished is gone for good


class Hold(StrEnum):
    KEEP = "keep"  # full screen, on screen, ours has the focus
    RESTORE = "restore"  # show it again: full screen, on top, with the focus
    FOCUS = "focus"  # on screen, but another program's window has the focus: take it back
    GIVE_UP = "give_up"  # the window did not come back (destroyed): exit, the unit restarts us


class ScreenHold:
    """What the kiosk does about its window, each tick: anyone with the X display may unmap,
    minimise, resize or destroy it, or take the focus. A window that comes back is kept full
    screen; one that never does (its native window destroyed behind Qt's back) ends the
    process, so the kiosk's unit starts a fresh one: a kiosk never lives on without a window."""

    def __init__(self, clock: Clock = time.monotonic) -> None:
        self.clock = clock
        self.lost_since: float | None = None
        self.acted_at: float | None = None

    def check(self, *, shown: bool, full: bool, focused: bool) -> Hold:
        now = self.clock()
        if shown:
            self.lost_since = None
        elif self.lost_since is None:
            self.lost_since = now
        elif now - self.lost_since >= WINDOW_LOST_S:
            return Hold.GIVE_UP
        wanted = Hold.RESTORE if not (shown and full) else Hold.KEEP if focused else Hold.FOCUS
        if wanted is Hold.KEEP:
            self.acted_at = None
            return wanted
        if self.acted_at is not None and now - self.acted_at < RETRY_S:
            return Hold.KEEP  # the last attempt is still under way
        self.acted_at = now
        return wanted


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
