"""`scanner demo`: a demo event scanned in the terminal, until the door window exists."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from scanner.app.demo import DemoScript, run_demo
from scanner.checkin.wording import describe
from scanner.cli import exits
from scanner.cli.commands import Commands
from scanner.cli.output import emit

COLOURS = {"ADMITTED": "\033[1;42;97m", "REFUSED": "\033[1;41;97m", "EXIT": "\033[1;44;97m"}


def register(commands: Commands) -> None:
    demo = commands.add_parser("demo")
    demo.add_argument("--attendees", type=int, default=300)
    demo.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="scanner-demo-") as tmp:
        directory = Path(args.data_dir) if args.data_dir else Path(tmp)
        emit(f"Demo event with {args.attendees} attendees in {directory}")
        for step in run_demo(directory, args.attendees):
            _show(step)
    return exits.OK


def _tty() -> bool:
    return sys.stdout.isatty()


def _show(step: DemoScript) -> None:
    wording = describe(step.verdict, step.timezone)
    colour, reset = (COLOURS.get(wording.headline, ""), "\033[0m") if _tty() else ("", "")
    emit(f"\n{step.label}  ({step.ms:.1f} ms, committed)")
    emit(f"  {colour} {wording.headline:<8} {reset} {wording.reason}")
    for line in wording.details:
        emit(f"    {line}")
    time.sleep(0.05)
