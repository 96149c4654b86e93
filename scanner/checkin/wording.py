"""What door staff read: one headline and a few detail lines for a verdict."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from scanner.checkin.event_window import OUTSIDE_FLAG
from scanner.checkin.reasons import REASON_TEXT, Outcome, Reason
from scanner.checkin.records import FLAG_TEXT, Verdict

OUTSIDE_TEXT = {
    Reason.NOT_YET_VALID: "Not valid today: the event has not begun",
    Reason.EXPIRED: "Not valid today: the event is over",
}
HEADLINES = {Outcome.ADMITTED: "ADMITTED", Outcome.REJECTED: "REFUSED", Outcome.EXITED: "EXIT"}


@dataclass(frozen=True)
class Wording:
    headline: str
    reason: str
    details: tuple[str, ...]

    def one_line(self) -> str:
        return " · ".join((self.headline, self.reason, *self.details))


def _same(text: str) -> str:
    return text


def describe(verdict: Verdict, timezone: str = "UTC", tr: Callable[[str], str] = _same) -> Wording:
    """The words for `verdict`; `tr` translates each English phrase (the caller's language:
    words are chosen at the edge, this core stays free of any translation system)."""
    details: list[str] = []
    if verdict.holder_name:
        details.append(verdict.holder_name)
    if verdict.ticket_type:
        seat = tr(", seat {seat}").format(seat=verdict.seat) if verdict.seat else ""
        details.append(verdict.ticket_type + seat)
    first = verdict.first_admission
    if verdict.reason is Reason.ALREADY_CHECKED_IN and first is not None:
        local = first.at.astimezone(ZoneInfo(timezone))
        device = first.device_name or first.device_id
        first_in = tr("first in at {time} ({door}, device {device})")
        details.append(first_in.format(time=f"{local:%H:%M:%S}", door=first.door, device=device))
    details.extend(tr(FLAG_TEXT[flag]) if flag in FLAG_TEXT else flag for flag in verdict.attention)
    if verdict.note:
        details.append(tr("Note: {note}").format(note=verdict.note))
    reason = REASON_TEXT[verdict.reason] if verdict.reason is not Reason.OK else ""
    if OUTSIDE_FLAG in verdict.attention:  # no ticket of this event is valid today
        reason = OUTSIDE_TEXT.get(verdict.reason, reason)
    if verdict.outcome is Outcome.EXITED:
        reason = "Goodbye"
    words = reason or REASON_TEXT[Reason.OK]
    return Wording(tr(HEADLINES[verdict.outcome]), tr(words), tuple(details))


def clock_note(correction_s: float, tr: Callable[[str], str] = _same) -> str:
    """The small line under a verdict decided on the server's time: `correction_s`, the
    server's clock minus this device's, was added to the device's clock."""
    if correction_s < 0:
        text = tr("Decided on the server's time: this device's clock is {n} min ahead")
    else:
        text = tr("Decided on the server's time: this device's clock is {n} min behind")
    return text.format(n=round(abs(correction_s) / 60))
