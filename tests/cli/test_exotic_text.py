"""Quotes, emoji, right-to-left text and 10 kB strings survive import, search and output."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from scanner.app.demo import DemoEvent
from scanner.checkin.attendees import AttendeeRow
from scanner.checkin.issuing import mint_tk1
from tests.cli.run import event_today, scanner
from tests.conftest import EVENT_NOW
from tests.store.helpers import custom_snapshot, write_lines

TICKET_ID = "Q\"uo'te 🎟 שלום;,"
NAME = ("Zoë \"the 'Quoted'\" O'Brien שלום עליכם عمر 👩‍👩‍👧 " * 200)[:10_240]
NOTE = ("Allergic; \\backslash\\ \u202eRTL override\u202c ✨ " * 300)[:10_240]


def test_strange_strings_round_trip(
    capsys: pytest.CaptureFixture[str], demo_event: DemoEvent, tmp_path: Path
) -> None:
    row = AttendeeRow(
        TICKET_ID,
        "ga",
        holder_name=NAME,
        note=NOTE,
        email="zoë@exämple.org",
        order_code='ORD-"1"',
        flags=("check_id", "🧒 minor"),
    )
    lines = custom_snapshot(demo_event, [row.to_snapshot()], date(2026, 5, 1), EVENT_NOW)
    snapshot = write_lines(tmp_path / "strange.jsonl", lines)
    data = tmp_path / "data"
    imported = scanner(
        capsys, data, "import", str(snapshot), "--trust", demo_event.platform_fingerprint, "--json"
    )
    assert imported.code == 0, imported.err
    event_today(data)

    hits = scanner(capsys, data, "search", "שלום", "--json").json_lines()
    assert [(h["ticket_id"], h["holder_name"]) for h in hits] == [(TICKET_ID, NAME)]
    assert scanner(capsys, data, "search", "zoe@examp", "--json").json_lines()[0]["email"] == (
        "zoë@exämple.org"
    )

    code = mint_tk1(demo_event.keys[0], {"e": demo_event.event_id, "t": TICKET_ID, "k": "ga"})
    verdict = scanner(capsys, data, "check", code, "--json").json_lines()[0]
    assert verdict["outcome"] == "admitted"
    assert (verdict["ticket_id"], verdict["holder_name"], verdict["note"]) == (
        TICKET_ID,
        NAME,
        NOTE,
    )
    assert verdict["attention"] == ["check_id", "🧒 minor"]
    human = scanner(capsys, data, "check", code)
    assert NAME in human.out and human.code == 1
