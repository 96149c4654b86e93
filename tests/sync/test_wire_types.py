"""The door's wire types and the companion API's models describe the same things.

Field by field (names, types, optionality; in the direction the data travels) and by running
both: entries a real door made validate as the server's `CheckinEntry`, and the answers and
change records a real server made parse into the door's types and carry nothing the door's types
lack. A field added on one side and not the other fails here.
"""

from __future__ import annotations

import json
import types
from dataclasses import fields, is_dataclass
from datetime import datetime
from enum import Enum
from typing import Annotated, Any, Literal, Union, get_args, get_origin, get_type_hints
from uuid import UUID

import httpx
import pytest
from pydantic import BaseModel

from scanner.app.clock import SystemClock
from scanner.checkin import uploads
from scanner.checkin.attendees import AttendeeRow
from scanner.checkin.change_records import Annulment, ChangePage, RemotePassage, Revocation
from scanner.checkin.ticket_fields import TICKET_FIELDS
from scanner.store.schema import Ticket as DoorTicket
from scanner.sync.enrolment import enroll
from server_stub import schemas
from server_stub.db import open_database
from server_stub.models import Ticket as ServerTicket
from server_stub.services.issuing import transfer
from tests.sync.conftest import Device, Platform, short_timeout_client

# door type -> the server's model, and which way it travels ("sent": door to server)
PAIRS: list[tuple[type, type[BaseModel], str]] = [
    (uploads.UploadEntry, schemas.CheckinEntry, "sent"),
    (uploads.UploadAnswer, schemas.CheckinResponse, "read"),
    (uploads.EntryAnswer, schemas.CheckinResult, "read"),
    (uploads.ConflictRef, schemas.ConflictRef, "read"),
]
SERVER_OF = {door: server for door, server, _ in PAIRS}


def _optional(annotation: Any) -> bool:
    if get_origin(annotation) is Annotated:
        return _optional(get_args(annotation)[0])
    return get_origin(annotation) in (Union, types.UnionType) and type(None) in get_args(annotation)


def _kind(annotation: Any) -> Any:
    """What a value of the type is on the wire: text, an integer, a time, one of some words, a
    list of something, or an object of the pair's model."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _kind(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        (inner,) = [a for a in get_args(annotation) if a is not type(None)]
        return _kind(inner)
    if origin is Literal:
        return frozenset(get_args(annotation))
    if origin in (list, tuple):
        return ("list", _kind(get_args(annotation)[0]))
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return frozenset(member.value for member in annotation)
    if annotation in (str, UUID):
        return "text"
    if annotation is int:
        return "integer"
    if annotation is bool:
        return "boolean"
    if annotation is datetime or getattr(annotation, "__name__", "") == "AwareDatetime":
        return "time"
    if is_dataclass(annotation):
        return ("object", SERVER_OF[annotation].__name__)  # type: ignore[index]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return ("object", annotation.__name__)
    raise AssertionError(f"no wire kind for {annotation!r}")


def _fits(sent: Any, taken: Any) -> bool:
    """Whether every value of kind `sent` is one of kind `taken`."""
    if isinstance(sent, frozenset) and isinstance(taken, frozenset):
        return sent <= taken
    return bool(sent == taken)


@pytest.mark.parametrize(("door", "server", "way"), PAIRS, ids=lambda p: getattr(p, "__name__", p))
def test_the_door_types_match_the_server_models_field_by_field(
    door: type, server: type[BaseModel], way: str
) -> None:
    door_fields = get_type_hints(door)
    server_fields = {name: info.annotation for name, info in server.model_fields.items()}
    door_names = [f.name for f in fields(door)]
    assert set(door_names) == set(server_fields), "a field on one side only"
    for name in door_names:
        mine, theirs = door_fields[name], server_fields[name]
        if way == "sent":
            assert _fits(_kind(mine), _kind(theirs)), name
            assert _optional(theirs) or not _optional(mine), f"{name}: the server takes no null"
        else:
            assert _fits(_kind(theirs), _kind(mine)), name
            assert _optional(mine) or not _optional(theirs), f"{name}: the server may send null"


def test_the_ticket_fields_are_declared_once_for_the_row_and_both_tables() -> None:
    assert [f.name for f in fields(AttendeeRow)] == [f.attr for f in TICKET_FIELDS]
    door_columns = {column.name for column in DoorTicket.__table__.columns}
    assert door_columns == {"event_id"} | {f.door for f in TICKET_FIELDS}
    server_columns = {column.name for column in ServerTicket.__table__.columns}
    assert server_columns == {"event_id", "updated_at"} | {f.server for f in TICKET_FIELDS}


def _named_door(make_device: Any, platform: Platform, door: str, name: str) -> Device:
    device: Device = make_device(door)
    code = platform.event.enrollment_code(door)
    state = enroll(
        device.store,
        platform.proxy.url,
        code,
        SystemClock().now,
        name=name,
        client_factory=short_timeout_client,
    )
    assert state.link == "online", state
    return device


def _api(device: Device) -> httpx.Client:
    """The companion API as this door reaches it, answers unread (what the server made)."""
    enrolment = device.store.enrolment()
    assert enrolment is not None
    headers = {"Authorization": f"Bearer {enrolment.token}"}
    return httpx.Client(base_url=f"{enrolment.server_url}/api/v1", headers=headers, timeout=30)


def _upload(device: Device, event_id: str) -> tuple[list[Any], dict[str, Any]]:
    """Upload what the door has waiting: its entries and the server's answer."""
    entries = device.store.pending_uploads(100)
    wire = [entry.to_wire() for entry in entries]
    for sent in wire:  # as the door sends them: through JSON
        assert schemas.CheckinEntry.model_validate(json.loads(json.dumps(sent)))
        assert set(sent) == set(schemas.CheckinEntry.model_fields)
    with _api(device) as api:
        answer = api.post(f"/events/{event_id}/checkins", json={"entries": wire})
    assert answer.status_code == 200, answer.text
    return entries, answer.json()


