"""The check-in core: codes, keys, rules and verdicts, and the records a door and the companion
API exchange (tickets, changes, uploads and answers). Pure Python: no Qt, SQL, network or clock."""

from scanner.checkin.codes import CodeCheck, TicketCode, verify_code
from scanner.checkin.keyring import Keyring, KeyringError, VerificationKey, keyring_from_json
from scanner.checkin.reasons import Direction, Outcome, Reason, TicketStatus
from scanner.checkin.records import DoorSettings, EventPolicy, Passage, TicketRecord, Verdict
from scanner.checkin.rules import decide, event_day

__all__ = [
    "CodeCheck",
    "Direction",
    "DoorSettings",
    "EventPolicy",
    "Keyring",
    "KeyringError",
    "Outcome",
    "Passage",
    "Reason",
    "TicketCode",
    "TicketRecord",
    "TicketStatus",
    "Verdict",
    "VerificationKey",
    "decide",
    "event_day",
    "keyring_from_json",
    "verify_code",
]
