"""Outside the event's days (with a grace before and after, in the event's time zone), a door
refuses ordinary tickets with words that say they are not valid today."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from scanner.checkin.codes import manual_check
from scanner.checkin.reasons import Direction, Outcome, Reason
from scanner.checkin.records import DoorSettings, EventPolicy, TicketRecord
from scanner.checkin.rules import decide
from scanner.checkin.wording import describe
from tests.cli.run import scanner

BERLIN = ZoneInfo("Europe/Berlin")
FAIR = EventPolicy(
    "fair",
    timezone="Europe/Berlin",
    days={1: date(2025, 10, 24), 2: date(2025, 10, 25), 3: date(2025, 10, 26)},
)
DOOR = DoorSettings("north", "dev-1")
ORDINARY = TicketRecord("T1", "ga")


def _at(day: int, hour: int, minute: int = 0, month: int = 10) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


def _reason(
    now: datetime,
    event: EventPolicy = FAIR,
    ticket: TicketRecord = ORDINARY,
    door: DoorSettings = DOOR,
) -> Reason:
    return decide(manual_check(ticket.ticket_id), ticket, event=event, door=door, now=now).reason


def test_a_month_after_the_event_an_ordinary_ticket_is_not_valid_today() -> None:
    now = _at(22, 19, month=11)
    verdict = decide(manual_check("T1"), ORDINARY, event=FAIR, door=DOOR, now=now)
    assert verdict.outcome is Outcome.REJECTED and verdict.reason is Reason.EXPIRED
    wording = describe(verdict, FAIR.timezone)
    assert wording.reason == "Not valid today: the event is over"
    assert "Outside the event's days" in wording.details


@pytest.mark.parametrize(
    ("now", "reason"),
    [
        (_at(23, 11, 59), Reason.NOT_YET_VALID),  # 12 h before the first day starts: not yet
        (_at(23, 12, 1), Reason.OK),
        (_at(25, 3), Reason.OK),
        (_at(27, 11, 59), Reason.OK),  # the night runs on: 12 h after the last day ends
        (_at(27, 12, 1), Reason.EXPIRED),
    ],
)
def test_the_grace_is_counted_in_the_events_time_zone(now: datetime, reason: Reason) -> None:
    assert _reason(now) is reason


def test_the_words_before_the_event() -> None:
    verdict = decide(manual_check("T1"), ORDINARY, event=FAIR, door=DOOR, now=_at(20, 10))
    assert describe(verdict).reason == "Not valid today: the event has not begun"


def test_the_grace_is_configurable() -> None:
    strict = EventPolicy(FAIR.event_id, FAIR.timezone, FAIR.days, grace_after_s=0)
    assert _reason(_at(27, 0, 30), strict) is Reason.EXPIRED
    assert _reason(_at(26, 23, 30), strict) is Reason.OK


def test_a_ticket_with_its_own_validity_and_exits_are_not_bound_by_the_days() -> None:
    season = TicketRecord("T2", "season", valid_until=_at(31, 0, month=12))
    assert _reason(_at(22, 19, month=11), ticket=season) is Reason.OK
    leaving = DoorSettings("north", "dev-1", direction=Direction.EXIT)
    assert _reason(_at(22, 19, month=11), door=leaving) is Reason.OK


def test_an_event_without_days_admits_any_day() -> None:
    assert _reason(_at(22, 19, month=11), EventPolicy("open")) is Reason.OK


def test_a_door_sets_its_own_grace_from_the_command_line(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    ran = scanner(capsys, data_dir, "grace", "--before-hours", "2", "--after-hours", "36")
    assert ran.code == 0 and "from 2 h before the first event day to 36 h after" in ran.out
    reset = scanner(capsys, data_dir, "grace", "--event-default")
    assert "from 12 h before" in reset.out and "12 h after" in reset.out
    assert scanner(capsys, data_dir, "grace", "--after-hours", "-1").code == 2
