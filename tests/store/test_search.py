"""Manual search: names, e-mails, order codes, ticket ids; prefix, case and accent blind."""

from __future__ import annotations

from pathlib import Path

from scanner.checkin.issuing import SigningKey, keyring_for
from scanner.store.imports import EventSpec
from scanner.store.store import Store
from tests.conftest import EVENT_NOW

CSV = (
    "id,type,name,email,order\n"
    "T-100,ga,Jürgen Müller,jm@example.org,ORD-1\n"
    "T-101,ga,Jurgen Smith,js@example.org,ORD-2\n"
    "T-102,vip,Ana Jürgensen,ana@example.org,ORD-3\n"
    "T-103,ga,Søren Ødegaard,soren@example.org,ORD-4\n"
    "T-104,ga,ORD-1 Lookalike,x@example.org,ORD-5\n"
).encode()


def _store(tmp_path: Path) -> Store:
    store = Store(tmp_path, synchronous=True)
    spec = EventSpec(
        "e",
        "",
        "UTC",
        {},
        False,
        None,
        [],
        [],
        keyring_for([SigningKey("E1", "Ed25519", bytes(32))]),
    )
    store.import_csv(CSV.splitlines(keepends=True), EVENT_NOW, spec)
    return store


def _ids(store: Store, query: str) -> list[str]:
    return [hit.ticket_id for hit in store.search(query)]


def test_accent_and_case_blind_prefix_search_ranks_whole_words_first(tmp_path: Path) -> None:
    store = _store(tmp_path)
    assert _ids(store, "jurgen")[:2] == ["T-100", "T-101"] or _ids(store, "jurgen")[:2] == [
        "T-101",
        "T-100",
    ]
    assert set(_ids(store, "jurgen")) == {"T-100", "T-101", "T-102"}
    assert _ids(store, "JÜRG") != []
    assert _ids(store, "soren odeg") == ["T-103"]
    assert _ids(store, "müller") == ["T-100"]
    store.close()


def test_email_order_code_and_ticket_id(tmp_path: Path) -> None:
    store = _store(tmp_path)
    assert _ids(store, "ana@example") == ["T-102"]
    assert _ids(store, "ORD-1")[0] == "T-100"  # the exact order code beats a name containing it
    assert _ids(store, "t-103") == ["T-103"]
    assert _ids(store, "   ") == [] and _ids(store, "zzz") == []
    store.close()
