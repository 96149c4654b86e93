"""`scanner doctor`: every check of this installation, what is wrong and what to do about it."""

from __future__ import annotations

import argparse
import sys

from scanner.app.doctor import DoctorSettings, Finding, Level, checks, diagnose, worst
from scanner.app.version import version_line
from scanner.cli import exits
from scanner.cli.commands import Commands
from scanner.cli.output import emit, emit_json

EXIT_CODES = {
    Level.OK: exits.OK,
    Level.INFO: exits.OK,
    Level.WARNING: exits.DOCTOR_WARNING,
    Level.PROBLEM: exits.DOCTOR_PROBLEM,
}
MARKS = {Level.OK: "ok", Level.INFO: "info", Level.WARNING: "WARNING", Level.PROBLEM: "PROBLEM"}


def register(commands: Commands) -> None:
    doctor = commands.add_parser(
        "doctor",
        description="Exit status: 0 all fine, "
        f"{exits.DOCTOR_WARNING} warnings only, {exits.DOCTOR_PROBLEM} problems found.",
    )
    doctor.add_argument("--json", action="store_true", help="one JSON object with all findings")
    doctor.add_argument("--camera", metavar="SPEC", help="try this camera or video instead")
    doctor.add_argument(
        "--skip", action="append", default=[], choices=sorted(checks()), help="leave a check out"
    )
    doctor.add_argument("--timeout", type=float, default=3.0, metavar="SECONDS")
    doctor.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = DoctorSettings.for_folder(
        args.data_dir,
        camera=args.camera,
        timeout_s=args.timeout,
        skip=frozenset(args.skip),
    )
    findings = diagnose(settings)
    level = worst(findings)
    if args.json:
        emit_json(
            {
                "version": version_line(),
                "worst": level.name.lower(),
                "findings": [finding.to_json() for finding in findings],
            }
        )
    else:
        _print(findings, level)
    return EXIT_CODES[level]


def _print(findings: list[Finding], level: Level) -> None:
    emit(version_line())
    for finding in findings:
        emit(f"  {MARKS[finding.level]:<8} {finding.check:<11} {finding.summary}")
        if finding.advice and finding.level > Level.OK:
            emit(f"  {'':<8} {'':<11} -> {finding.advice}")
    words = {
        Level.OK: "All checks passed.",
        Level.INFO: "All checks passed.",
        Level.WARNING: "The door works; look at the warnings above.",
        Level.PROBLEM: "Problems found: fix them before the doors open.",
    }
    emit(words[level])
    sys.stdout.flush()
