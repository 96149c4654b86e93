"""Request and response bodies of the HTTP API (separate in and out models, as in the template).

Every string that reaches the database passes `_clean`: PostgreSQL refuses NUL characters and
lone surrogates, and letting it find them would turn bad input into a 500.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    WithJsonSchema,
)

from scanner.checkin.ids import MAX_ID, id_problem
from scanner.checkin.reasons import Direction, Outcome, Reason


def _clean(value: str) -> str:
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text must be valid Unicode") from None
    return value


# Two days inside the calendar's ends: every UTC offset (under 24 h) and the event-day arithmetic
# then stay representable, so a door whose clock was reset to year 1 or 9999 is no 500.
_EARLIEST = datetime.min.replace(tzinfo=UTC) + timedelta(days=2)
_LATEST = datetime.max.replace(tzinfo=UTC) - timedelta(days=2)


def _storable_time(value: datetime) -> datetime:
    """Any time a device sends is kept (a clock reset to 1970 still scanned someone), but the
    very ends of the calendar overflow in conversions: those are clamped, with their offset."""
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        return (_EARLIEST if value.year < 5000 else _LATEST).astimezone(value.tzinfo)
    clamped = min(max(utc, _EARLIEST), _LATEST)
    return value if clamped == utc else clamped.astimezone(value.tzinfo)


# ISO 8601 date and time with an offset, as RFC 3339 (the schema's date-time) writes it: a bare
# number or a time without its offset is not a scan time.
_ISO_WITH_OFFSET = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})"
)


def _iso_text(value: object) -> object:
    if not isinstance(value, str) or not _ISO_WITH_OFFSET.fullmatch(value):
        raise ValueError("must be ISO 8601 text with an offset, e.g. 2025-06-01T19:00:00+02:00")
    return value


def _json_number(value: object) -> object:
    # JSON Schema's integer is a number (7.0 is one); text and true are not, whatever they say.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a JSON integer")
    return value


def _id(value: str) -> str:
    problem = id_problem(value)
    if problem is not None:
        raise ValueError(f"id {problem}")
    return value


NO_NUL = r"^[^\x00]*$"  # in the schema too, so clients and fuzzers know it
# The id rule of scanner.checkin.ids (shared with the scanner), in words when broken; the schema
# states it as a pattern (no NUL, no white space at either end) for clients and fuzzers.
ID_PATTERN = r"^[^\s\x00]([^\x00]*[^\s\x00])?$"  # \s as Python's str.strip() sees it
Id = Annotated[
    str,
    AfterValidator(_id),
    WithJsonSchema({"type": "string", "minLength": 1, "maxLength": MAX_ID, "pattern": ID_PATTERN}),
]
Label = Annotated[str, StringConstraints(max_length=200, pattern=NO_NUL), AfterValidator(_clean)]
# What a door recorded is stored as recorded (issue: the server never bounces a scan fact); the
# bound is against abuse only, far above the door's own limits (scanner.checkin.limits).
FactText = Annotated[
    str, StringConstraints(max_length=20_000, pattern=NO_NUL), AfterValidator(_clean)
]
Fingerprint = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]
ScanTime = Annotated[
    AwareDatetime,
    BeforeValidator(_iso_text),
    AfterValidator(_storable_time),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
DeviceSeq = Annotated[int, BeforeValidator(_json_number)]


class ErrorBody(BaseModel):
    reason: str = Field(description="machine-readable reason code")
    detail: Any = Field(description="what is wrong, for people (text or a list of problems)")


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    server_time: datetime


class EnrollRequest(BaseModel):
    code: Id
    name: Label | None = Field(None, description="a label for the device, e.g. 'North door laptop'")


class EnrollResponse(BaseModel):
    device_id: str
    token: str = Field(description="send as 'Authorization: Bearer <token>'; shown only once")
    event_id: str
    door: str
    checkin_list: str | None
    platform_public_b64u: str = Field(description="the snapshot signer's Ed25519 public key")
    platform_fingerprint: str
    server_time: datetime = Field(description="the server's clock: the device measures its own")
    peer_secret_b64u: str | None = Field(
        None,
        description="the event's secret its doors authenticate each other with on the venue's"
        " network (kept sealed like the token; shown only once)",
    )


class CheckinEntry(BaseModel):
    """One journal entry as the scanner keeps it: a scan (admission, refusal, exit) or an undo."""

    model_config = ConfigDict(extra="ignore")  # later scanners may send more members

    id: UUID
    device_seq: DeviceSeq = Field(ge=0, le=2**53)
    kind: Literal["scan", "undo"] = "scan"
    ticket_id: Id | None = None
    code_fp: Fingerprint | None = None
    format: Literal["TK1", "SEEDJSON"] | None = None
    direction: Direction = Direction.ENTRY
    outcome: Outcome
    reason: Reason
    door: FactText
    operator: FactText | None = None
    scanned_at: ScanTime = Field(description="device wall time, ISO 8601 with offset")
    day: int | None = Field(None, ge=1, le=366)
    annuls: UUID | None = Field(None, description="for kind 'undo': the entry it annuls")
    note: FactText | None = None
    offline: StrictBool | None = Field(
        None,
        description="the door decided this scan while it could not reach the server, as it "
        "recorded it (null or missing: not recorded, as with doors before this member)",
    )


class CheckinBatch(BaseModel):
    entries: list[CheckinEntry] = Field(max_length=500)


class ConflictRef(BaseModel):
    entry_id: str
    ticket_id: str
    scanned_at: str
    door: str
    device_id: str
    device_name: str | None = Field(None, description="the device's enrolment name, if it has one")


class CheckinResult(BaseModel):
    id: str
    status: Literal["accepted", "duplicate", "conflict"]
    conflict: ConflictRef | None
    server_reason: str | None = Field(
        description="the reason the server's rules give for a scan naming a ticket ('ok' when "
        "it would have let it through); null for undos and scans without a ticket"
    )


class CheckinResponse(BaseModel):
    results: list[CheckinResult]
    server_time: datetime


class ChangesResponse(BaseModel):
    cursor: str
    records: list[dict[str, Any]]
    more: bool = Field(description="true: ask again with the new cursor for the rest")
    server_time: datetime = Field(description="the server's clock: the device measures its own")


class ConflictGroup(BaseModel):
    ticket_id: str
    day: int | None
    first: ConflictRef
    others: list[ConflictRef]


class ClockWrong(BaseModel):
    """A device whose scan times lay ahead of the server's receive times beyond the tolerance:
    its clock was wrong, and the server judged those scans' days by its own clock."""

    device_id: str
    device_name: str | None
    entries: int = Field(description="how many of its entries")
    ahead_s: int = Field(description="the most its scan time lay ahead of the receive time")
    first_received_at: datetime
    words: str = Field(description="'clock wrong on device X: up to N min ahead'")


class ConflictsResponse(BaseModel):
    event_id: str
    conflicts: list[ConflictGroup]
    clock_wrong: list[ClockWrong] = Field(
        default_factory=list, description="devices whose clock was wrong (docs/sync.md)"
    )


class DoorStats(BaseModel):
    door: str
    admitted: int
    rejected: int
    exited: int


class TypeStats(BaseModel):
    type: str
    name: str
    expected: int
    admitted: int


class DoorTypeStats(BaseModel):
    door: str
    type: str
    admitted: int


class StatsResponse(BaseModel):
    event_id: str
    expected: int
    admitted: int
    by_door: list[DoorStats]
    by_type: list[TypeStats]
    by_door_and_type: list[DoorTypeStats]
