"""Keyboard-wedge hand scanners: key events in, scanned codes out. Qt-free: the UI forwards
each key press as (text, time).

A scanner types a whole code in a burst (1-30 ms a key) and ends it with Enter or Tab; people
type slower (45 ms a key at the very fastest, and never for a whole code). So keys join a burst
only while they come fast, and a burst counts only when it is long enough, its keys came at a
scanner's pace on average, and it ends with a terminator. The times are the key events' own
(when the key was pressed), never when a busy program got round to handling them: keys queued
behind a repaint arrive bunched, but their own times keep the person's pace.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from scanner.camera.layouts import Garbling, caps_lock, garblings
from scanner.checkin import Keyring, verify_code
from scanner.checkin.codes import IssuedLookup

TERMINATOR_KEYS = {"Enter", "Return", "Tab", "\r", "\n", "\t"}
# Symbology identifiers (AIM, e.g. "]Q1" for QR) and an ECI escape ("\000026" = UTF-8) that
# some scanners put before the data.
_AIM_PREFIX = re.compile(r"^\][A-Za-z][0-9A-Za-z]")
_ECI_PREFIX = re.compile(r"^\\\d{6}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CAPS_LOCK = Garbling("us", "us", caps=True)


@dataclass(frozen=True)
class WedgeScan:
    text: str  # cleaned of control characters and scanner prefixes; not yet repaired
    started_at: float
    ended_at: float


def clean_scan(text: str) -> str:
    text = _CONTROL.sub("", text)
    while True:
        stripped = _ECI_PREFIX.sub("", _AIM_PREFIX.sub("", text, count=1), count=1)
        if stripped == text:
            return text.strip()
        text = stripped


class WedgeAssembler:
    """Feed it every key press; it returns a `WedgeScan` when one completes.

    `max_gap_s`: the longest pause between two keys of one scan (a scanner's keys come 1-30 ms
    apart, with a USB poll's jitter on top). `max_mean_gap_s`: the slowest average pace of a
    scan, between the slowest scanner's and the fastest typist's; a burst that falls below it
    is a person typing and is dropped at once. `idle_end_s`: for scanners set up without a
    suffix, a burst followed by this much silence ends a scan (call `poll` from a timer, or
    `end` when the caller's own timer knows the keys stopped).
    """

    def __init__(
        self,
        max_gap_s: float = 0.05,
        min_length: int = 8,
        idle_end_s: float | None = None,
        max_mean_gap_s: float = 0.0375,
    ) -> None:
        self.max_gap_s = max_gap_s
        self.max_mean_gap_s = max_mean_gap_s
        self.min_length = min_length
        self.idle_end_s = idle_end_s
        self._keys: list[str] = []
        self._started = 0.0
        self._last = 0.0

    @property
    def pending(self) -> int:
        """How many of the last keys may still belong to a scan (the rest never will)."""
        return len(self._keys)

    def feed(self, key: str, at: float) -> WedgeScan | None:
        """`key` is the text a key press produced, or a key name such as "Enter" or "Shift"
        (names other than the terminators are ignored: modifiers come with every capital)."""
        finished = self.poll(at)
        # A pause too long, or a time going back (a clock that wrapped): the burst is over.
        if self._keys and not 0 <= at - self._last <= self.max_gap_s:
            self._keys.clear()  # too slow: a person typing, or a fragment long past
        if key in TERMINATOR_KEYS:
            return self._complete(at) or finished
        if len(key) != 1:
            return finished
        if not self._keys:
            self._started = at
        self._keys.append(key)
        self._last = at
        if len(self._keys) > 3 and not self._scanner_paced():
            # A person typing fast: no scanner starts slower than it goes on.
            self._keys, self._started = [key], at
        return finished

    def poll(self, now: float) -> WedgeScan | None:
        """End a suffix-less burst after `idle_end_s` of silence (if configured)."""
        if self.idle_end_s is None or not self._keys or now - self._last < self.idle_end_s:
            return None
        return self._complete(self._last)

    def end(self) -> WedgeScan | None:
        """End the burst now: the caller knows the keys stopped (a scanner without a suffix)."""
        return self._complete(self._last) if self._keys else None

    def reset(self) -> None:
        """Forget the burst (a key no scanner sends came in between: a person at work)."""
        self._keys.clear()

    def _scanner_paced(self) -> bool:
        gaps = len(self._keys) - 1
        return gaps < 1 or (self._last - self._started) / gaps <= self.max_mean_gap_s

    def _complete(self, at: float) -> WedgeScan | None:
        paced = self._scanner_paced()
        keys, self._keys = self._keys, []
        text = clean_scan("".join(keys))
        if len(text) < self.min_length or not paced:
            return None
        return WedgeScan(text, self._started, at)


@dataclass(frozen=True)
class Resolved:
    text: str
    garbling: Garbling | None = None  # what was undone; tell the door to fix the scanner

    @property
    def advice(self) -> str | None:
        if self.garbling is None:
            return None
        return f"Hand scanner text was garbled ({self.garbling.label}): fix its keyboard setting"


Identify = Callable[[str], str | None]


def identify_with(keyring: Keyring, issued: IssuedLookup | None = None) -> Identify:
    """The ticket a text is a valid code for (format and ticket id), or None: what `resolve`
    needs, from the check-in core's verifier (`issued`: the attendee list's proofs, which
    stand in for a SEEDJSON secret the device does not hold)."""

    def identify(text: str) -> str | None:
        check = verify_code(text, keyring, issued)
        return f"{check.format}:{check.code.ticket_id}" if check.ok and check.code else None

    return identify


def resolve(text: str, identify: Identify) -> Resolved:
    """The code a wedge scan meant. A text that verifies is taken as it is; otherwise each
    known garbling is undone, and a result is used only if its signature verifies and every
    undoing that verifies names the same ticket. So a repair can never make up a ticket:
    without a valid signature the original text goes on, to be refused for what it is."""
    if identify(text) is not None:
        if text.startswith("tk1."):  # valid (TK1 ignores case), but Caps Lock is on: say so
            return Resolved(caps_lock(text), CAPS_LOCK)
        return Resolved(text)
    matches: dict[str, tuple[str, Garbling]] = {}
    for garbling in garblings():
        candidate = clean_scan(garbling.undo(text))
        ticket = identify(candidate) if candidate != text else None
        if ticket is None:
            continue
        # TK1 ignores case, so undoing a layout alone already verifies a Caps Lock text; the
        # undoing that also restores the case is the one that names the whole problem.
        if ticket not in matches or matches[ticket][0].startswith("tk1."):
            matches[ticket] = (candidate, garbling)
    if len(matches) == 1:
        ((candidate, garbling),) = matches.values()
        return Resolved(candidate, garbling)
    return Resolved(text)
