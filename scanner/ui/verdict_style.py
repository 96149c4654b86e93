"""How each verdict class looks and reads: one colour, one icon shape and one word per class,
so the class reads without colour (dim screens, colour-blind staff)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from scanner.app.events import VerdictCommitted
from scanner.checkin.reasons import Outcome, Reason
from scanner.checkin.records import FLAG_TEXT, Verdict
from scanner.lang import _


class Look(StrEnum):
    READY = "ready"
    ADMITTED = "admitted"
    ATTENTION = "attention"
    ALREADY_USED = "already_used"
    JUST_ADMITTED = "just_admitted"  # already used, by the guest this door let in seconds ago
    REFUSED = "refused"
    EXIT = "exit"


@dataclass(frozen=True)
class Style:
    word: str
    background: str
    text: str
    shape: str  # the icon drawn beside the word (see icons.py)
    sound: str | None
    blink: str | None = None  # a second background the panel alternates with


STYLES: dict[Look, Style] = {
    Look.READY: Style("READY", "#263238", "#eceff1", "ring", None),
    Look.ADMITTED: Style("ADMITTED", "#116329", "#ffffff", "circle_check", "admit"),
    Look.ATTENTION: Style("ATTENTION", "#1846b8", "#ffffff", "diamond", "attention", "#f5c400"),
    Look.ALREADY_USED: Style("ALREADY USED", "#e39400", "#1a1a1a", "triangle", "refuse"),
    Look.JUST_ADMITTED: Style("JUST ADMITTED", "#0a5c5c", "#ffffff", "double_check", "admit"),
    Look.REFUSED: Style("REFUSED", "#a11a1a", "#ffffff", "octagon_cross", "refuse"),
    Look.EXIT: Style("EXIT", "#5b2a86", "#ffffff", "arrow", "exit"),
}

# Flags that ask door staff to do something; the others are information shown as details.
ACTION_FLAGS = frozenset({"check_id", "minor", "accessibility", "wristband", "not_in_snapshot"})


def look_of(verdict: Verdict) -> Look:
    if verdict.outcome is Outcome.EXITED:
        return Look.EXIT
    if verdict.outcome is Outcome.ADMITTED:
        return Look.ATTENTION if ACTION_FLAGS & set(verdict.attention) else Look.ADMITTED
    if verdict.reason is Reason.ALREADY_CHECKED_IN:
        return Look.ALREADY_USED
    return Look.REFUSED


def look_of_event(event: VerdictCommitted) -> Look:
    """The window's look: a repeat right after this door's own admission is no alarm."""
    return Look.JUST_ADMITTED if event.admitted_here_s is not None else look_of(event.verdict)


def just_admitted_words(event: VerdictCommitted) -> str:
    """ "Admitted here 12 s ago": said instead of "already used" for a JUST_ADMITTED look."""
    return _("Admitted here {s} s ago").format(s=round(event.admitted_here_s or 0))


def flag_words(verdict: Verdict) -> list[str]:
    return [_(FLAG_TEXT[flag]) if flag in FLAG_TEXT else flag for flag in verdict.attention]