def _same_members(parsed: object, raw: dict[str, Any]) -> None:
    """The parsed record holds every member the server sent, with the same value."""
    names = [f.name for f in fields(parsed)]  # type: ignore[arg-type]
    assert set(raw) - {"k"} == set(names)
    for name in names:
        value, sent = getattr(parsed, name), raw[name]
        if is_dataclass(value):
            _same_members(value, sent)
        else:
            assert value == (datetime.fromisoformat(sent) if isinstance(value, datetime) else sent)


def test_what_a_door_sends_and_a_server_answers_fit_both_sides(
    platform: Platform, make_device: Any
) -> None:
    event = platform.event
    north = _named_door(make_device, platform, "north", "North gate")
    south = _named_door(make_device, platform, "south", "South gate")
    first, other, moved = event.ticket_ids[:3]
    north.scan(event.codes[first])
    north.scan("not a code")
    north.door.admit_by_hand(other, "phone died")
    admitted = north.store.pending_uploads(100)[2].id
    north.door.undo(admitted, "wrong person")
    north_entries, north_answer = _upload(north, event.event_id)
    south.scan(event.codes[first])  # the same ticket again: a conflict with north's
    south_entries, south_answer = _upload(south, event.event_id)

    for entries, raw in ((north_entries, north_answer), (south_entries, south_answer)):
        schemas.CheckinResponse.model_validate(raw)
        answer = uploads.UploadAnswer.from_wire(raw, entries)
        assert answer.server_time == datetime.fromisoformat(raw["server_time"])
        for parsed, result in zip(answer.results, raw["results"], strict=True):
            _same_members(parsed, result)
    (conflict,) = uploads.UploadAnswer.from_wire(south_answer, south_entries).results
    assert conflict.status == "conflict" and conflict.conflict is not None
    assert conflict.conflict.device_name == "North gate"

    db = open_database(platform.server.database_url)
    try:
        with db.writing() as session:
            transfer(session, event.event_id, moved, name="New Holder", email=None)
    finally:
        db.dispose()
    with _api(south) as api:
        feed = api.get(f"/events/{event.event_id}/changes").json()
    schemas.ChangesResponse.model_validate(feed)
    page = ChangePage.from_wire(feed)
    assert page.cursor == feed["cursor"] and page.more == feed["more"]
    kinds = set()
    for parsed, raw in zip(page.records, feed["records"], strict=True):
        kinds.add(raw["k"])
        if isinstance(parsed, AttendeeRow):
            assert parsed.to_snapshot() == raw
        else:
            assert isinstance(parsed, Revocation | RemotePassage | Annulment), parsed
            _same_members(parsed, raw)
    assert kinds == {"ticket", "revocation", "passage", "annulment"}
