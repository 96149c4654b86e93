"""Reading one value of a record (a snapshot's, a change's, a CSV row's), refused in words.

Shared by the scanner's importers and the companion API, so both refuse the same values with the
same words. Each reader takes the value and `field`, the name its messages give it.
"""

from __future__ import annotations

import re
from datetime import datetime

from scanner.checkin import ids
from scanner.checkin.reasons import TicketStatus

MAX_TEXT = 16_384  # names and notes longer than this are refused, not cut
_HEX64 = re.compile(r"[0-9a-fA-F]{64}")
_HEX32 = re.compile(r"[0-9a-f]{32}")


class RowError(ValueError):
    """A row that cannot be imported; the message names the field and what is wrong."""


def require_id(value: object, field: str) -> str:
    try:
        return ids.require_id(value, field)
    except ids.IdError as exc:
        raise RowError(str(exc)) from None


def holder_name(value: object, field: str) -> str:
    """A name, "" when none is given."""
    return optional_text(value, field) or ""


def optional_text(value: object, field: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise RowError(f"{field} must be text")
    if len(value) > MAX_TEXT:
        raise RowError(f"{field} is longer than {MAX_TEXT} characters")
    return value


def parse_status(value: object, field: str = "status") -> TicketStatus:
    if value is None or value == "":
        return TicketStatus.VALID
    text = str(value).strip().lower()
    text = {"cancelled": "canceled", "refunded": "canceled", "paid": "valid"}.get(text, text)
    try:
        return TicketStatus(text)
    except ValueError:
        allowed = ", ".join(s.value for s in TicketStatus)
        raise RowError(f"{field} {value!r} is not one of {allowed}") from None


def parse_days(value: object, field: str = "days") -> tuple[int, ...] | None:
    if value is None or value == "" or value == []:
        return None
    items: list[object]
    if isinstance(value, str):
        items = [part.strip() for part in re.split(r"[ ,;|]+", value.strip()) if part.strip()]
    elif isinstance(value, list):
        items = value
    else:
        raise RowError(f"{field} must be a list of day numbers")
    days: list[int] = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, int | str):
            raise RowError(f"day {item!r} is not a number from 1 to 366")
        try:
            number = int(item)
        except ValueError:
            raise RowError(f"day {item!r} is not a number from 1 to 366") from None
        if not 1 <= number <= 366:
            raise RowError(f"day {number} is not between 1 and 366")
        days.append(number)
    return tuple(sorted(set(days)))


def parse_flags(value: object, field: str = "flags") -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    items = re.split(r"[,;|]", value) if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
        raise RowError(f"{field} must be a list of words")
    return tuple(flag.strip() for flag in items if flag.strip())


def parse_time(value: object, field: str) -> datetime | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise RowError(f"{field} must be an ISO 8601 time")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise RowError(f"{field} {value!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise RowError(f"{field} {value!r} has no UTC offset")
    return moment


def parse_seed_signature(value: object, field: str = "seed signature") -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _HEX64.fullmatch(value.strip()):
        raise RowError(f"{field} must be 64 hexadecimal characters")
    return value.strip().lower()


def parse_code_digest(value: object, field: str = "code digest") -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _HEX32.fullmatch(value):
        raise RowError(f"{field} must be 32 lower-case hexadecimal characters")
    return value
