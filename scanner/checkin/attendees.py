"""One attendee ticket as imported from a snapshot or a CSV file, validated field by field.

Shared by the scanner's importers and the companion API, so both refuse the same rows with the
same words. Every mapping of a ticket (records, the door's table, the server's) goes through the
one declaration of its fields in `ticket_fields.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from scanner.checkin.field_values import RowError
from scanner.checkin.reasons import TicketStatus
from scanner.checkin.records import TicketRecord
from scanner.checkin.ticket_fields import TICKET_FIELDS, TIME, Convert, as_is

# The validity window is read and checked before the other fields: a row's first problem in
# that order is the one an import names.
_WINDOW = tuple((f.attr, f.member, f.read, f.label) for f in TICKET_FIELDS if f.form is TIME)
_OTHERS = tuple((f.attr, f.member, f.read, f.label) for f in TICKET_FIELDS if f.form is not TIME)


@dataclass(frozen=True, slots=True)
class AttendeeRow:
    ticket_id: str
    ticket_type: str
    status: TicketStatus = TicketStatus.VALID
    days: tuple[int, ...] | None = None
    holder_name: str = ""
    email: str | None = None
    order_code: str | None = None
    seat: str | None = None
    flags: tuple[str, ...] = ()
    note: str | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    seed_signature: str | None = None
    code_digest: str | None = None

    def to_record(self) -> TicketRecord:
        """What the door rules need of this ticket."""
        return TicketRecord(
            ticket_id=self.ticket_id,
            ticket_type=self.ticket_type,
            status=self.status,
            days=None if self.days is None else frozenset(self.days),
            holder_name=self.holder_name,
            seat=self.seat,
            flags=self.flags,
            note=self.note,
            valid_from=self.valid_from,
            valid_until=self.valid_until,
        )

    def to_snapshot(self) -> dict[str, Any]:
        """The `ticket` record of snapshots and changes."""
        return {"k": "ticket", **_TO_MEMBERS(self)}

    def door_columns(self) -> dict[str, Any]:
        """The door's tickets columns (without the event's)."""
        return _TO_DOOR(self)

    @classmethod
    def from_door(cls, row: Any) -> AttendeeRow:
        """From a row of the door's tickets table (its columns as attributes)."""
        return _FROM_DOOR(row)

    def server_columns(self) -> dict[str, Any]:
        """The companion API's tickets columns (without the event's)."""
        return _TO_SERVER(self)

    @classmethod
    def from_server(cls, row: Any) -> AttendeeRow:
        """From the companion API's tickets row (ORM object or Core row)."""
        return _FROM_SERVER(row)


def _compiled(make: str, fields: list[tuple[str, str, Convert]]) -> Callable[[Any], Any]:
    """A dict (`make` "dict") or an AttendeeRow (`make` "row") of `name: convert(source.attr)`
    for each (name, attr, convert), compiled from the table into one expression: imports and
    snapshots map a hundred thousand tickets each, and this runs as fast as written by hand."""
    namespace: dict[str, Any] = {"AttendeeRow": AttendeeRow}
    items = []
    for number, (name, attr, convert) in enumerate(fields):
        value = f"source.{attr}"
        if convert is not as_is:
            namespace[f"convert{number}"] = convert
            value = f"convert{number}({value})"
        items.append(f"{name!r}: {value}" if make == "dict" else f"{name}={value}")
    made = "{%s}" if make == "dict" else "AttendeeRow(%s)"
    code = f"def mapped(source):\n    return {made % ', '.join(items)}\n"
    exec(code, namespace)  # noqa: S102 - built from the table in ticket_fields.py, never input
    return cast(Callable[[Any], Any], namespace["mapped"])


_T = TICKET_FIELDS
_Columns = Callable[[AttendeeRow], dict[str, Any]]
_Row = Callable[[Any], AttendeeRow]
_TO_MEMBERS: _Columns = _compiled("dict", [(f.member, f.attr, f.form.member) for f in _T])
_TO_DOOR: _Columns = _compiled("dict", [(f.door, f.attr, f.form.door) for f in _T])
_TO_SERVER: _Columns = _compiled("dict", [(f.server, f.attr, f.form.server) for f in _T])
_FROM_DOOR: _Row = _compiled("row", [(f.attr, f.door, f.form.from_door) for f in _T])
_FROM_SERVER: _Row = _compiled("row", [(f.attr, f.server, f.form.from_server) for f in _T])


def attendee_from_mapping(row: Mapping[str, object]) -> AttendeeRow:
    """Build a row from the snapshot's member names (the CSV importer maps its headers to them)."""
    get = row.get
    values = {attr: read(get(member), label) for attr, member, read, label in _WINDOW}
    valid_from, valid_until = values["valid_from"], values["valid_until"]
    if valid_from and valid_until and valid_until <= valid_from:
        raise RowError("valid_until is not after valid_from")
    for attr, member, read, label in _OTHERS:
        values[attr] = read(get(member), label)
    return AttendeeRow(**values)
