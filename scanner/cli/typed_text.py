"""Text typed at the door on the command line, held to the rules the platform stores it under
(scanner/checkin/ids.py, scanner/checkin/limits.py): refused here, in one line, rather than
journaled and bounced by the server later."""

from __future__ import annotations

import os

from scanner.checkin.ids import id_problem
from scanner.checkin.limits import MAX_NOTE, label_problem
from scanner.cli import exits
from scanner.cli.exits import CliError


def require_ticket_id(value: str, what: str = "--ticket") -> str:
    problem = id_problem(value)
    if problem is not None:
        raise CliError(f"{what}: the ticket id {problem}", exits.USAGE)
    return value


def require_label(value: str | None, what: str, limit: int | None = None) -> None:
    if value is None:
        return
    problem = label_problem(value, what) if limit is None else label_problem(value, what, limit)
    if problem is not None:
        raise CliError(problem, exits.USAGE)


def require_door_text(door: str | None) -> None:
    """The door name and the operator (SCANNER_OPERATOR) that every journal entry carries."""
    if door is not None and not door.strip():
        raise CliError("--door is empty", exits.USAGE)
    require_label(door, "--door")
    require_label(os.environ.get("SCANNER_OPERATOR"), "SCANNER_OPERATOR (the operator's name)")


def require_reason(reason: str) -> None:
    require_label(reason, "--reason", MAX_NOTE)
