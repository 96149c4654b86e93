"""One entry point for every format: `write_report(report, "xlsx", out)`.

The PDF is drawn with Qt in a child process (`pdf_process`): the door's CLI, the door session
and the companion API never load Qt themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO

from scanner.private_files import create_private
from scanner.reports.csv_writer import write_csv
from scanner.reports.model import JournalPass, Options, Progress, Report, build_report
from scanner.reports.part_list import PARTS, parts
from scanner.reports.parts import Part, attendees, scan_log_part
from scanner.reports.pdf_process import write_pdf
from scanner.reports.rows import ReportSource
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
        raise ReportRequestError(f"a CSV file holds one part: ask for one of {', '.join(PARTS)}")
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
        keys = PARTS if kind == "full" else (kind,)
        write_xlsx([_part(report, key) for key in keys], out, report.event.name)
    else:
        write_pdf(report, out)


def _part(report: Report, key: str) -> Callable[[], Part]:
    return lambda: parts(report, (key,))[0]


@dataclass(frozen=True)
class Request:
    fmt: str
    kind: str = "full"
    options: Options = field(default_factory=Options)
    delimiter: str = ","


def produce(
    source: ReportSource,
    generated_at: datetime,
    request: Request,
    out: IO[bytes],
    progress: Progress | None = None,
) -> Report | None:
    """Build and write in as few passes over the journal as the request allows: a CSV scan log
    needs no summary (None is returned), and an XLSX lists the scan log while counting the
    journal, then the attendees while counting the tickets, then the summary."""
    fmt, kind = request.fmt, request.kind
    check_request(fmt, kind)
    if fmt == "csv" and kind == "scan-log":
        write_csv(
            scan_log_part(source.event(), request.options, source.entries), out, request.delimiter
        )
        return None
    if fmt != "xlsx" or kind not in ("full", "scan-log"):
        report = build_report(source, generated_at, request.options, progress)
        write_report(report, fmt, out, kind, request.delimiter)
        return report
    journal = JournalPass(source.event())
    log = scan_log_part(
        source.event(), request.options, lambda: journal.read(source.entries(), progress)
    )
    built: list[Report] = []

    def standing() -> Report:  # after the scan log's pass
        if not built:
            built.append(journal.standing(source, generated_at, request.options))
        return built[0]

    def people() -> Part:  # counts the tickets while it lists them
        report = standing()
        return attendees(report, lambda: journal.count_tickets(report, source.tickets()))

    def counted() -> Report:
        report = standing()
        if not journal.tickets_counted:
            for _ticket in journal.count_tickets(report, source.tickets()):
                pass
        return report

    keys = PARTS if kind == "full" else ("scan-log",)
    first = {"scan-log": lambda: log, "attendees": people}
    sheets = [first.get(key) or _later(counted, key) for key in keys]
    order = [keys.index(key) for key in first if key in keys]
    order += [i for i in range(len(keys)) if i not in order]
    write_xlsx(sheets, out, source.event().name, order)
    return counted()


def _later(report: Callable[[], Report], key: str) -> Callable[[], Part]:
    return lambda: parts(report(), (key,))[0]


def produce_file(
    source: ReportSource,
    generated_at: datetime,
    request: Request,
    out: Path,
    progress: Progress | None = None,
) -> Report | None:
    """Written next to its final name and renamed when complete: a report cut short (full
    disk, a kill) never looks whole, and an older report of the same name stays until then."""
    check_request(request.fmt, request.kind)
    partial = out.with_name(out.name + ".part")
    try:
        with create_private(partial) as handle:  # names and e-mails: this user's only
            report = produce(source, generated_at, request, handle, progress)
        partial.replace(out)
        return report
    finally:
        partial.unlink(missing_ok=True)
