"""A venue with no internet at all: the platform's signed snapshot file in, the journal file out.
And a device with unsent entries is never reset or re-enrolled silently."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from scanner.cli import exits
from server_stub.cli import main as server
from server_stub.testing import seed_event
from tests.cli.run import scanner
from tests.sync.conftest import Platform


def _server(capsys: pytest.CaptureFixture[str], platform: Platform, *args: str) -> str:
    assert server(["--db", platform.server.database_url, *args]) == 0
    return capsys.readouterr().out


def test_snapshot_file_in_journal_file_out(
    capsys: pytest.CaptureFixture[str], platform: Platform, tmp_path: Path
) -> None:
    event = platform.event
    snapshot = tmp_path / "event.jsonl.gz"
    _server(capsys, platform, "export-snapshot", event.event_id, "-o", str(snapshot))
    fingerprint = re.search(
        r"[0-9a-f]{4}( [0-9a-f]{4}){3}", _server(capsys, platform, "platform-key")
    )
    assert fingerprint is not None
    door = tmp_path / "door"
    refused = scanner(capsys, door, "import", str(snapshot))
    assert refused.code == exits.IMPORT_REFUSED and "does not trust" in refused.err
    assert scanner(capsys, door, "import", str(snapshot), "--trust", fingerprint.group()).code == 0
    for ticket_id in event.ticket_ids[:3]:
        assert scanner(capsys, door, "check", event.codes[ticket_id]).code == exits.OK
    journal = tmp_path / "journal.jsonl"
    assert scanner(capsys, door, "export-journal", str(journal)).code == 0
    header = json.loads(journal.read_text().splitlines()[0])
    assert header["k"] == "journal" and header["entries"] == 3

    first = _server(capsys, platform, "import-journal", event.event_id, str(journal))
    again = _server(capsys, platform, "import-journal", event.event_id, str(journal))
    assert "3" in first and "duplicate" in again
    assert sorted(platform.entries_per_id().values()) == [1, 1, 1]


def test_reset_and_re_enrolment_refuse_to_strand_unsent_entries(
    capsys: pytest.CaptureFixture[str], platform: Platform, enrolled: Any, tmp_path: Path
) -> None:
    event = platform.event
    enrolled.scan(event.codes[event.ticket_ids[0]])
    enrolled.store.close()
    door = enrolled.directory
    refused = scanner(capsys, door, "reset", "--yes")
    assert refused.code == exits.USAGE and "never uploaded" in refused.err
    again = scanner(capsys, door, "enroll", platform.proxy.url, event.enrollment_code("x"))
    assert again.code == exits.USAGE and "--export FILE" in again.err
    saved = tmp_path / "unsent.jsonl"
    assert scanner(capsys, door, "reset", "--yes", "--export", str(saved)).code == 0
    assert len(saved.read_text().splitlines()) == 2  # header + the one entry
    ran = scanner(capsys, door, "status")
    assert ran.code == exits.NO_EVENT
    rows = scanner(capsys, door, "export-journal", str(tmp_path / "all.jsonl"))
    assert rows.code == 0 and "1 journal entries" in rows.out  # nothing was deleted


def test_an_air_gapped_door_calls_another_events_ticket_what_it_is(
    capsys: pytest.CaptureFixture[str], platform: Platform, tmp_path: Path
) -> None:
    """The exported file carries the map of the platform's other events' key ids, as the
    enrolled door's download does (issue 21, item 7)."""
    other = seed_event(platform.server.database_url, tickets_per_type=2, event_id="autumn-fair")
    snapshot = tmp_path / "event.jsonl"
    _server(capsys, platform, "export-snapshot", platform.event.event_id, "-o", str(snapshot))
    fingerprint = re.search(
        r"[0-9a-f]{4}( [0-9a-f]{4}){3}", _server(capsys, platform, "platform-key")
    )
    assert fingerprint is not None
    door = tmp_path / "door"
    assert scanner(capsys, door, "import", str(snapshot), "--trust", fingerprint.group()).code == 0
    theirs = scanner(capsys, door, "check", other.codes[other.ticket_ids[0]])
    assert theirs.code == exits.REFUSED
    assert "Ticket is for another event" in theirs.out + theirs.err
    assert "does not know" not in theirs.out + theirs.err
    unknown = other.codes[other.ticket_ids[0]].replace(
        f"TK1.{next(iter(other.keyring.keys))}.", "TK1.ZZ9.", 1
    )
    still = scanner(capsys, door, "check", unknown)  # a kid nobody on the platform has
    assert "a key this door does not know" in still.out + still.err
