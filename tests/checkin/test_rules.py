"""Door rules: ticket record + door settings + the given time -> verdict and reason."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from scanner.checkin.codes import CodeCheck, verify_code
from scanner.checkin.issuing import SigningKey, keyring_for, mint_seedjson, mint_tk1
from scanner.checkin.reasons import Direction, Outcome, Reason, TicketStatus
from scanner.checkin.records import DoorSettings, EventPolicy, Passage, TicketRecord, Verdict
from scanner.checkin.rules import decide, event_day

KEY = SigningKey("E1", "Ed25519", bytes(range(32)))
SECRET = "seed-secret"
KEYRING = keyring_for([KEY], SECRET)
# A three-day festival in Los Angeles: 8 p.m. local on day 2 is already day 3 in UTC.
FESTIVAL = EventPolicy(
    "evt",
    "America/Los_Angeles",
    {1: date(2026, 7, 3), 2: date(2026, 7, 4), 3: date(2026, 7, 5)},
)
DAY2_EVENING = datetime(2026, 7, 5, 3, 0, tzinfo=UTC)  # 20:00 on July 4th in LA
DOOR = DoorSettings("North", "dev-1")
TICKET = TicketRecord("t1", "ga", holder_name="Ada", flags=("check_id",), note="Wheelchair")


def code(**claims: object) -> CodeCheck:
    return verify_code(mint_tk1(KEY, {"e": "evt", "t": "t1", "k": "ga", **claims}), KEYRING)


def verdict(
    check: CodeCheck | None = None,
    ticket: TicketRecord | None = TICKET,
    *,
    event: EventPolicy = FESTIVAL,
    door: DoorSettings = DOOR,
    history: tuple[Passage, ...] = (),
    revoked: bool = False,
    now: datetime = DAY2_EVENING,
) -> Verdict:
    return decide(
        check or code(),
        ticket,
        event=event,
        door=door,
        history=history,
        code_revoked=revoked,
        now=now,
    )


def test_event_day_is_counted_in_the_event_time_zone() -> None:
    assert event_day(FESTIVAL, DAY2_EVENING) == 2
    assert event_day(FESTIVAL, DAY2_EVENING + timedelta(days=3)) is None


def test_a_valid_ticket_is_admitted_with_its_attention_flags() -> None:
    result = verdict()
    assert (result.outcome, result.reason) == (Outcome.ADMITTED, Reason.OK)
    assert result.holder_name == "Ada" and result.attention == ("check_id",)
    assert result.note == "Wheelchair" and result.day == 2


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (TicketStatus.CANCELED, Reason.CANCELED),
        (TicketStatus.REVOKED, Reason.REVOKED),
        (TicketStatus.UNPAID, Reason.UNPAID),
        (TicketStatus.BLOCKED, Reason.BLOCKED),
    ],
)
def test_ticket_statuses_refuse(status: TicketStatus, reason: Reason) -> None:
    result = verdict(ticket=replace(TICKET, status=status))
    assert (result.outcome, result.reason) == (Outcome.REJECTED, reason)


def test_a_check_in_list_admits_only_its_ticket_types() -> None:
    backstage = replace(DOOR, admits_types=frozenset({"crew"}))
    assert verdict(door=backstage).reason is Reason.WRONG_TICKET_TYPE
    assert verdict(door=replace(DOOR, admits_types=frozenset({"ga", "crew"}))).admitted


def test_a_day_two_ticket_only_enters_on_day_two() -> None:
    day2 = replace(TICKET, days=frozenset({2}))
    assert verdict(ticket=day2).admitted
    assert verdict(ticket=day2, now=DAY2_EVENING - timedelta(days=1)).reason is Reason.WRONG_DAY
    # TK1 codes missing from the list carry their days in the `d` claim
    assert verdict(code(d=[3]), ticket=None).reason is Reason.WRONG_DAY


def test_one_admission_per_day_on_a_multi_day_event() -> None:
    yesterday = Passage(Direction.ENTRY, DAY2_EVENING - timedelta(days=1), "North", "dev-9", 1)
    assert verdict(history=(yesterday,)).admitted
    earlier = Passage(Direction.ENTRY, DAY2_EVENING - timedelta(hours=2), "South", "dev-7", 2)
    again = verdict(history=(earlier,))
    assert again.reason is Reason.ALREADY_CHECKED_IN
    assert again.first_admission == earlier  # when, which door, which device


def test_not_before_and_expiry_from_code_and_record() -> None:
    now = int(DAY2_EVENING.timestamp())
    assert verdict(code(nbf=now + 60)).reason is Reason.NOT_YET_VALID
    assert verdict(code(exp=now)).reason is Reason.EXPIRED
    assert verdict(code(nbf=now - 60, exp=now + 60)).admitted
    late = replace(TICKET, valid_until=DAY2_EVENING - timedelta(minutes=1))
    assert verdict(ticket=late).reason is Reason.EXPIRED


def test_exit_and_re_entry_follow_the_event_policy() -> None:
    entered = Passage(Direction.ENTRY, DAY2_EVENING - timedelta(hours=1), "North", "dev-1", 2)
    left = Passage(Direction.EXIT, DAY2_EVENING - timedelta(minutes=30), "North", "dev-1", 2)
    exit_door = replace(DOOR, direction=Direction.EXIT)
    assert verdict(door=exit_door, history=(entered,)).outcome is Outcome.EXITED
    assert verdict(history=(entered, left)).reason is Reason.ALREADY_CHECKED_IN
    reentry = replace(FESTIVAL, reentry=True)
    assert verdict(event=reentry, history=(entered, left)).admitted
    assert verdict(event=reentry, history=(entered,)).reason is Reason.ALREADY_CHECKED_IN


def test_an_exit_of_someone_not_inside_is_recorded_not_refused() -> None:
    result = verdict(door=replace(DOOR, direction=Direction.EXIT))
    assert result.outcome is Outcome.EXITED and "not_inside" in result.attention
    # a status never keeps anyone in; a code of another event is still not ours
    canceled = replace(TICKET, status=TicketStatus.CANCELED)
    assert verdict(ticket=canceled, door=replace(DOOR, direction=Direction.EXIT)).outcome is (
        Outcome.EXITED
    )


def test_tk1_missing_from_the_list_is_admitted_unless_revoked() -> None:
    fresh = verdict(code(n="Late Buyer"), ticket=None)
    assert fresh.admitted and fresh.holder_name == "Late Buyer"
    assert "not_in_snapshot" in fresh.attention
    assert verdict(code(), ticket=None, revoked=True).reason is Reason.REVOKED


def test_wrong_event_beats_everything_else() -> None:
    other = verify_code(mint_tk1(KEY, {"e": "evt_other", "t": "t1", "k": "ga"}), KEYRING)
    assert verdict(other, ticket=None, revoked=True).reason is Reason.WRONG_EVENT


def test_seedjson_needs_the_list_and_respects_the_maximum_code_age() -> None:
    issued = int((DAY2_EVENING - timedelta(hours=25)).timestamp() * 1000)
    seed = verify_code(mint_seedjson(SECRET, "t1", issued), KEYRING)
    assert verdict(seed).admitted  # off by default: printed tickets never change
    assert verdict(seed, ticket=None).reason is Reason.UNKNOWN_TICKET
    aged = replace(FESTIVAL, max_code_age_s=24 * 3600)
    assert verdict(seed, event=aged).reason is Reason.CODE_EXPIRED


def test_code_level_failures_pass_through() -> None:
    assert verdict(verify_code("garbage", KEYRING)).reason is Reason.MALFORMED


def test_a_ticket_picked_by_hand_follows_the_same_rules_but_must_be_listed() -> None:
    from scanner.checkin.codes import manual_check

    assert verdict(manual_check("t1")).admitted
    assert verdict(manual_check("t1"), ticket=None).reason is Reason.UNKNOWN_TICKET
    canceled = replace(TICKET, status=TicketStatus.CANCELED)
    assert verdict(manual_check("t1"), ticket=canceled).reason is Reason.CANCELED


def test_payment_taken_at_the_door_admits_an_unpaid_ticket_by_hand_only() -> None:
    from scanner.checkin.codes import manual_check

    unpaid = replace(TICKET, status=TicketStatus.UNPAID)
    assert verdict(code(), ticket=unpaid).reason is Reason.UNPAID
    assert verdict(manual_check("t1"), ticket=unpaid).reason is Reason.UNPAID
    assert verdict(manual_check("t1", paid_at_door=True), ticket=unpaid).admitted
    canceled = replace(TICKET, status=TicketStatus.CANCELED)
    refused = verdict(manual_check("t1", paid_at_door=True), ticket=canceled)
    assert refused.reason is Reason.CANCELED
    forged = code(paid_at_door=True)  # a code cannot claim it: only staff at the door can
    assert verdict(forged, ticket=unpaid).reason is Reason.UNPAID
