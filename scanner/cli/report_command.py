"""`scanner report`: this door's check-in report as CSV, XLSX or PDF (air-gapped venues)."""

from __future__ import annotations

import argparse

from scanner.cli import exits
from scanner.cli.commands import Commands
from scanner.cli.context import session_for
from scanner.cli.exits import CliError
from scanner.cli.output import emit
from scanner.reports.arguments import add_report_arguments, report_request, written


def register(commands: Commands) -> None:
    report = commands.add_parser("report")
    add_report_arguments(report)
    report.set_defaults(func=run_report)


def run_report(args: argparse.Namespace) -> int:
    try:
        request = report_request(args)
    except ValueError as exc:
        raise CliError(str(exc), exits.USAGE) from None
    if not args.out.parent.is_dir():
        raise CliError(f"{args.out.parent}: no such folder", exits.NOT_FOUND)
    with session_for(args) as session:
        try:
            report = session.reports.export(args.out, request).result()
        except OSError as exc:
            raise CliError(f"{args.out}: cannot write ({exc.strerror})", exits.DATA_FILE) from None
    emit(written(request, args.out, report))
    return exits.OK
