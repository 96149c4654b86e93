"""Undo: an admission is annulled by a journal entry of its own; nothing is deleted."""

from __future__ import annotations

import pytest

from scanner.app.demo import DemoEvent
from scanner.app.door import Door
from scanner.store.journal import UndoError
from tests.store.helpers import query


def test_undo_lets_the_ticket_in_again_and_keeps_both_entries(
    door: Door, demo_event: DemoEvent
) -> None:
    code = demo_event.codes[demo_event.rows[0].ticket_id]
    first = door.check(code)
    assert door.check(code).verdict.reason == "already_checked_in"
    undo = door.undo(first.entry_id, "scanned the wrong phone")
    assert door.check(code).verdict.admitted
    rows = query(
        door.store.directory,
        "SELECT kind, outcome, annuls, operator, note FROM journal ORDER BY seq",
    )
    assert [r[0] for r in rows] == ["scan", "scan", "undo", "scan"]
    assert rows[2] == ("undo", "admitted", first.entry_id, "tester", "scanned the wrong phone")
    assert undo.seq == 3


@pytest.mark.parametrize(
    ("target", "why", "message"),
    [
        ("missing", "x", "no journal entry"),
        ("refused", "x", "nothing to undo"),
        ("undone", "x", "already undone"),
        ("admitted", "  ", "say why"),
    ],
)
def test_undo_refuses_what_cannot_be_undone(
    door: Door, demo_event: DemoEvent, target: str, why: str, message: str
) -> None:
    admitted = door.check(demo_event.codes[demo_event.rows[0].ticket_id])
    refused = door.check("not a code")
    ids = {"missing": "nope", "refused": refused.entry_id, "admitted": admitted.entry_id}
    if target == "undone":
        door.undo(admitted.entry_id, "first undo")
        ids["undone"] = admitted.entry_id
    with pytest.raises(UndoError, match=message):
        door.undo(ids[target], why)
