"""`scanner-server report EVENT --format csv|xlsx|pdf --out FILE`: the organizer's report over
every device of an event (docs/reports.md)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from scanner.reports.arguments import add_report_arguments, report_request
from scanner.reports.writers import write_report_file
from server_stub.cli_common import add_command, database
from server_stub.services.report_rows import event_report


def report(args: argparse.Namespace) -> int:
    fmt, kind, options = report_request(args)
    if not args.out.parent.is_dir():
        raise LookupError(f"{args.out.parent}: no such folder")
    built = event_report(database(args), args.event, options)
    try:
        write_report_file(built, args.out, fmt, kind, args.delimiter)
    except OSError as exc:
        raise ValueError(f"{args.out}: cannot write ({exc.strerror})") from None
    totals = built.totals
    print(
        f"{fmt} report of {args.event} written to {args.out}: {totals.admitted} of"
        f" {totals.expected} admitted, {totals.refused} refused, {totals.conflicts} conflicts",
        file=sys.stderr,
    )
    return 0


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    p = add_command(commands, common, "report", report, "write an event's check-in report")
    p.add_argument("event")
    add_report_arguments(p)
