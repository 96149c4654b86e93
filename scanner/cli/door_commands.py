"""Door work from the command line: check, undo, search, status."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from scanner.app.errors import NoSuchEntry, UndoError
from scanner.app.session import DoorSession
from scanner.app.timefmt import age
from scanner.checkin.wording import describe
from scanner.cli import exits
from scanner.cli.commands import Commands
from scanner.cli.context import session_for
from scanner.cli.exits import CliError
from scanner.cli.output import (
    clock_lines,
    correction_fields,
    emit,
    emit_correction,
    emit_json,
)
from scanner.cli.typed_text import require_reason, require_ticket_id
from scanner.lang import _


def register(commands: Commands) -> None:
    check = commands.add_parser("check")
    check.add_argument("text", metavar="TEXT", nargs="?", help="the code text (quote it)")
    check.add_argument("--ticket", metavar="ID", help="check in by ticket id, without a code")
    check.add_argument("--door", help="door name; a check-in list's name limits ticket types")
    check.add_argument("--exit", action="store_true", help="record an exit instead of an entry")
    check.add_argument("--json", action="store_true")
    check.set_defaults(func=run_check)

    undo = commands.add_parser("undo")
    undo.add_argument("scan_id", metavar="SCAN_ID", help="the journal entry id of the admission")
    undo.add_argument("--reason", required=True, help="why (kept in the journal)")
    undo.add_argument("--json", action="store_true")
    undo.set_defaults(func=run_undo)

    search = commands.add_parser("search")
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--limit", type=int, default=20)
    search.add_argument("--json", action="store_true")
    search.set_defaults(func=run_search)

    grace = commands.add_parser("grace")
    grace.add_argument("--before-hours", type=float, metavar="H")
    grace.add_argument("--after-hours", type=float, metavar="H")
    grace.add_argument(
        "--event-default", action="store_true", help="forget this door's setting: use the event's"
    )
    grace.set_defaults(func=run_grace)

    status = commands.add_parser("status")
    status.add_argument("--json", action="store_true")
    status.set_defaults(func=run_status)


def run_check(args: argparse.Namespace) -> int:
    if (args.text is None) == (args.ticket is None):
        raise CliError("give either a code TEXT or --ticket ID", exits.USAGE)
    if args.text is not None and not args.text.strip():
        raise CliError("the code text is empty", exits.USAGE)
    if args.ticket is not None:
        require_ticket_id(args.ticket)
    with session_for(args, exit=args.exit) as session:
        if args.ticket is not None:
            result = session.admit_by_hand(args.ticket, "").result()
        else:
            result = session.submit_code(args.text, source="cli").result()
        verdict = result.verdict
        correction = result.clock_correction
        if args.json:
            scan = {"scan_id": result.entry_id, "seq": result.seq}
            emit_json({**scan, **verdict.to_json(), **correction_fields(correction)})
        else:
            wording = describe(verdict, result.timezone, _)
            emit(f"{wording.one_line()}  [scan {result.entry_id}]")
            emit_correction(correction)
    return exits.OK if verdict.outcome != "rejected" else exits.REFUSED


def run_undo(args: argparse.Namespace) -> int:
    require_reason(args.reason)
    with session_for(args) as session:
        try:
            result = session.undo(args.scan_id, args.reason).result()
        except NoSuchEntry as exc:
            raise CliError(str(exc), exits.NOT_FOUND) from None
        except UndoError as exc:
            raise CliError(str(exc), exits.USAGE) from None
    if args.json:
        emit_json({"undo_id": result.undo_id, "annuls": args.scan_id, "seq": result.seq})
    else:
        emit(f"undone: {args.scan_id} (recorded as {result.undo_id})")
    return exits.OK


def run_grace(args: argparse.Namespace) -> int:
    wanted = {"grace_before_s": args.before_hours, "grace_after_s": args.after_hours}
    for key, hours in wanted.items():
        if hours is not None and not 0 <= hours <= 30 * 24:
            raise CliError(f"--{key[6:-2]}-hours must be from 0 to 720", exits.USAGE)
    with session_for(args) as session:
        policy = session.setup.set_grace(args.before_hours, args.after_hours, args.event_default)
    before, after = policy.grace_before_s / 3600, policy.grace_after_s / 3600
    emit(f"admits from {before:g} h before the first event day to {after:g} h after the last")
    return exits.OK


def run_search(args: argparse.Namespace) -> int:
    with session_for(args) as session:
        hits = session.search(args.query, args.limit).result()
    for hit in hits:
        if args.json:
            emit_json(asdict(hit))
        else:
            inside = f"  in since {hit.first_admitted_at[:19]}" if hit.first_admitted_at else ""
            emit(f"{hit.ticket_id}  {hit.holder_name}  {hit.ticket_type}  {hit.status}{inside}")
    return exits.OK if hits else exits.REFUSED


def run_status(args: argparse.Namespace) -> int:
    with session_for(args) as session:
        status = session.status()
        sync_line = _sync_line(session)
        peer_lines = session.peer_lines()
        set_aside_list = session.set_aside_records() if status.set_aside else []
    if args.json:
        emit_json({**asdict(status), "admitted": status.admitted, "expected": status.expected})
        return exits.OK
    emit(f"{status.event_name or status.event_id}: {status.admitted} admitted of {status.expected}")
    for ticket_type, expected in sorted(status.expected_by_type.items()):
        emit(f"  {ticket_type:<20} {status.admitted_by_type.get(ticket_type, 0):>6} / {expected}")
    for door_name, count in sorted(status.admitted_by_door.items()):
        emit(f"  at {door_name:<17} {count:>6}")
    if status.inside is not None:
        emit(f"inside now: {status.inside}")
    emit(f"journal entries not yet uploaded: {status.pending_upload}")
    emit(f"sync: {sync_line}")
    for line in [*clock_lines(session.clock_reading()), *peer_lines]:
        emit(line)
    if status.set_aside:
        emit(f"records from the server set aside (not applied): {status.set_aside}")
        for kept in set_aside_list:
            emit(f"  {kept.received_at[:19]} {kept.origin}: {kept.problem}")
    if status.snapshot_age_s is not None:
        emit(f"attendee list age: {age(status.snapshot_age_s)}")
    return exits.OK


def _sync_line(session: DoorSession) -> str:
    state = session.stored_sync_state()
    enrolment = session.enrolment()
    if enrolment is None:
        return "not enrolled (attendee list from a file)"
    last = state.last_pull_at.isoformat(timespec="seconds") if state.last_pull_at else "never"
    held = f"; {state.held_words()}" if state.held else ""
    return f"{enrolment.server_url}, last pull {last}, conflicts {state.conflicts}{held}"
