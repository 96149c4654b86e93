"""Canceling an import half-way through, from the set-up wizard: the data folder stays as it
was (no half event; the previous one, if any, still there) and the window goes on working."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from scanner.app.clock import FixedClock
from scanner.app.demo import DemoEvent
from scanner.app.door_setup import PROGRESS_EVERY
from scanner.app.events import Progress
from scanner.app.session import DoorSession
from scanner.ui.door_window import DoorWindow
from scanner.ui.verdict_style import Look
from scanner.ui.wizard import EnrolWizard
from tests.app.test_import_cancel import LATECOMER, newer_list, tickets
from tests.app.test_session import valid_code

MakeWindow = Callable[..., DoorWindow]
__all__ = ["newer_list"]  # the fixture, shared with the session's own cancel tests


def folder_state(folder: Path) -> dict[str, int | None]:
    """The files of a data folder, with their sizes (not of SQLite's passing WAL and SHM)."""
    sidecar = ("-wal", "-shm")
    return {
        p.name: None if p.name.endswith(sidecar) else p.stat().st_size for p in folder.iterdir()
    }


@pytest.mark.parametrize("previous", [True, False], ids=["over-an-event", "first-run"])
def test_canceling_an_import_half_way_leaves_the_data_folder_as_it_was(
    qtbot: QtBot,
    make_window: MakeWindow,
    data_dir: Path,
    tmp_path: Path,
    clock: FixedClock,
    demo_event: DemoEvent,
    newer_list: Path,
    previous: bool,
) -> None:
    folder = data_dir if previous else tmp_path / "empty"
    session = DoorSession(folder, door="Main entrance", clock=clock, synchronous=True)
    window = make_window(session)
    before = session.status() if previous else None
    files = folder_state(folder)
    wizard = EnrolWizard(window.bridge, window)
    wizard.show()
    wizard.tabs.setCurrentIndex(1)
    wizard.file.setText(str(newer_list))
    wizard.fingerprint.setText(demo_event.platform_fingerprint)
    seen: list[Progress] = []

    def cancel_half_way(event: Progress) -> None:
        seen.append(event)
        if not event.finished and event.done >= PROGRESS_EVERY:
            wizard.cancel_button.click()  # as staff would, while the bar moves

    window.bridge.progress.connect(cancel_half_way)
    wizard.start.click()

    assert [e.done for e in seen if not e.finished] == [PROGRESS_EVERY], "canceled half-way"
    assert seen[-1].finished and seen[-1].canceled
    assert wizard.isVisible() and not wizard.done_ok and wizard.start.isEnabled()
    assert wizard.status.text() == "Canceled: nothing was imported, the door is as it was."
    assert window.notice.text() == "Import canceled: nothing was changed"
    assert folder_state(folder) == files
    if before is None:
        assert not session.has_event()
    else:
        after = session.status()
        assert (after.event_id, after.expected_by_type) == (
            before.event_id,
            before.expected_by_type,
        )
        assert after.snapshot_generated_at == before.snapshot_generated_at
        assert session.search(LATECOMER).result() == []  # nothing of the half list
        session.submit_code(valid_code(demo_event)[1])  # the window works on the old list
        assert window.panel.look is Look.ADMITTED

    window.bridge.progress.disconnect(cancel_half_way)
    wizard.start.click()  # the same file, not canceled: all of it
    assert wizard.done_ok
    assert tickets(session) > len(demo_event.rows)  # the newer, longer list
    assert [hit.holder_name for hit in session.search(LATECOMER).result()] == [LATECOMER]
