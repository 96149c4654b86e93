"""Reports, round 2, from the real companion API on both backends: the no-show list, peaks,
refusals by door and reason and by operator, scans decided offline as the doors recorded them,
and the conflicts with device names and times to the second (XLSX, PDF)."""

from __future__ import annotations

import csv
import io
import subprocess
from datetime import datetime
from typing import Any

import httpx
import openpyxl
import pytest
from sqlalchemy import update

from scanner.reports.detail_parts import doors_and_operators, peaks
from server_stub.models import Ticket
from server_stub.services.report_rows import event_report
from server_stub.testing import LiveServer, SeededEvent
from tests.server.helpers import Door, enroll

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def played(server: LiveServer, event: SeededEvent) -> SeededEvent:
    """North (ann, bob) and south (a kiosk, no operator) at 17:00-17:30 UTC: five people
    in, one of them twice (a conflict), two refusals, one exit; south was cut off."""
    t = event.ticket_ids
    with server.db.writing() as session:
        for i, ticket in enumerate(t):
            session.execute(
                update(Ticket)
                .where(Ticket.event_id == event.event_id, Ticket.id == ticket)
                .values(name=f"Holder {i}", email=f"h{i}@example.org", order_code=f"ORD{i:03}")
            )
    with enroll(server, event, "north", name="North laptop") as north:
        north.upload(
            north.entry(t[0], 0, operator="ann", offline=False),
            north.entry(t[1], 1, operator="ann", offline=False),
            north.entry(t[2], 2, operator="bob", offline=False),
            north.entry(t[3], 16, operator="bob", offline=False),
            north.entry(t[1], 17, operator="bob", outcome="rejected", reason="already_checked_in"),
            north.entry(
                t[2],
                30,
                operator="ann",
                direction="exit",
                outcome="exited",
                offline=False,
            ),
        )
    with enroll(server, event, "south", name="South kiosk") as south:
        south.upload(
            _offline(south, t[0], 5.5),
            _offline(south, t[4], 6),
            _offline(south, t[5], 7, outcome="rejected", reason="canceled"),
        )
    return event


def _offline(door: Door, ticket: str, minutes: float, **extra: Any) -> dict[str, Any]:
    return door.entry(ticket, minutes, operator=None, offline=True, **extra)


def _get(server: LiveServer, event: SeededEvent, path: str) -> httpx.Response:
    response = httpx.get(
        f"{server.api}/events/{event.event_id}/reports/{path}",
        headers={"Authorization": f"Bearer {event.organizer_token}"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    return response


def _csv(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_no_show_list_names_whom_to_chase(server: LiveServer, played: SeededEvent) -> None:
    rows = _csv(_get(server, played, "no-shows.csv?emails=true").content)
    admitted = set(played.ticket_ids[:5])
    assert [r["Ticket"] for r in rows] == sorted(set(played.ticket_ids) - admitted)
    first = rows[0]
    number = played.ticket_ids.index(first["Ticket"])
    assert (first["Holder"], first["E-mail"], first["Order"]) == (
        f"Holder {number}",
        f"h{number}@example.org",
        f"ORD{number:03}",
    )
    assert first["Ticket type"] in ("GA", "VIP")
    private = _csv(_get(server, played, "no-shows.csv").content)
    assert "E-mail" not in private[0] and len(private) == len(rows)  # e-mail only when asked


def test_peaks_per_hour_and_the_busiest_quarter_hour_per_door(
    server: LiveServer, played: SeededEvent
) -> None:
    report = event_report(server.db, played.event_id)
    per_hour, busiest = (list(table.rows()) for table in peaks(report).tables)
    # every admission but the exit and refusals, the conflict's second included: 6 at 19h
    assert [(hour, n) for _day, hour, n in per_hour] == [(datetime(2025, 6, 1, 17), 6)]
    assert busiest == [
        ("north", "2025-06-01", datetime(2025, 6, 1, 17, 0), 3),
        ("south", "2025-06-01", datetime(2025, 6, 1, 17, 0), 2),
    ]


def test_refusals_by_door_and_reason_by_operator_and_offline_as_recorded(
    server: LiveServer, played: SeededEvent
) -> None:
    report = event_report(server.db, played.event_id)
    refused, operators, offline = (list(t.rows()) for t in doors_and_operators(report).tables)
    assert refused == [
        ("north", "Already checked in", "already_checked_in", 1),
        ("south", "Ticket canceled or refunded", "canceled", 1),
    ]
    assert operators == [
        ("(none recorded)", 2, 0, 1, 0, 0),  # the kiosk
        ("ann", 2, 1, 0, 0, 0),
        ("bob", 2, 0, 1, 0, 0),
    ]
    # north's refusal came without the member (an older door): not recorded, not guessed
    assert offline == [("north", 6, 0, 1), ("south", 3, 3, 0)]
    log = _csv(_get(server, played, "scan-log.csv").content)
    marks = {(r["Door"], r["Result"], r["Decided offline"]) for r in log}
    assert ("south", "admitted", "yes") in marks and ("north", "admitted", "no") in marks
    assert ("north", "refused", "") in marks
    # an admission has no reason; a refusal says why
    assert {r["Reason"] for r in log if r["Result"] in ("admitted", "exit")} == {""}
    assert {r["Reason"] for r in log if r["Result"] == "refused"} == {
        "Already checked in",
        "Ticket canceled or refunded",
    }


def test_conflicts_name_devices_and_the_pdf_shows_seconds_uncut(
    server: LiveServer, played: SeededEvent
) -> None:
    book = openpyxl.load_workbook(io.BytesIO(_get(server, played, "full.xlsx").content))
    sheet = book["Conflicts"]
    header = [c.value for c in sheet[1]]
    (row,) = (dict(zip(header, r, strict=True)) for r in sheet.iter_rows(2, values_only=True))
    assert (row["First device name"], row["Second device name"]) == ("North laptop", "South kiosk")
    assert row["Second admission"] == datetime(2025, 6, 1, 17, 5, 30)
    assert {"No-shows", "Peaks", "Doors and operators"} <= set(book.sheetnames)
    pdf = _get(server, played, "full.pdf").content
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    # narrow columns wrap at spaces (the header "Second admission" onto two lines), never cut
    assert "…" not in text and {"Second", "admission", "kiosk"} <= set(text.split())
    assert "17:05:30" in text.split()  # conflict times to the second
    assert "Busiest quarter hour per door" in text and "By operator" in text
