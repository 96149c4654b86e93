"""Attendee CSV files from other ticket shops: header mapping, encodings, all-or-nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.checkin.issuing import SigningKey, keyring_for
from scanner.store.imports import EventSpec
from scanner.store.store import ImportRefused, Store
from tests.conftest import EVENT_NOW
from tests.store.helpers import db_digest, query

SPEC = EventSpec(
    "evt_csv",
    "Gala",
    "Europe/Paris",
    {},
    False,
    None,
    [],
    [],
    keyring_for([SigningKey("E1", "Ed25519", bytes(32))]),
)


def _import(directory: Path, content: bytes, spec: EventSpec | None = SPEC) -> object:
    store = Store(directory, synchronous=True)
    try:
        return store.import_csv(content.splitlines(keepends=True), EVENT_NOW, spec)
    finally:
        store.close()


@pytest.mark.parametrize(
    "content",
    [
        b"Ticket ID,Ticket Type,First Name,Last Name,E-mail\n"
        b"A1,ga,J\xc3\xbcrgen,M\xc3\xbcller,j@x.org\nA2,vip,Ana,Lima,\n",
        b"\xef\xbb\xbfbarcode;product;attendee;order\n"
        b"A1;ga;J\xc3\xbcrgen M\xc3\xbcller;O-1\nA2;vip;Ana Lima;O-1\n",
        b'"ticket_id","type","name","flags","days"\r\n'
        b'"A1","ga","J\xc3\xbcrgen M\xc3\xbcller","check_id","1,2"\r\n'
        b'"A2","vip","Ana Lima","",""\r\n',
    ],
    ids=["comma-first-last", "bom-semicolon-synonyms", "quoted-crlf"],
)
def test_common_csv_shapes_import(tmp_path: Path, content: bytes) -> None:
    summary = _import(tmp_path, content)
    assert summary.tickets == 2  # type: ignore[attr-defined]
    rows = query(tmp_path, "SELECT ticket_id, ticket_type, holder_name FROM tickets ORDER BY 1")
    assert rows == [("A1", "ga", "Jürgen Müller"), ("A2", "vip", "Ana Lima")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"id,type\nA1,ga\nA2,\nA3,ga\n", "line 3: ticket type is missing"),
        (b"id,type,status\nA1,ga,valid\nA2,ga,lost\n", "line 3: status 'lost' is not one of"),
        (b"id,type,days\nA1,ga,1\nA2,ga,x\n", "line 3: day 'x' is not a number"),
        (b"id,type\nA1,ga\nA1,ga\n", "line 3: ticket id 'A1' appears twice"),
        (b"id,type\nA1,ga\nA2,ga,extra\n", "line 3: 3 fields, the header has 2"),
        (b"name,email\nAna,a@x\n", "no 'id' column"),
        (b"id,type\nA1,g\xe9\n", "line 2: not UTF-8"),
        (b"", "the file is empty"),
    ],
)
def test_a_bad_row_refuses_the_whole_file_and_changes_nothing(
    data_dir: Path, content: bytes, message: str
) -> None:
    before = db_digest(data_dir)
    with pytest.raises(ImportRefused, match=message):
        _import(data_dir, content, None)
    assert db_digest(data_dir) == before
    assert query(data_dir, "SELECT COUNT(*) FROM tickets") == [(200,)]


def test_csv_for_the_current_event_keeps_its_keys(data_dir: Path) -> None:
    keyring_before = query(data_dir, "SELECT keyring_json FROM events")
    summary = _import(data_dir, b"id,type,name\nN1,ga,New Person\n", None)
    assert summary.event_id == "evt_demo"  # type: ignore[attr-defined]
    assert query(data_dir, "SELECT keyring_json FROM events") == keyring_before
    assert json.loads(keyring_before[0][0])["keys"]
