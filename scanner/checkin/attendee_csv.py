"""Attendee CSV files as organizers get them from other ticket shops (docs/attendee-csv.md).

UTF-8 with or without a byte-order mark, `;` or `,` as separator (whichever the header line uses),
headers matched by name in any case and with common synonyms. The first bad row stops the read
with its line number: an import is all or nothing.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from scanner.checkin.attendees import AttendeeRow, attendee_from_mapping
from scanner.checkin.field_values import RowError

# Our field name -> header spellings seen in the wild (compared folded: lower case, no spaces,
# dashes, underscores or dots).
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("ticketid", "ticket", "id", "barcode", "code", "ticketnumber", "secret", "ticketcode"),
    "type": ("tickettype", "type", "product", "category", "tickettypeid", "item"),
    "status": ("status", "ticketstatus", "orderstatus", "state"),
    "days": ("days", "day", "eventdays", "validdays"),
    "name": ("name", "holdername", "attendee", "attendeename", "fullname", "holder"),
    "first_name": ("firstname", "givenname", "forename", "first"),
    "last_name": ("lastname", "surname", "familyname", "last"),
    "email": ("email", "emailaddress", "mail", "attendeeemail"),
    "order": ("order", "ordercode", "orderid", "ordernumber", "reference", "bookingreference"),
    "seat": ("seat", "seating", "seatlabel"),
    "flags": ("flags", "attention", "tags"),
    "note": ("note", "notes", "comment", "comments", "remark"),
    "valid_from": ("validfrom", "notbefore", "nbf"),
    "valid_until": ("validuntil", "expires", "exp", "validto"),
    "seed_sig": ("seedsig", "signature", "qrhash", "seedsignature"),
}
_LOOKUP = {spelling: field for field, names in HEADER_SYNONYMS.items() for spelling in names}


class CsvError(ValueError):
    """The file as a whole cannot be read (no header, missing columns, not UTF-8)."""


@dataclass(frozen=True)
class CsvColumns:
    delimiter: str
    mapping: dict[int, str]  # column index -> our field name


def _fold_header(text: str) -> str:
    return re.sub(r"[\s_\-.]+", "", text.strip().lower())


def map_header(header: list[str]) -> dict[int, str]:
    mapping: dict[int, str] = {}
    seen: dict[str, str] = {}
    for index, raw in enumerate(header):
        field = _LOOKUP.get(_fold_header(raw))
        if field is None:
            continue  # extra columns from the ticket shop are ignored
        if field in seen:
            raise CsvError(f"columns {seen[field]!r} and {raw!r} both mean {field!r}")
        seen[field] = raw
        mapping[index] = field
    fields = set(mapping.values())
    for required in ("id", "type"):
        if required not in fields:
            names = ", ".join(HEADER_SYNONYMS[required][:4])
            raise CsvError(f"no {required!r} column in the header (expected one of: {names})")
    return mapping


def _decoded_lines(raw_lines: Iterable[bytes]) -> Iterator[str]:
    for number, raw in enumerate(raw_lines, start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            raise CsvError(f"line {number}: not UTF-8 text (save the file as UTF-8)") from None


def read_attendee_csv(raw_lines: Iterable[bytes]) -> Iterator[tuple[int, AttendeeRow]]:
    """Yield (line number, row) for every data row; raise RowError naming the first bad line."""
    lines = _decoded_lines(raw_lines)
    first = next(lines, None)
    if first is None or not first.strip():
        raise CsvError("the file is empty (expected a header line)")
    delimiter = ";" if first.count(";") > first.count(",") else ","

    def all_lines() -> Iterator[str]:
        yield first
        yield from lines

    reader = csv.reader(all_lines(), delimiter=delimiter, strict=True)
    header = next(reader)
    mapping = map_header(header)
    seen: set[str] = set()
    try:
        for cells in reader:
            number = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            row = _row(cells, mapping, len(header), number)
            if row.ticket_id in seen:
                raise RowError(f"line {number}: ticket id {row.ticket_id!r} appears twice")
            seen.add(row.ticket_id)
            yield number, row
    except csv.Error as exc:
        raise RowError(f"line {reader.line_num}: {exc}") from None


def _row(cells: list[str], mapping: dict[int, str], width: int, number: int) -> AttendeeRow:
    if len(cells) != width:
        raise RowError(f"line {number}: {len(cells)} fields, the header has {width}")
    values: dict[str, object] = {field: cells[index] for index, field in mapping.items()}
    first, last = values.pop("first_name", ""), values.pop("last_name", "")
    if not values.get("name"):
        values["name"] = " ".join(str(part).strip() for part in (first, last) if part)
    try:
        return attendee_from_mapping(values)
    except RowError as exc:
        raise RowError(f"line {number}: {exc}") from None
