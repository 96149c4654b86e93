"""A data file from before other doors' device names were kept (schema 0006) upgrades to 0007
with every journal entry, and the passages it had synced still name their device by its id."""

from __future__ import annotations

from pathlib import Path

from scanner.app.clock import FixedClock
from scanner.app.door import open_door
from scanner.checkin.reasons import Reason
from scanner.checkin.wording import describe
from scanner.store.database import HEAD_REVISION
from tests.store.helpers import change, journal_rows, query
from tests.store.schema_files.make import NOW
from tests.store.test_schema_files import copy_of


def test_a_0006_file_upgrades_and_its_synced_passages_show_their_device_id(
    tmp_path: Path,
) -> None:
    directory = copy_of("0006", tmp_path / "data")
    change(  # another door's admission of a ticket that may come in, synced before names were
        directory,
        "INSERT INTO remote_passages (entry_id, event_id, ticket_id, direction, at, door,"
        " device_id, day, annulled)"
        " SELECT '6b0c3c52-5a3e-4d7e-9d0e-2f1f7e0c0a01', event_id, ticket_id, 'entry',"
        " '2026-05-01T17:30:00+00:00', 'north', 'dev-old1', 1, 0 FROM tickets"
        " WHERE status = 'valid' AND ticket_id NOT IN"
        " (SELECT ticket_id FROM journal WHERE ticket_id IS NOT NULL) ORDER BY ticket_id LIMIT 1",
    )
    ((ticket,),) = query(directory, "SELECT ticket_id FROM remote_passages")
    journal = journal_rows(directory)

    door = open_door(directory, "Main entrance", clock=FixedClock(NOW))
    verdict = door.admit_by_hand(ticket).verdict  # the same rules as a scan
    door.close()

    assert query(directory, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
    assert journal_rows(directory, journal)[: len(journal)] == journal
    assert query(directory, "SELECT device_name FROM remote_passages") == [(None,)]
    assert verdict.reason is Reason.ALREADY_CHECKED_IN and verdict.first_admission is not None
    assert verdict.first_admission.device_name is None
    assert "(north, device dev-old1)" in describe(verdict).one_line()
