"""Sync from the command line: enroll, sync, conflicts, export-journal, reset."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from scanner.app.errors import NoEventError, StoreError, SyncError, UnsentEntries
from scanner.app.technician import ClockReading, DataFile, Link, SyncState, plain_http_warning
from scanner.cli import exits
from scanner.cli.commands import Commands
from scanner.cli.exits import CliError
from scanner.cli.output import clock_lines, emit, emit_json

LINK_EXIT = {Link.ONLINE: exits.OK, Link.NOT_ENROLLED: exits.NO_EVENT, Link.REVOKED: exits.LOCKED}


def register(commands: Commands) -> None:
    p = commands.add_parser("enroll")
    p.add_argument("url", metavar="URL", help="the companion API, e.g. https://checkin.example")
    p.add_argument("code", metavar="CODE", help="the one-time enrolment code")
    p.add_argument("--name", help="a label for this device on the server")
    _unsent_options(p)
    p.set_defaults(func=run_enroll)

    p = commands.add_parser("sync")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="one cycle, then exit (the default)")
    mode.add_argument("--watch", action="store_true", help="keep syncing until interrupted")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_sync)

    p = commands.add_parser("conflicts")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_conflicts)

    p = commands.add_parser("export-journal")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--pending-only", action="store_true", help="only entries not yet uploaded")
    p.set_defaults(func=run_export)

    p = commands.add_parser("reset")
    _unsent_options(p)
    p.add_argument("--yes", action="store_true", help="confirm without asking (scripts)")
    p.set_defaults(func=run_reset)


def _unsent_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--export", type=Path, metavar="FILE", help="export unsent entries first")
    group.add_argument("--discard", action="store_true", help="leave unsent entries unsent")


@contextmanager
def _data(args: argparse.Namespace) -> Iterator[DataFile]:
    try:
        data = DataFile(args.data_dir)
    except StoreError as exc:
        raise CliError(str(exc), exits.DATA_FILE) from None
    with data:
        yield data


def _settle_unsent(data: DataFile, args: argparse.Namespace) -> None:
    try:
        exported = data.settle_unsent(args.export, args.discard)
    except UnsentEntries as exc:
        raise CliError(str(exc), exits.USAGE) from None
    if exported is not None:
        emit(f"exported {exported} unsent entries to {args.export}")


class _ProgressLine:
    """'snapshot: 1000 / 5000 records' rewritten in place on stderr, ended with a newline before
    anything else is printed (a result line never lands on the end of it)."""

    def __init__(self) -> None:
        self.open = False

    def __call__(self, done: int, total: int | None) -> None:
        shown = f"{done} / {total}" if total is not None else f"{done}"
        sys.stderr.write(f"\rsnapshot: {shown} records")
        sys.stderr.flush()
        self.open = True

    def end(self) -> None:
        if self.open:
            sys.stderr.write("\n")
            sys.stderr.flush()
            self.open = False


def run_enroll(args: argparse.Namespace) -> int:
    warning = plain_http_warning(args.url)
    if warning:
        print(warning, file=sys.stderr)
    progress = _ProgressLine()
    with _data(args) as data:
        _settle_unsent(data, args)
        try:
            state = data.enroll(args.url, args.code, args.name, progress)
        except SyncError as exc:
            raise CliError(str(exc), exits.REFUSED) from None
        finally:
            progress.end()
        _show(state, as_json=False, clock=data.clock_reading())
    return LINK_EXIT.get(state.link, exits.REFUSED)


def run_sync(args: argparse.Namespace) -> int:
    with _data(args) as data:
        if not args.watch:
            progress = _ProgressLine()
            try:
                state = data.sync_once(progress)
            finally:
                progress.end()
            _show(state, args.json, data.clock_reading())
            if not args.json:
                for line in data.peer_lines():
                    emit(f"  {line}")
            return LINK_EXIT.get(state.link, exits.REFUSED)
        service = data.sync_service()
        service.subscribe(lambda state: _show(state, args.json, data.clock_reading()))
        service.start()
        try:
            while True:
                time.sleep(3600)
        finally:
            service.stop()


def _show(state: SyncState, as_json: bool, clock: ClockReading) -> None:
    if as_json:
        emit_json(
            {
                **asdict(state),
                "clock_warning": state.clock_warning,
                "link": str(state.link),
                "clock": {"state": str(clock.state), "wrong": clock.wrong, "words": clock.words()},
            },
        )
        return
    emit(f"sync: {state.describe()}")
    emit(f"  waiting to upload: {state.waiting}   conflicts: {state.conflicts}")
    if state.held:
        emit(f"  {state.held_words()}")
    emit(f"  last pull: {_moment(state.last_pull_at)}   last push: {_moment(state.last_push_at)}")
    for line in clock_lines(clock):
        emit("  " + line)


def _moment(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment else "never"


def run_conflicts(args: argparse.Namespace) -> int:
    with _data(args) as data:
        try:
            found = data.conflicts()
        except NoEventError as exc:
            raise CliError(str(exc), exits.NO_EVENT) from None
    for conflict in found:
        if args.json:
            emit_json(asdict(conflict))
            continue
        emit(f"ticket {conflict.ticket_id}" + (f", day {conflict.day}" if conflict.day else ""))
        for label, admission in [
            ("first", conflict.first),
            *(("also", a) for a in conflict.others),
        ]:
            device = admission.device_name or admission.device_id
            who = f"device {device}" + (" (this one)" if admission.mine else "")
            emit(f"  {label}: {admission.at[:19]} at {admission.door}, {who}")
    if not found and not args.json:
        emit("no conflicts")
    return exits.OK


def run_export(args: argparse.Namespace) -> int:
    with _data(args) as data:
        try:
            count = data.export_journal(args.file, pending_only=args.pending_only)
        except OSError as exc:
            raise CliError(f"{args.file}: cannot write ({exc.strerror})", exits.NOT_FOUND) from None
    emit(f"exported {count} journal entries to {args.file}")
    return exits.OK


def _confirm_reset(args: argparse.Namespace) -> None:
    if args.yes:
        return
    if not sys.stdin.isatty():
        raise CliError(
            "reset wipes this door's attendee list and keys: confirm with --yes", exits.USAGE
        )
    sys.stderr.write(
        "This wipes this door's enrolment, attendee list and keys (the journal stays).\n"
        "Type 'reset' to go on: "
    )
    sys.stderr.flush()
    if sys.stdin.readline().strip().lower() != "reset":
        raise CliError("reset not confirmed: nothing was changed", exits.USAGE)


def run_reset(args: argparse.Namespace) -> int:
    _confirm_reset(args)
    with _data(args) as data:
        _settle_unsent(data, args)
        left = data.reset()
    emit(f"reset: enrolment, attendee data and keys forgotten ({left} entries waiting)")
    return exits.OK
