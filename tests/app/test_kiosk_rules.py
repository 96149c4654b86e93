"""The kiosk's rules without Qt: the PIN's hash, its lockout, staff codes, hold times, names."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.app import kiosk
from scanner.app.kiosk import (
    Hold,
    KioskSettings,
    PinCheck,
    PinGuard,
    ReturnTimer,
    ScreenHold,
)
from scanner.app.session import DoorSession
from scanner.checkin.reasons import Outcome, Reason
from scanner.checkin.records import Verdict


def test_the_pin_is_kept_as_a_salted_scrypt_hash(tmp_path: Path) -> None:
    session = DoorSession(tmp_path, synchronous=True)
    try:
        session.set_lead_pin("4711")
        stored = session.lead_pin()
        assert stored is not None and stored.startswith("scrypt$16384$8$1$")
        assert "4711" not in stored
        assert kiosk.pin_matches("4711", stored) and not kiosk.pin_matches("4712", stored)
        assert kiosk.hash_pin("4711") != kiosk.hash_pin("4711")  # salted
        assert b"4711" not in (tmp_path / "scanner.sqlite3").read_bytes()
    finally:
        session.close()


@pytest.mark.parametrize("pin", ["12", "abcd", "1234567890123", "١٢٣٤", ""])
def test_a_pin_that_is_not_4_to_12_digits_is_refused(tmp_path: Path, pin: str) -> None:
    assert kiosk.pin_problem(pin) is not None
    session = DoorSession(tmp_path, synchronous=True)
    try:
        with pytest.raises(ValueError):
            session.set_lead_pin(pin)
        assert session.lead_pin() is None
    finally:
        session.close()


def test_a_damaged_hash_never_opens() -> None:
    for stored in ("", "scrypt$x", "plain$1$1$1$00$00", "scrypt$16384$8$1$zz$00"):
        assert not kiosk.pin_matches("4711", stored)


def test_five_wrong_tries_lock_for_a_minute_then_count_afresh() -> None:
    now = [0.0]
    guard = PinGuard(kiosk.hash_pin("4711"), clock=lambda: now[0])
    assert [guard.check("0000") for _ in range(4)] == [PinCheck.WRONG] * 4
    assert guard.check("0000") is PinCheck.LOCKED
    assert guard.check("4711") is PinCheck.LOCKED
    now[0] = 59.9
    assert guard.check("4711") is PinCheck.LOCKED
    now[0] = 60.0
    assert guard.tries_left == 5 and guard.check("4711") is PinCheck.OK
    assert PinGuard(None).check("4711") is PinCheck.NOT_SET


def _lock_out(guard: PinGuard) -> PinCheck:
    return [guard.check("0000") for _ in range(kiosk.MAX_TRIES)][-1]


def test_the_lockout_survives_a_restart_and_grows_with_each_lock(tmp_path: Path) -> None:
    """Issue 21, item 8: killing the kiosk (its unit starts it again) lifts no lock, and each
    lock in a row lasts twice the one before, until a right PIN."""
    now = [1_000_000.0]  # wall-clock seconds
    session = DoorSession(tmp_path, synchronous=True)
    session.set_lead_pin("4711")
    assert _lock_out(session.pin_guard(clock=lambda: now[0])) is PinCheck.LOCKED
    session.close()
    now[0] += 20
    session = DoorSession(tmp_path, synchronous=True)  # the kiosk, started again
    try:
        guard = session.pin_guard(clock=lambda: now[0])
        assert guard.check("4711") is PinCheck.LOCKED and guard.locked_for() == 40
        now[0] += 40
        assert guard.tries_left == 5
        assert _lock_out(guard) is PinCheck.LOCKED and guard.locked_for() == 120  # twice as long
        now[0] += 120
        assert _lock_out(guard) is PinCheck.LOCKED and guard.locked_for() == 240
        # the door window's guard on the same data file sees the same lock
        assert session.pin_guard(clock=lambda: now[0]).check("4711") is PinCheck.LOCKED
        now[0] += 240
        assert guard.check("4711") is PinCheck.OK  # a right PIN: the next lock is a minute again
        assert _lock_out(guard) is PinCheck.LOCKED and guard.locked_for() == 60
    finally:
        session.close()


def test_locks_are_capped_and_a_clock_set_back_never_lengthens_one() -> None:
    assert [kiosk.lock_length(n) for n in (1, 2, 3, 4, 5, 6, 50)] == [
        60,
        120,
        240,
        480,
        900,
        900,
        900,
    ]
    now = [5000.0]
    guard = PinGuard(kiosk.hash_pin("4711"), clock=lambda: now[0])
    _lock_out(guard)
    now[0] -= 86_400  # set back a day
    assert guard.locked_for() == 60
    damaged = kiosk.Lockout.from_text("{not json")
    assert damaged.lockouts == 1  # a spoilt record gives no fresh start: the next lock is longer


def test_the_screen_is_taken_back_at_most_once_a_second_and_a_lost_window_gives_up() -> None:
    now = [0.0]
    hold = ScreenHold(clock=lambda: now[0])

    def check(shown: bool = True, full: bool = True, focused: bool = True) -> Hold:
        return hold.check(shown=shown, full=full, focused=focused)

    assert check() is Hold.KEEP
    assert check(full=False) is Hold.RESTORE  # resized
    now[0] += 0.1
    assert check(full=False) is Hold.KEEP  # under way: no fight each tick
    now[0] += 1.0
    assert check(full=False) is Hold.RESTORE
    assert check() is Hold.KEEP
    assert check(focused=False) is Hold.FOCUS  # another program took the focus
    now[0] += 0.1
    assert check() is Hold.KEEP
    assert check(shown=False) is Hold.RESTORE  # unmapped
    now[0] += 0.5
    assert check() is Hold.KEEP  # and back
    for _ in range(int(kiosk.WINDOW_LOST_S / kiosk.RETRY_S)):
        assert check(shown=False) in (Hold.RESTORE, Hold.KEEP)
        now[0] += kiosk.RETRY_S
    assert check(shown=False) is Hold.GIVE_UP  # never came back: destroyed


def test_staff_codes_carry_the_pin() -> None:
    assert kiosk.staff_pin(kiosk.staff_code("4711")) == "4711"
    assert kiosk.staff_pin("https://example.org/ticket") is None


def verdict(outcome: Outcome, reason: Reason = Reason.OK) -> Verdict:
    return Verdict(outcome=outcome, reason=reason, holder_name="Ada Lovelace")


def test_admissions_stay_3_s_and_refusals_5_s_by_the_given_clock() -> None:
    now = [100.0]
    timer = ReturnTimer(KioskSettings(), clock=lambda: now[0])
    assert timer.shown(verdict(Outcome.ADMITTED)) == 3.0
    now[0] = 102.9
    assert not timer.due()
    now[0] = 103.0
    assert timer.due()
    assert timer.shown(verdict(Outcome.REJECTED, Reason.CANCELED)) == 5.0


def test_names_hidden_or_first_name_only() -> None:
    assert kiosk.shown_name("Ada Lovelace", "hidden") == ""
    assert kiosk.shown_name("Ada Lovelace", "first") == "Ada"
    assert kiosk.shown_name(None, "first") == ""


def test_kiosk_settings_are_kept_in_the_data_file(tmp_path: Path) -> None:
    session = DoorSession(tmp_path, synchronous=True)
    try:
        session.save_kiosk_settings(enabled=True, names="first", refused_s=8.0)
    finally:
        session.close()
    assert kiosk.wanted(tmp_path)
    session = DoorSession(tmp_path, synchronous=True)
    try:
        settings = session.kiosk_settings()
        assert (settings.names, settings.refused_s, settings.admitted_s) == ("first", 8.0, 3.0)
    finally:
        session.close()
