"""Reason codes shared by the scanner, its journal, sync, reports and the companion API.

The string values are part of the wire format (journal, API, exports): never rename one.
"""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    OK = "ok"
    # code level
    MALFORMED = "malformed"
    UNKNOWN_KEY = "unknown_key"
    BAD_SIGNATURE = "bad_signature"
    # door level
    ALREADY_CHECKED_IN = "already_checked_in"
    UNKNOWN_TICKET = "unknown_ticket"
    WRONG_EVENT = "wrong_event"
    CANCELED = "canceled"
    REVOKED = "revoked"
    UNPAID = "unpaid"
    BLOCKED = "blocked"
    WRONG_TICKET_TYPE = "wrong_ticket_type"
    WRONG_DAY = "wrong_day"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    CODE_EXPIRED = "code_expired"


CODE_REASONS = frozenset({Reason.MALFORMED, Reason.UNKNOWN_KEY, Reason.BAD_SIGNATURE})


class Outcome(StrEnum):
    """What happened at the door; stored in the journal next to the reason."""

    ADMITTED = "admitted"
    REJECTED = "rejected"
    EXITED = "exited"


class Direction(StrEnum):
    ENTRY = "entry"
    EXIT = "exit"


class TicketStatus(StrEnum):
    VALID = "valid"
    CANCELED = "canceled"
    REVOKED = "revoked"
    UNPAID = "unpaid"
    BLOCKED = "blocked"


STATUS_REASONS: dict[TicketStatus, Reason] = {
    TicketStatus.CANCELED: Reason.CANCELED,
    TicketStatus.REVOKED: Reason.REVOKED,
    TicketStatus.UNPAID: Reason.UNPAID,
    TicketStatus.BLOCKED: Reason.BLOCKED,
}

# What door staff read for each reason; the UI and CLI add names, times and doors.
REASON_TEXT: dict[Reason, str] = {
    Reason.OK: "Welcome",
    Reason.MALFORMED: "Not a ticket code",
    Reason.UNKNOWN_KEY: "Code signed with a key this door does not know",
    Reason.BAD_SIGNATURE: "Forged or damaged code",
    Reason.ALREADY_CHECKED_IN: "Already checked in",
    Reason.UNKNOWN_TICKET: "Ticket not on this event's list",
    Reason.WRONG_EVENT: "Ticket is for another event",
    Reason.CANCELED: "Ticket canceled or refunded",
    Reason.REVOKED: "Code replaced (ticket transferred or reissued)",
    Reason.UNPAID: "Ticket not paid",
    Reason.BLOCKED: "Ticket blocked by the organizer",
    Reason.WRONG_TICKET_TYPE: "Ticket type not admitted at this door",
    Reason.WRONG_DAY: "Ticket not valid today",
    Reason.NOT_YET_VALID: "Ticket not valid yet",
    Reason.EXPIRED: "Ticket no longer valid",
    Reason.CODE_EXPIRED: "Code too old: ask for a fresh code",
}
