"""The report options both command lines take (`scanner report`, `scanner-server report`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from scanner.reports.model import Options, Report
from scanner.reports.writers import FORMATS, KINDS, Request, check_request, default_kind


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, help="default: from --out's extension")
    parser.add_argument("--out", required=True, type=Path, metavar="FILE")
    parser.add_argument(
        "--part",
        choices=KINDS,
        help="full (XLSX, PDF: default) or one part (CSV: default scan-log)",
    )
    parser.add_argument("--delimiter", choices=(",", ";"), default=",", help="CSV only")
    parser.add_argument("--no-names", action="store_true", help="leave holders' names out")
    parser.add_argument("--emails", action="store_true", help="include e-mail addresses")


def report_request(args: argparse.Namespace) -> Request:
    """The request from parsed arguments; ValueError says what is wrong."""
    fmt = args.format or args.out.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise ValueError(f"say --format csv, xlsx or pdf ({args.out.name!r} does not say)")
    kind = args.part or default_kind(fmt)
    check_request(fmt, kind)
    return Request(fmt, kind, Options(names=not args.no_names, emails=args.emails), args.delimiter)


def written(request: Request, out: Path, report: Report | None) -> str:
    """The line both command lines print when a report is written."""
    line = f"{request.fmt} report ({request.kind}) written to {out}"
    if report is None:
        return line
    t = report.totals
    return (
        f"{line}: {t.admitted} of {t.expected} admitted, {t.refused} refused,"
        f" {t.conflicts} conflicts"
    )
