"""Keyboard layouts as a wedge scanner meets them, to undo what a layout mismatch garbles.

A keyboard-wedge scanner types a code by pressing keys as if on its configured layout; the
computer reads those keys through its own layout. A scanner set to US on a German (QWERTZ) PC
types `Z` for `Y`, `Ü` for `{` and `Ä` for `"`; on a French (AZERTY) PC `A` for `Q` and `&`
for `1`. Caps Lock on the PC inverts the case of letters. Each table lists the characters of
the main keys, row by row, unshifted then shifted; "\0" marks a dead key (types nothing alone).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

DEAD = "\0"

LAYOUTS: dict[str, tuple[str, ...]] = {
    "us": (
        "`1234567890-=",
        "~!@#$%^&*()_+",
        "qwertyuiop[]\\",
        "QWERTYUIOP{}|",
        "asdfghjkl;'",
        'ASDFGHJKL:"',
        "zxcvbnm,./",
        "ZXCVBNM<>?",
    ),
    "de": (
        "\0" + "1234567890ß" + "\0",
        '°!"§$%&/()=?' + "\0",
        "qwertzuiopü+#",
        "QWERTZUIOPÜ*'",
        "asdfghjklöä",
        "ASDFGHJKLÖÄ",
        "yxcvbnm,.-",
        "YXCVBNM;:_",
    ),
    "fr": (
        "²&é\"'(-è_çà)=",
        "\0" + "1234567890°+",
        "azertyuiop" + "\0" + "$*",
        "AZERTYUIOP" + "\0" + "£µ",
        "qsdfghjklmù",
        "QSDFGHJKLM%",
        "wxcvbn,;:!",
        "WXCVBN?./§",
    ),
}


def layout_map(typed_on: str, read_as: str) -> dict[str, str]:
    """What each character typed on layout `typed_on` comes out as when read as `read_as`."""
    mapping = {}
    for row_from, row_to in zip(LAYOUTS[typed_on], LAYOUTS[read_as], strict=True):
        for source, target in zip(row_from, row_to, strict=True):
            if DEAD not in (source, target):
                mapping[source] = target
    return mapping


def caps_lock(text: str) -> str:
    """What Caps Lock does to typed text: letters change case, everything else stays."""
    return "".join(ch.swapcase() if ch.isalpha() else ch for ch in text)


@dataclass(frozen=True)
class Garbling:
    """One way a wedge scanner's text gets garbled: a layout mismatch, Caps Lock, or both."""

    scanner_layout: str
    host_layout: str
    caps: bool

    @property
    def label(self) -> str:
        parts = []
        if self.scanner_layout != self.host_layout:
            parts.append(f"scanner layout {self.scanner_layout}, computer {self.host_layout}")
        if self.caps:
            parts.append("caps lock on")
        return "; ".join(parts)

    def can_type(self, text: str) -> bool:
        """Whether the scanner's layout has every character of `text` on a plain or shifted
        key (the tables leave out AltGr: `{` on a German scanner cannot be garbled back)."""
        return set(text) <= layout_map(self.scanner_layout, self.host_layout).keys()

    def apply(self, text: str) -> str:
        """Garble `text` as this set-up would (for tests and for documentation)."""
        mapping = layout_map(self.scanner_layout, self.host_layout)
        typed = "".join(mapping.get(ch, ch) for ch in text)
        return caps_lock(typed) if self.caps else typed

    def undo(self, text: str) -> str:
        """The text the scanner meant, assuming this set-up garbled it."""
        inverse = {v: k for k, v in layout_map(self.scanner_layout, self.host_layout).items()}
        plain = caps_lock(text) if self.caps else text
        return "".join(inverse.get(ch, ch) for ch in plain)


def garblings() -> Iterator[Garbling]:
    """The set-ups worth undoing, most common first: Caps Lock alone, then a US-configured
    scanner on a German or French computer (or the other way round), each with Caps Lock."""
    pairs = [("us", "us"), ("us", "de"), ("us", "fr"), ("de", "us"), ("fr", "us")]
    for scanner, host in pairs:
        for caps in (False, True):
            if scanner != host or caps:
                yield Garbling(scanner, host, caps)
