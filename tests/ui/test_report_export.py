"""The door window's File menu writes this door's report in the background, with progress."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from pytestqt.qtbot import QtBot

from scanner.app.demo import DemoEvent
from scanner.app.session import DoorSession
from scanner.ui.door_window import DoorWindow
from tests.app.test_session import valid_code

MakeWindow = Callable[..., DoorWindow]


@pytest.mark.parametrize("suffix", ["xlsx", "pdf"])
def test_export_report_from_the_menu_writes_the_door_journal(
    qtbot: QtBot,
    make_window: MakeWindow,
    door_session: DoorSession,
    demo_event: DemoEvent,
    tmp_path: Path,
    suffix: str,
) -> None:
    window = make_window(door_session)
    for index in range(3):
        door_session.submit_code(valid_code(demo_event, index)[1], "camera").result()
    actions = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert actions[0] == "Export report…"
    out = tmp_path / f"door.{suffix}"
    window.export_report(str(out))
    qtbot.waitUntil(lambda: "Report written" in window.notice.text(), timeout=60_000)
    assert window.export_action.isEnabled() and not window.report_progress.isVisible()
    if suffix == "xlsx":
        book = openpyxl.load_workbook(out, read_only=True)
        log = list(book["Scan log"].iter_rows(min_row=2, values_only=True))
        assert len(log) == 3 and {row[5] for row in log} == {"admitted"}
    else:
        text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                              text=True, check=True).stdout  # fmt: skip
        line = next(x for x in text.splitlines() if "Admitted (unique people)" in x)
        assert line.split()[-1] == "3"


def test_a_report_is_offered_in_documents_named_after_the_event_and_its_day(
    make_window: MakeWindow,
    door_session: DoorSession,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtCore import QStandardPaths

    documents = tmp_path / "Documents"
    monkeypatch.setattr(
        QStandardPaths, "writableLocation", lambda _where: str(documents)
    )  # the user's Documents (kept out of the tester's own)
    offered: list[str] = []

    def save_as(_parent: object, _title: str, suggested: str, _filters: str) -> tuple[str, str]:
        offered.append(suggested)
        return "", ""  # staff canceled: nothing written

    monkeypatch.setattr("scanner.ui.door_window.QFileDialog.getSaveFileName", save_as)
    window = make_window(door_session)
    window.export_report()
    assert offered == [str(documents / "Spring Ball (demo) 2026-05-01 check-in report.xlsx")]
