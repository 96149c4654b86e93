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

from scanner.app.clock import SystemClock
from scanner.app.syncing import export_to, service_for, syncer_for
from scanner.cli import exits
from scanner.cli.commands import Commands
from scanner.cli.exits import CliError
from scanner.cli.output import emit, emit_json
from scanner.store import device
from scanner.store.conflicts import conflicts
from scanner.store.database import StoreError
from scanner.store.location import data_dir
from scanner.store.store import Store
from scanner.store.tickets import NoEventError
from scanner.sync.enrolment import (
    UnsentEntries,
    enroll,
    plain_http_warning,
    require_nothing_unsent,
    unsent,
)
from scanner.sync.errors import SyncError
from scanner.sync.state import Link, SyncState

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
def _store(args: argparse.Namespace) -> Iterator[Store]:
    try:
        store = Store(data_dir(args.data_dir), synchronous=True)
    except StoreError as exc:
        raise CliError(str(exc), exits.DATA_FILE) from None
    try:
        yield store
    finally:
        store.close()


def _settle_unsent(store: Store, args: argparse.Namespace) -> None:
    if args.export is not None:
        count = export_to(store, args.export, pending_only=True)
        emit(f"exported {count} unsent entries to {args.export}")
        store.writer.run(device.discard_pending)
    elif args.discard:
        store.writer.run(device.discard_pending)
    try:
        require_nothing_unsent(store)
    except UnsentEntries as exc:
        raise CliError(str(exc), exits.USAGE) from None


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
    with _store(args) as store:
        _settle_unsent(store, args)
        try:
            state = enroll(
                store, args.url, args.code, SystemClock().now, name=args.name, progress=progress
            )
        except SyncError as exc:
            raise CliError(str(exc), exits.REFUSED) from None
        finally:
            progress.end()
    _show(state, as_json=False)
    return LINK_EXIT.get(state.link, exits.REFUSED)


def run_sync(args: argparse.Namespace) -> int:
    with _store(args) as store:
        if not args.watch:
            progress = _ProgressLine()
            syncer = syncer_for(store)
            try:
                state = syncer.run_once(progress)
            finally:
                progress.end()
                syncer.close()
            _show(state, args.json)
            return LINK_EXIT.get(state.link, exits.REFUSED)
        service = service_for(store)
        service.subscribe(lambda state: _show(state, args.json))
        service.start()
        try:
            while True:
                time.sleep(3600)
        finally:
            service.stop()


def _show(state: SyncState, as_json: bool) -> None:
    if as_json:
        emit_json(
            {**asdict(state), "clock_warning": state.clock_warning, "link": str(state.link)},
        )
        return
    emit(f"sync: {state.describe()}")
    emit(f"  waiting to upload: {state.waiting}   conflicts: {state.conflicts}")
    if state.held:
        emit(f"  {state.held_words()}")
    emit(f"  last pull: {_moment(state.last_pull_at)}   last push: {_moment(state.last_push_at)}")
    if state.clock_warning:
        emit(f"  warning: {state.clock_warning}")


def _moment(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment else "never"


def run_conflicts(args: argparse.Namespace) -> int:
    with _store(args) as store:
        try:
            found = store.read(conflicts)
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
            who = f"device {admission.device_id}" + (" (this one)" if admission.mine else "")
            emit(f"  {label}: {admission.at[:19]} at {admission.door}, {who}")
    if not found and not args.json:
        emit("no conflicts")
    return exits.OK


def run_export(args: argparse.Namespace) -> int:
    with _store(args) as store:
        try:
            count = export_to(store, args.file, pending_only=args.pending_only)
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
    with _store(args) as store:
        _settle_unsent(store, args)
        store.writer.run(device.forget)
        left = unsent(store)
    emit(f"reset: enrolment, attendee data and keys forgotten ({left} entries waiting)")
    return exits.OK
