"""Reports from the real companion API and from a door, read back and checked against the
journal (the server's check-ins table)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest

from scanner.app.reporting import door_report, write_door_report
from scanner.cli.main import main as scanner_main
from scanner.reports import pdf_process
from scanner.reports.model import Report
from server_stub.cli import main as server_main
from server_stub.services.report_rows import event_report
from tests.reports.conftest import INJECTION, NAMES, Venue

# the sync client's keep-alive sockets may be collected late, in the middle of a test
pytestmark = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


def _get(venue: Venue, path: str, **headers: str) -> httpx.Response:
    token = venue.event.organizer_token
    return httpx.get(
        f"{venue.server.api}/events/{venue.event.event_id}/reports/{path}",
        headers={"Authorization": f"Bearer {token}", **headers},
        timeout=60,
    )


def _csv(body: bytes, delimiter: str = ",") -> list[dict[str, str]]:
    assert body.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=delimiter))


def _journal(venue: Venue) -> list[Any]:
    return venue.query(
        "SELECT entry_id, kind, outcome, reason, door, ticket_id, annulled_by, device_id"
        " FROM checkins ORDER BY scanned_at, entry_id"
    )


def _expected_totals(venue: Venue) -> dict[str, int]:
    """The figures, worked out from the journal without the report code."""
    journal = _journal(venue)
    standing = [r for r in journal if r.kind == "scan" and r.annulled_by is None]
    admitted = {r.ticket_id for r in standing if r.outcome == "admitted"}
    valid = {t for (t,) in venue.query("SELECT id FROM tickets WHERE status = 'valid'")}
    return {
        "expected": len(valid),
        "admitted": len(admitted),
        "no_shows": len(valid - admitted),
        "refused": sum(r.outcome == "rejected" for r in journal if r.kind == "scan"),
        "undos": sum(r.kind == "undo" for r in journal),
        "exits": sum(r.outcome == "exited" for r in standing),
        "entries": len(journal),
    }


def test_scan_log_csv_has_every_journal_entry_in_words(venue: Venue) -> None:
    response = _get(venue, "scan-log.csv")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    rows = _csv(response.content)
    journal = _journal(venue)
    assert [r["Entry id"] for r in rows] == [j.entry_id for j in journal]
    words = {"admitted": "admitted", "rejected": "refused", "exited": "exit"}
    names = {
        venue.north.device_id: "North gate laptop",
        venue.south.device_id: "South gate kiosk",
    }
    for row, entry in zip(rows, journal, strict=True):
        assert row["Door"] == entry.door and row["Device"] == entry.device_id
        assert row["Device name"] == names[entry.device_id]  # as enrolled (`--name`)
        assert row["Ticket"] == (entry.ticket_id or "")
        result = words[entry.outcome]
        assert row["Result"] == (f"undo of {result}" if entry.kind == "undo" else result)
        assert row["Undone"] == ("yes" if entry.annulled_by else "")
        # as the door recorded it: only the double admission of ticket 14 was decided offline
        offline = "yes" if entry.ticket_id == venue.tickets[14] else "no"
        assert row["Decided offline"] == ("" if entry.kind == "undo" else offline)
        datetime.fromisoformat(row["Time (UTC)"])
    reasons = {r["Reason"] for r in rows if r["Result"] == "refused"}
    assert reasons == {"Not a ticket code", "Already checked in", "Ticket canceled or refunded"}
    undo = next(r for r in rows if r["Result"].startswith("undo"))
    assert undo["Reason"] == "let the wrong person in" and undo["Operator"] == "eve"
    # the event's zone (Berlin, summer: UTC+2) next to UTC
    first = rows[0]
    assert first["Time"] == "2025-06-01 18:00:00" and first["Time (UTC)"] == "2025-06-01 16:00:00"


def test_summary_counts_match_the_journal(venue: Venue) -> None:
    report = event_report(venue.server.db, venue.event.event_id)
    expected = _expected_totals(venue)
    totals = report.totals
    assert {k: getattr(totals, k) for k in expected} == expected
    # and the story told in the conftest, in numbers
    assert (totals.admitted, totals.no_shows, totals.inside) == (17, 6, 2)
    assert (totals.conflicts, totals.by_hand, totals.undos, totals.refused) == (1, 1, 1, 3)
    summary = _csv(_get(venue, "summary.csv").content)  # noqa: F841 (parses)
    body = _get(venue, "summary", Accept="text/csv").content.decode("utf-8-sig")
    assert "Admitted (unique people),17" in body and "No-shows,6" in body
    by_door = {d.door: d for d in report.by_door}
    assert by_door["north"].exits == 1 and by_door["south"].refused == 1
    assert sum(d.people for d in report.by_door) == 17 + 2  # 14 twice, 0 at both doors
    conflict = report.conflicts[0]
    ticket = venue.tickets[14]
    assert conflict.ticket_id == ticket
    assert (conflict.first.door, conflict.second.door) == ("north", "south")
    assert [d.date.isoformat() for d in report.days] == ["2025-06-01", "2025-06-02"]
    assert report.days[1].inside[-1] == 2


def test_attendee_csv_lists_every_ticket_with_its_first_admission(venue: Venue) -> None:
    rows = _csv(_get(venue, "attendees.csv?delimiter=;").content, delimiter=";")
    assert [r["Ticket"] for r in rows] == sorted(venue.tickets)
    assert "E-mail" not in rows[0]  # privacy by default: no e-mail addresses
    by_id = {r["Ticket"]: r for r in rows}
    assert by_id[venue.tickets[0]]["First admission"] == "2025-06-01 18:00:00"
    assert by_id[venue.tickets[1]]["Last exit"] == "2025-06-01 20:00:00"
    assert by_id[venue.tickets[15]]["Checked in"] == "no"  # undone
    assert by_id[venue.tickets[20]]["Status"] == "canceled"
    assert by_id[venue.tickets[2]]["Holder"] == NAMES[2]
    # formula injection: the buyer-chosen names come out as text with a leading apostrophe
    for name in (INJECTION, "+44 prank", "@SUM(A1)", "-1+2"):
        holder = by_id[venue.tickets[NAMES.index(name)]]["Holder"]
        assert holder == "'" + name
    private = _csv(_get(venue, "attendees.csv?names=false&emails=true").content)
    assert "Holder" not in private[0]
    assert private[0]["E-mail"] == "" or private[0]["E-mail"].endswith("@example.org")
    assert sum(r["E-mail"].endswith("@example.org") for r in private) == len(NAMES)


def test_xlsx_has_a_sheet_per_part_with_real_dates_and_filters(venue: Venue) -> None:
    response = _get(
        venue, "full", Accept="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response.status_code == 200, response.text
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Summary", "Arrivals", "Peaks", "Doors and operators", "Scan log", "Attendees", "No-shows",
        "Conflicts",
    ]  # fmt: skip
    log = book["Scan log"]
    assert log.freeze_panes == "A2" and log.auto_filter.ref
    header = [c.value for c in log[1]]
    values = [
        dict(zip(header, (c.value for c in row), strict=True)) for row in log.iter_rows(min_row=2)
    ]
    journal = _journal(venue)
    assert [v["Entry id"] for v in values] == [j.entry_id for j in journal]
    assert all(isinstance(v["Time"], datetime) for v in values)
    assert log.column_dimensions["A"].width > 15  # fitted to dates, not the default
    people = book["Attendees"]
    cells = {row[0].value: row for row in people.iter_rows(min_row=2)}
    injected = cells[venue.tickets[NAMES.index(INJECTION)]][4]
    assert injected.value == INJECTION and injected.data_type == "s"  # text, never a formula
    summary = {
        row[0].value: row[1].value for row in book["Summary"].iter_rows(min_row=3, max_row=13)
    }
    assert (
        summary["Admitted (unique people)"] == 17 and summary["Conflicts (double admissions)"] == 1
    )
    # counted while the attendee sheet listed the tickets (one pass over them)
    expected = _expected_totals(venue)
    assert (summary["Expected (valid tickets)"], summary["No-shows"]) == (
        expected["expected"],
        expected["no_shows"],
    )
    assert summary["Inside now"] == 2 and len(cells) == len(venue.tickets)
    conflicts = list(book["Conflicts"].iter_rows(min_row=2, values_only=True))
    assert len(conflicts) == 1 and conflicts[0][0] == venue.tickets[14]


def test_pdf_holds_the_totals_and_renders_every_script(venue: Venue, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    assert server_main(["--db", venue.server.database_url, "report", venue.event.event_id,
                        "--out", str(pdf)]) == 0  # fmt: skip
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "Test event" in text and "Page 1 of" in text
    for figure, value in (("Admitted (unique people)", 17), ("No-shows", 6), ("Inside now", 2)):
        assert any(figure in line and line.split()[-1] == str(value) for line in text.splitlines())
    assert "Day 1 (2025-06-01)" in text and "Day 2 (2025-06-02)" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    assert "CJK" in fonts.stdout, "a CJK font must be embedded for 王小明"
    # text extraction maps CJK glyphs back loosely (小 may come out as the radical ⼩)
    assert "王" in text and "明" in text and "דוד לוי" in text
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / "page")], check=True)
    assert (tmp_path / "page-1.png").stat().st_size > 10_000


QT_LOADED = """
import json, sys
from server_stub.cli import main
code = main(sys.argv[1:])
qt = sorted(name for name in sys.modules if name.split(".")[0] in ("PySide6", "shiboken6"))
print(json.dumps({"exit": code, "qt": qt}))
"""


def test_the_companion_api_draws_a_pdf_without_loading_qt(venue: Venue, tmp_path: Path) -> None:
    """The PDF is drawn by Qt in a child process of its own: the server, its request threads
    included, never loads Qt (nor makes a QGuiApplication on whichever thread asks first)."""
    pdf = tmp_path / "report.pdf"
    argv = ["--db", venue.server.database_url, "report", venue.event.event_id, "--out", str(pdf)]
    done = subprocess.run(
        [sys.executable, "-c", QT_LOADED, *argv], capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout.splitlines()[-1]) == {"exit": 0, "qt": []}
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "Test event" in text and "Page 1 of" in text


def test_a_pdf_writer_that_fails_says_why_and_leaves_no_file(
    venue: Venue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing = [sys.executable, "-c", "raise SystemExit('Qt could not start: no platform plugin')"]
    monkeypatch.setattr(pdf_process, "child_command", lambda: failing)
    out = tmp_path / "report.pdf"
    with pytest.raises(pdf_process.PdfWriterError, match="no platform plugin"):
        write_door_report(venue.north, out, "pdf", datetime.now(UTC))
    assert list(tmp_path.iterdir()) == []


def test_formats_by_extension_and_accept_and_refusals(venue: Venue) -> None:
    assert _get(venue, "full.pdf").headers["content-type"] == "application/pdf"
    assert _get(venue, "conflicts", Accept="text/csv").status_code == 200
    refused = _get(venue, "full.csv")
    assert refused.status_code == 422 and "one part" in refused.text
    assert _get(venue, "scan-log", Accept="image/png").status_code == 406
    assert _get(venue, "nonsense.csv").status_code == 422
    other = httpx.get(
        f"{venue.server.api}/events/{venue.event.event_id}/reports/full.pdf", timeout=30
    )
    assert other.status_code == 401


def _agreeing(report: Report) -> dict[str, Any]:
    """What a door that synced everything knows as well as the server (not other doors'
    refusals and undos: those stay on the door that made them)."""
    t = report.totals
    return {
        "totals": (
            t.expected,
            t.admitted,
            t.no_shows,
            t.inside,
            t.admissions,
            t.exits,
            t.conflicts,
        ),
        "types": [
            (r.ticket_type, r.expected, r.admitted, r.no_shows, r.inside) for r in report.by_type
        ],
        "doors": [(d.door, d.admissions, d.people, d.exits, d.inside) for d in report.by_door],
        "conflicts": [(c.ticket_id, c.first.entry_id, c.second.entry_id) for c in report.conflicts],
        "days": [(d.date, d.starts, d.admissions, d.inside) for d in report.days],
        "passages": report.passages,
    }


def test_a_door_that_synced_everything_agrees_with_the_server(venue: Venue, tmp_path: Path) -> None:
    server = event_report(venue.server.db, venue.event.event_id)
    door = door_report(venue.north, server.generated_at)
    assert _agreeing(door) == _agreeing(server)
    named = {(e.device_id, e.device_name) for e in door.entries()}  # its own and the synced
    assert named == {
        (venue.north.device_id, "North gate laptop"),
        (venue.south.device_id, "South gate kiosk"),
    }
    out = tmp_path / "door-attendees.csv"
    args = [
        "--data-dir",
        str(venue.folder / "north"),
        "report",
        "--part",
        "attendees",
        "--out",
        str(out),
    ]
    venue.north.close()  # the CLI opens the data file itself
    assert scanner_main(args) == 0
    server_rows = _csv(_get(venue, "attendees.csv").content)
    assert _csv(out.read_bytes()) == server_rows


@pytest.mark.parametrize("argv", [["--format", "doc"], ["--part", "full", "--format", "csv"]])
def test_scanner_report_refuses_bad_requests_clearly(
    venue: Venue, tmp_path: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--data-dir", str(venue.folder / "south"), "report", "--out", str(tmp_path / "r.csv")]
    with pytest.raises(SystemExit) if argv[1] == "doc" else _nothing():
        assert scanner_main(args + argv) == 2
    assert not (tmp_path / "r.csv").exists()
    assert "error" in capsys.readouterr().err


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None
