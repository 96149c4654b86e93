"""What an id is (ticket, ticket type, event, order, device, check-in list), for both sides.

The scanner and the companion API use this one rule, so the server never stores an id that a
door would refuse to apply (a record a door cannot apply would otherwise halt its sync).
"""

from __future__ import annotations

MAX_ID = 64


class IdError(ValueError):
    """An id breaks the rule; the message says how, without repeating the id."""


def id_problem(value: object) -> str | None:
    """Why `value` is not an id, in words; None when it is one."""
    if not isinstance(value, str):
        return "must be text"
    if not value.strip():
        return "is missing or blank"
    if len(value) > MAX_ID:
        return f"is longer than {MAX_ID} characters"
    if value != value.strip():
        return "has leading or trailing spaces"
    if "\x00" in value:
        return "contains a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode"
    return None


def is_id(value: object) -> bool:
    return id_problem(value) is None


def require_id(value: object, field: str) -> str:
    """`value` as an id, or IdError naming `field` and what is wrong."""
    problem = id_problem(value)
    if problem is not None:
        raise IdError(f"{field} {problem}")
    assert isinstance(value, str)
    return value
