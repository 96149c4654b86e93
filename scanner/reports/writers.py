"""One entry point for every format: `write_report(report, "xlsx", out)`.

The PDF writer is imported on first use only: it is the one that needs Qt, and the door's CLI
and the companion API load without Qt until someone asks for a PDF.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import IO

from scanner.reports.csv_writer import write_csv
from scanner.reports.model import Report
from scanner.reports.parts import PARTS, parts
from scanner.reports.xlsx_writer import write_xlsx

FORMATS = ("csv", "xlsx", "pdf")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
KINDS = ("full", *PARTS)  # full: every part (XLSX sheets; the PDF's summary, charts, conflicts)


class ReportRequestError(ValueError):
    """A format and part that do not go together; the message says what would."""


def check_request(fmt: str, kind: str) -> None:
    if fmt not in FORMATS:
        raise ReportRequestError(f"unknown format {fmt!r}: use csv, xlsx or pdf")
    if kind not in KINDS:
        raise ReportRequestError(f"unknown report {kind!r}: use one of {', '.join(KINDS)}")
    if fmt == "csv" and kind == "full":
        raise ReportRequestError(
            "a CSV file holds one part: ask for summary, arrivals, scan-log, attendees or conflicts"
        )
    if fmt == "pdf" and kind not in ("full", "summary"):
        raise ReportRequestError(
            "the PDF holds the summary, charts and conflicts; use CSV or XLSX for the "
            f"{kind} (one row per line is what spreadsheets are for)"
        )


def default_kind(fmt: str) -> str:
    return "scan-log" if fmt == "csv" else "full"


def write_report(
    report: Report, fmt: str, out: IO[bytes], kind: str = "full", delimiter: str = ","
) -> None:
    check_request(fmt, kind)
    if fmt == "csv":
        write_csv(parts(report, (kind,))[0], out, delimiter)
    elif fmt == "xlsx":
        write_xlsx(parts(report, PARTS if kind == "full" else (kind,)), out, report.event.name)
    else:
        pdf = importlib.import_module("scanner.reports.pdf")
        pdf.write_pdf(report, out)


def write_report_file(
    report: Report, out: Path, fmt: str, kind: str = "full", delimiter: str = ","
) -> None:
    """Written next to its final name and renamed when complete: a report cut short (full
    disk, a kill) never looks whole, and an older report of the same name stays until then."""
    check_request(fmt, kind)
    partial = out.with_name(out.name + ".part")
    try:
        with partial.open("wb") as handle:
            write_report(report, fmt, handle, kind, delimiter)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
