"""From a verified code, its ticket record and the door's settings to a verdict.

Pure: the time is passed in, the ticket's history comes from the store. The order of the checks
decides which reason staff see when several apply; the most final one comes first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from scanner.checkin.codes import CodeCheck, TicketCode
from scanner.checkin.event_window import OUTSIDE_FLAG, outside_event
from scanner.checkin.reasons import STATUS_REASONS, Direction, Outcome, Reason, TicketStatus
from scanner.checkin.records import DoorSettings, EventPolicy, Passage, TicketRecord, Verdict


def event_day(event: EventPolicy, now: datetime) -> int | None:
    """The event day number of `now` in the event's time zone, or None outside the days."""
    if not event.days:
        return None
    local = now.astimezone(ZoneInfo(event.timezone)).date()
    for number, day in event.days.items():
        if day == local:
            return number
    return None


def decide(
    check: CodeCheck,
    ticket: TicketRecord | None,
    *,
    event: EventPolicy,
    door: DoorSettings,
    history: Sequence[Passage] = (),
    code_revoked: bool = False,
    now: datetime,
) -> Verdict:
    if not check.ok or check.code is None:
        return Verdict(Outcome.REJECTED, check.reason or Reason.MALFORMED, code_format=check.format)
    code = check.code
    day = event_day(event, now)
    base = _describe(code, ticket, day)
    refusal = _refusal(code, ticket, event, door, code_revoked, day, now)
    if refusal is None and door.direction is Direction.ENTRY and _ordinary(code, ticket):
        outside = outside_event(event, now)
        if outside is not None:
            return _with(base, Outcome.REJECTED, outside, extra=(OUTSIDE_FLAG,))
    if refusal is not None and (door.direction is Direction.ENTRY or refusal in _EXIT_REFUSALS):
        return _with(base, Outcome.REJECTED, refusal)
    if door.direction is Direction.EXIT:
        inside = _inside(history, day, event)
        extra = () if inside else ("not_inside",)
        return _with(base, Outcome.EXITED, Reason.OK, extra=extra)
    first = _blocking_admission(history, day, event)
    if first is not None:
        return _with(base, Outcome.REJECTED, Reason.ALREADY_CHECKED_IN, first=first)
    # Admitted on its signature alone: staff should know the list did not vouch for it.
    extra = ("not_in_snapshot",) if ticket is None else ()
    return _with(base, Outcome.ADMITTED, Reason.OK, extra=extra)


def _ordinary(code: TicketCode, ticket: TicketRecord | None) -> bool:
    """A ticket with no time window of its own: the event's days (with grace) bound it."""
    own = (code.not_before, code.expires)
    if ticket is not None:
        return ticket.valid_from is None and ticket.valid_until is None and own == (None, None)
    return own == (None, None)


# Someone leaving is never held back by a day or a status; only a code not of this event is.
_EXIT_REFUSALS = frozenset({Reason.WRONG_EVENT, Reason.UNKNOWN_TICKET})


def _refusal(
    code: TicketCode,
    ticket: TicketRecord | None,
    event: EventPolicy,
    door: DoorSettings,
    code_revoked: bool,
    day: int | None,
    now: datetime,
) -> Reason | None:
    if code.event_id is not None and code.event_id != event.event_id:
        return Reason.WRONG_EVENT
    if code_revoked:
        return Reason.REVOKED
    if ticket is None and code.format != "TK1":  # only TK1 carries its own claims
        return Reason.UNKNOWN_TICKET
    if ticket is not None and ticket.status is not TicketStatus.VALID and not _paid(ticket, code):
        return STATUS_REASONS[ticket.status]
    if code.timestamp_ms is not None and event.max_code_age_s is not None:
        # a timestamp the door could not tie to the issued code says nothing about its age
        age_ms = now.timestamp() * 1000 - code.timestamp_ms
        if not code.timestamp_known or age_ms > event.max_code_age_s * 1000:
            return Reason.CODE_EXPIRED
    ticket_type = ticket.ticket_type if ticket else code.ticket_type
    if door.admits_types is not None and ticket_type not in door.admits_types:
        return Reason.WRONG_TICKET_TYPE
    return _time_refusal(code, ticket, day, now)


def _paid(ticket: TicketRecord, code: TicketCode) -> bool:
    """An unpaid ticket whose payment staff took at the door: only a hand admission can say
    so, never a code."""
    paid_at_door = code.format == "MANUAL" and code.claims.get("paid_at_door") is True
    return ticket.status is TicketStatus.UNPAID and paid_at_door


def _time_refusal(
    code: TicketCode, ticket: TicketRecord | None, day: int | None, now: datetime
) -> Reason | None:
    starts = [_from_unix(code.not_before), ticket.valid_from if ticket else None]
    ends = [_from_unix(code.expires), ticket.valid_until if ticket else None]
    if any(start is not None and now < start for start in starts):
        return Reason.NOT_YET_VALID
    if any(end is not None and now >= end for end in ends):
        return Reason.EXPIRED
    days = ticket.days if ticket is not None else code.days
    if days is not None and day not in days:
        return Reason.WRONG_DAY
    return None


def _from_unix(seconds: int | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


def _same_scope(passage: Passage, day: int | None, event: EventPolicy) -> bool:
    # On a multi-day event a ticket may enter once per day; otherwise once for the event.
    return not event.days or passage.day == day


def _inside(history: Sequence[Passage], day: int | None, event: EventPolicy) -> bool:
    scoped = [p for p in history if _same_scope(p, day, event)]
    return bool(scoped) and max(scoped, key=lambda p: p.at).direction is Direction.ENTRY


def _blocking_admission(
    history: Sequence[Passage], day: int | None, event: EventPolicy
) -> Passage | None:
    entries = [p for p in history if p.direction is Direction.ENTRY and _same_scope(p, day, event)]
    if not entries:
        return None
    if event.reentry and not _inside(history, day, event):
        return None
    return min(entries, key=lambda p: p.at)


def _describe(code: TicketCode, ticket: TicketRecord | None, day: int | None) -> Verdict:
    attention: tuple[str, ...] = ticket.flags if ticket else ()
    return Verdict(
        Outcome.REJECTED,
        Reason.MALFORMED,
        ticket_id=code.ticket_id,
        code_format=code.format,
        day=day,
        holder_name=ticket.holder_name if ticket else code.holder_name,
        ticket_type=ticket.ticket_type if ticket else code.ticket_type,
        seat=(ticket.seat if ticket else None) or code.seat,
        attention=attention,
        note=ticket.note if ticket else None,
    )


def _with(
    base: Verdict,
    outcome: Outcome,
    reason: Reason,
    *,
    first: Passage | None = None,
    extra: tuple[str, ...] = (),
) -> Verdict:
    return replace(
        base,
        outcome=outcome,
        reason=reason,
        first_admission=first,
        attention=base.attention + extra,
    )
