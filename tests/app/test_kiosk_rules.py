"""The kiosk's rules without Qt: the PIN's hash, its lockout, staff codes, hold times, names."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.app import kiosk
from scanner.app.kiosk import KioskSettings, PinCheck, PinGuard, ReturnTimer
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
