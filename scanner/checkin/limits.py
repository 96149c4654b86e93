"""Lengths of text that people type at a door (door name, operator, reasons).

A door enforces these where the text is typed (command line, window), so that what it journals
is something the platform stores as it was recorded; the server never bounces a scan fact.
"""

from __future__ import annotations

MAX_LABEL = 200  # door name, operator, device name
MAX_NOTE = 2000  # reason for an undo or a hand admission


def label_problem(value: str, what: str, limit: int = MAX_LABEL) -> str | None:
    """Why typed text cannot be used, in words; None when it can."""
    if len(value) > limit:
        return f"{what} is longer than {limit} characters ({len(value)})"
    if "\x00" in value:
        return f"{what} contains a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return f"{what} is not valid Unicode"
    return None
