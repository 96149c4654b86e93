"""Request and response bodies of the HTTP API (separate in and out models, as in the template).

Every string that reaches the database passes `_clean`: PostgreSQL refuses NUL characters and
lone surrogates, and letting it find them would turn bad input into a 500.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from scanner.checkin.reasons import Direction, Outcome, Reason


def _clean(value: str) -> str:
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text must be valid Unicode") from None
    return value


def _storable_time(value: datetime) -> datetime:
    """Any time a device sends is kept (a clock reset to 1970 still scanned someone), but the
    very ends of the calendar overflow in UTC: those are clamped; scanned_local keeps the text."""
    try:
        value.astimezone(UTC)
    except OverflowError:
        edge = datetime.min if value.year < 5000 else datetime.max
        return edge.replace(tzinfo=UTC)
    return value


NO_NUL = r"^[^\x00]*$"  # in the schema too, so clients and fuzzers know it
Id = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=NO_NUL), AfterValidator(_clean)
]
Label = Annotated[str, StringConstraints(max_length=200, pattern=NO_NUL), AfterValidator(_clean)]
Note = Annotated[str, StringConstraints(max_length=2000, pattern=NO_NUL), AfterValidator(_clean)]
Fingerprint = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]
ScanTime = Annotated[AwareDatetime, AfterValidator(_storable_time)]


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


class CheckinEntry(BaseModel):
    """One journal entry as the scanner keeps it: a scan (admission, refusal, exit) or an undo."""

    model_config = ConfigDict(extra="ignore")  # later scanners may send more members

    id: UUID
    device_seq: int = Field(ge=0, le=2**53)
    kind: Literal["scan", "undo"] = "scan"
    ticket_id: Id | None = None
    code_fp: Fingerprint | None = None
    format: Literal["TK1", "SEEDJSON"] | None = None
    direction: Direction = Direction.ENTRY
    outcome: Outcome
    reason: Reason
    door: Id
    operator: Label | None = None
    scanned_at: ScanTime = Field(description="device wall time, ISO 8601 with offset")
    day: int | None = Field(None, ge=1, le=366)
    annuls: UUID | None = Field(None, description="for kind 'undo': the entry it annuls")
    note: Note | None = None


class CheckinBatch(BaseModel):
    entries: list[CheckinEntry] = Field(max_length=500)


class ConflictRef(BaseModel):
    entry_id: str
    ticket_id: str
    scanned_at: str
    door: str
    device_id: str


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


class ConflictGroup(BaseModel):
    ticket_id: str
    day: int | None
    first: ConflictRef
    others: list[ConflictRef]


class ConflictsResponse(BaseModel):
    event_id: str
    conflicts: list[ConflictGroup]


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
