"""What door staff read: one headline and a few detail lines for a verdict."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from scanner.checkin.reasons import REASON_TEXT, Outcome, Reason
from scanner.checkin.records import FLAG_TEXT, Verdict

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
        first_in = tr("first in at {time} ({door}, device {device})")
        details.append(
            first_in.format(time=f"{local:%H:%M:%S}", door=first.door, device=first.device_id)
        )
    details.extend(tr(FLAG_TEXT[flag]) if flag in FLAG_TEXT else flag for flag in verdict.attention)
    if verdict.note:
        details.append(tr("Note: {note}").format(note=verdict.note))
    reason = REASON_TEXT[verdict.reason] if verdict.reason is not Reason.OK else ""
    if verdict.outcome is Outcome.EXITED:
        reason = "Goodbye"
    words = reason or REASON_TEXT[Reason.OK]
    return Wording(tr(HEADLINES[verdict.outcome]), tr(words), tuple(details))
