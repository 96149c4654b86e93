"""Suppressing a code read again and again: report it once, not thirty times a second.

One repeat window for every reader: the camera pipeline filters each frame's codes, and the
door session filters the hand scanner's reads (a scanner that reads a code twice in a blink,
or a code the camera just read) with the same window.
"""

from __future__ import annotations

import threading

DEFAULT_WINDOW_S = 2.0


class RepeatFilter:
    """Reports a text the first time it is seen, then stays quiet while it keeps being seen.

    The window slides: every sighting renews it, so a ticket held in view for ten seconds is
    still reported once; it is reported again only after it was out of sight for `window_s`.
    A different text is reported at once, whatever was seen before it.
    """

    def __init__(self, window_s: float = DEFAULT_WINDOW_S) -> None:
        if window_s < 0:
            raise ValueError("the repeat window cannot be negative")
        self.window_s = window_s
        self._last_seen: dict[str, float] = {}
        self._lock = threading.Lock()  # the camera's thread and the GUI's may share one

    def admit(self, text: str, at: float) -> bool:
        with self._lock:
            last = self._last_seen.get(text)
            self._last_seen[text] = at if last is None else max(last, at)
            self._forget_before(at - self.window_s)
            return last is None or at - last >= self.window_s

    def _forget_before(self, cutoff: float) -> None:
        # Bounded memory over a long evening: drop texts not seen within the window.
        if len(self._last_seen) > 64:
            self._last_seen = {t: s for t, s in self._last_seen.items() if s >= cutoff}

    def reset(self) -> None:
        with self._lock:
            self._last_seen.clear()
