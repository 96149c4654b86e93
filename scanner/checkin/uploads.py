"""What a door uploads (its journal entries) and what the server answers, entry by entry.

The door's side of the companion API's `CheckinEntry` and `CheckinResponse` (server_stub/
schemas.py; tests/sync/test_wire_types.py keeps the two alike). Written to the wire and read
from it here only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from scanner.checkin.clock_trust import server_time_text
from scanner.checkin.reasons import Direction, Outcome, Reason

EntryKind = Literal["scan", "undo"]
WireFormat = Literal["TK1", "SEEDJSON"]
AnswerStatus = Literal["accepted", "duplicate", "conflict"]
_KINDS: dict[str, EntryKind] = {"scan": "scan", "undo": "undo"}
_FORMATS: dict[str, WireFormat] = {"TK1": "TK1", "SEEDJSON": "SEEDJSON"}
_STATUSES: dict[object, AnswerStatus] = {
    "accepted": "accepted",
    "duplicate": "duplicate",
    "conflict": "conflict",
}


class AnswerError(ValueError):
    """The server's answer to an upload is not one for the entries sent; nothing is settled."""


@dataclass(frozen=True)
class UploadEntry:
    """One journal entry as the door uploads it (and writes it to a journal file)."""

    id: str  # a UUID the door made
    device_seq: int
    kind: EntryKind
    ticket_id: str | None
    code_fp: str | None
    format: WireFormat | None
    direction: Direction
    outcome: Outcome
    reason: Reason
    door: str
    operator: str | None
    scanned_at: datetime  # the door's wall time, with its offset
    day: int | None
    annuls: str | None  # for an undo: the entry it annuls
    note: str | None
    # The door decided this scan without reaching the server (its link was down): what the
    # door recorded, not guessed from upload delay. None: the door did not record it.
    offline: bool | None = None

    def to_wire(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "device_seq": self.device_seq,
            "kind": self.kind,
            "ticket_id": self.ticket_id,
            "code_fp": self.code_fp,
            "format": self.format,
            "direction": self.direction.value,
            "outcome": self.outcome.value,
            "reason": self.reason.value,
            "door": self.door,
            "operator": self.operator,
            "scanned_at": self.scanned_at.isoformat(timespec="microseconds"),
            "day": self.day,
            "annuls": self.annuls,
            "note": self.note,
            "offline": self.offline,
        }


def entry_kind(text: str) -> EntryKind:
    try:
        return _KINDS[text]
    except KeyError:
        raise ValueError(f"{text!r} is not a kind of journal entry") from None


def wire_format(code_format: str | None) -> WireFormat | None:
    """The code format an entry names on the wire: none for a check-in by hand (MANUAL: its
    note says it)."""
    if code_format is None or code_format == "MANUAL":
        return None
    try:
        return _FORMATS[code_format]
    except KeyError:
        raise ValueError(f"{code_format!r} is not a code format") from None


@dataclass(frozen=True)
class ConflictRef:
    """The admission an uploaded one collides with (the same ticket let in twice)."""

    entry_id: str
    ticket_id: str
    scanned_at: str  # that device's wall time with its offset, as it recorded it
    door: str
    device_id: str
    device_name: str | None = None  # its enrolment name, when it has one


@dataclass(frozen=True)
class EntryAnswer:
    """The server's answer for one uploaded entry: only this settles an entry."""

    id: str
    status: AnswerStatus
    conflict: ConflictRef | None = None
    server_reason: str | None = None  # what the server's rules say of the scan ("ok": let in)


@dataclass(frozen=True)
class UploadAnswer:
    results: tuple[EntryAnswer, ...]
    server_time: datetime | None  # None when the server sent no readable time

    @classmethod
    def from_wire(cls, body: dict[str, Any], sent: Sequence[UploadEntry]) -> UploadAnswer:
        """The answer, checked to be for exactly the entries sent, in order (AnswerError)."""
        results = body.get("results")
        if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
            raise AnswerError("the server's answer to an upload did not list the entries")
        if [r.get("id") for r in results] != [entry.id for entry in sent]:
            raise AnswerError("the server's answer to an upload named other entries than were sent")
        if any(r.get("status") not in _STATUSES for r in results):
            raise AnswerError("the server's answer to an upload has an unknown status")
        return cls(
            tuple(_entry_answer(r) for r in results), server_time_text(body.get("server_time"))
        )


def _entry_answer(result: dict[str, Any]) -> EntryAnswer:
    reason = result.get("server_reason")
    if reason is not None and not isinstance(reason, str):
        raise AnswerError("the server's answer to an upload has a reason that is not text")
    status = _STATUSES[result.get("status")]
    return EntryAnswer(str(result["id"]), status, _conflict(result.get("conflict")), reason)


def _conflict(value: object) -> ConflictRef | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise AnswerError("the server's answer to an upload has a conflict that is not an object")
    names = ("entry_id", "ticket_id", "scanned_at", "door", "device_id")
    texts = {name: str(value[name]) for name in names if isinstance(value.get(name), str)}
    if len(texts) != len(names):
        raise AnswerError("the server's answer to an upload has a conflict without its admission")
    name = value.get("device_name")
    return ConflictRef(
        entry_id=texts["entry_id"],
        ticket_id=texts["ticket_id"],
        scanned_at=texts["scanned_at"],
        door=texts["door"],
        device_id=texts["device_id"],
        device_name=name if isinstance(name, str) else None,
    )
