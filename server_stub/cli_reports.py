"""`scanner-server report EVENT --format csv|xlsx|pdf --out FILE`: the organizer's report over
every device of an event (docs/reports.md)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from scanner.reports.arguments import add_report_arguments, report_request, written
from scanner.reports.writers import produce_file
from server_stub.cli_common import add_command, database
from server_stub.models import utcnow
from server_stub.services.report_rows import ServerReportSource


def report(args: argparse.Namespace) -> int:
    request = report_request(args)
    if not args.out.parent.is_dir():
        raise LookupError(f"{args.out.parent}: no such folder")
    source = ServerReportSource(database(args), args.event)
    try:
        built = produce_file(source, utcnow(), request, args.out)
    except OSError as exc:
        raise ValueError(f"{args.out}: cannot write ({exc.strerror})") from None
    print(written(request, args.out, built), file=sys.stderr)
    return 0


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    p = add_command(commands, common, "report", report, "write an event's check-in report")
    p.add_argument("event")
    add_report_arguments(p)
