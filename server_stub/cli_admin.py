"""Commands about events, devices, the platform key, files and serving."""

from __future__ import annotations

import argparse
import gzip
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from scanner.checkin.ids import id_problem
from scanner.private_files import create_private
from server_stub.cli_common import add_command, database, emit
from server_stub.models import Event
from server_stub.services import devices, events, platform
from server_stub.services.changes import prune_changes
from server_stub.services.journal import import_journal
from server_stub.services.snapshot import snapshot_lines


def _pairs(items: list[str]) -> tuple[tuple[str, str], ...]:
    return tuple((i.partition("=")[0], i.partition("=")[2] or i.partition("=")[0]) for i in items)


def _lists(items: list[str]) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    out = []
    for item in items:
        list_id, _, types = item.partition("=")
        out.append((list_id, list_id, tuple(t for t in types.split(",") if t)))
    return tuple(out)


def _seed_secret(args: argparse.Namespace) -> str | None:
    if args.seed_secret_env:
        value = os.environ.get(args.seed_secret_env)
        if not value:
            raise ValueError(f"environment variable {args.seed_secret_env} is empty or unset")
        return value
    if args.seed_secret_file:
        return Path(args.seed_secret_file).read_text(encoding="utf-8").strip()
    return None


def create_event(args: argparse.Namespace) -> int:
    algs = {"ed25519": "Ed25519", "hs256": "HS256"}
    keys = [k.strip().lower() for k in args.keys.split(",") if k.strip() and k.strip() != "none"]
    if any(k not in algs for k in keys):
        raise ValueError("--keys takes ed25519, hs256, both comma-separated, or none")
    spec = events.EventSpec(
        name=args.name,
        event_id=args.id,
        timezone=args.timezone,
        days=tuple(date.fromisoformat(d) for d in args.day),
        ticket_types=_pairs(args.type) or (("general", "General admission"),),
        checkin_lists=_lists(args.list),
        reentry=args.reentry,
        max_code_age_s=args.max_code_age,
        algorithms=tuple(algs[k] for k in keys),
        seed_json_secret=_seed_secret(args),
        seed_secret_to_devices=args.share_seed_secret,
    )
    db = database(args)
    with db.writing() as session:
        event = events.create_event(session, spec)
        token = devices.create_organizer_token(session, event.id, "created with the event")
    emit(
        args,
        {"event_id": event.id, "organizer_token": token},
        f"event {event.id} created\norganizer token (shown once): {token}",
    )
    return 0


def list_events(args: argparse.Namespace) -> int:
    with database(args).reading() as session:
        rows = session.scalars(select(Event).order_by(Event.created_at)).all()
        data = [{"id": e.id, "name": e.name, "days": e.days, "timezone": e.timezone} for e in rows]
    emit(args, data, "\n".join(f"{e['id']}\t{e['name']}\t{e['timezone']}" for e in data))
    return 0


def organizer_token(args: argparse.Namespace) -> int:
    with database(args).writing() as session:
        if session.get(Event, args.event) is None:
            raise LookupError(f"no event {args.event}")
        if args.revoke:
            if not devices.revoke_organizer_token(session, args.event, args.revoke):
                raise LookupError(f"no organizer token {args.revoke} in event {args.event}")
            emit(args, {"revoked": args.revoke}, f"organizer token {args.revoke} revoked")
            return 0
        token = devices.create_organizer_token(session, args.event, args.label)
    emit(args, {"organizer_token": token}, token)
    return 0


MAX_ENROLL_TTL_S = 30 * 24 * 3600  # a code is for the days before an event, not a season


def enroll_code(args: argparse.Namespace) -> int:
    door_problem = id_problem(args.door)
    if door_problem is not None:
        raise ValueError(f"--door: the door name {door_problem}")
    if not 0 < args.ttl <= MAX_ENROLL_TTL_S:
        raise ValueError(f"--ttl: give 1 to {MAX_ENROLL_TTL_S} seconds (30 days), not {args.ttl}")
    with database(args).writing() as session:
        event = session.get(Event, args.event)
        if event is None:
            raise LookupError(f"no event {args.event}")
        code, expires = devices.create_enrollment_code(
            session, event, args.door, args.list, args.ttl
        )
    emit(
        args,
        {"code": code, "expires_at": expires.isoformat(), "door": args.door},
        f"{code}\n(one device, door {args.door!r}, valid until {expires:%Y-%m-%d %H:%M} UTC)",
    )
    return 0


def list_devices(args: argparse.Namespace) -> int:
    with database(args).writing() as session:
        if args.revoke and not devices.revoke_device(session, args.event, args.revoke):
            raise LookupError(f"no device {args.revoke} in event {args.event}")
        rows = devices.list_devices(session, args.event)
        data: list[dict[str, Any]] = [
            {
                "device_id": d.id,
                "door": d.door,
                "name": d.name,
                "enrolled_at": d.created_at.isoformat(),
                "revoked_at": d.revoked_at.isoformat() if d.revoked_at else None,
            }
            for d in rows
        ]
    lines = [
        f"{d['device_id']}\t{d['door']}\t{d['name'] or ''}\t"
        f"{'revoked' if d['revoked_at'] else 'active'}"
        for d in data
    ]
    emit(args, data, "\n".join(lines) or "no devices")
    return 0


def platform_key(args: argparse.Namespace) -> int:
    with database(args).writing() as session:
        info = platform.public_info(session)
    emit(args, info, f"fingerprint: {info['fingerprint']}\npublic key:  {info['public_b64u']}")
    return 0


def export_snapshot(args: argparse.Namespace) -> int:
    db = database(args)
    with db.writing() as session:
        secret = platform.signing_secret(session)
        if session.get(Event, args.event) is None:
            raise LookupError(f"no event {args.event}")
    out = Path(args.output)
    partial = out.with_name(out.name + ".part")  # a cut-short export never looks complete
    # 0600 from the start: the file holds attendee data (and, if asked, minting secrets).
    with create_private(partial) as raw:
        handle: Any = gzip.GzipFile(fileobj=raw, mode="wb") if out.suffix == ".gz" else raw
        for chunk in snapshot_lines(db, args.event, secret, secrets=args.include_secrets):
            handle.write(chunk)
        if handle is not raw:
            handle.close()
    partial.replace(out)
    data = {"event_id": args.event, "path": str(out), "secrets": args.include_secrets}
    if args.json:
        emit(args, data, "")
    else:
        print(f"snapshot of {args.event} written to {out}", file=sys.stderr)
    return 0


def journal(args: argparse.Namespace) -> int:
    """Exit 0 when every line was imported, 1 when some were refused (they are listed)."""
    report = import_journal(database(args), args.event, Path(args.file), args.device, args.force)
    text = [", ".join(f"{n} {k}" for k, n in sorted(report.counts.items())) or "nothing imported"]
    if report.unknown_devices:
        names = ", ".join(sorted(report.unknown_devices))
        text.append(f"flagged: device(s) never enrolled here: {names}")
    if report.bad_lines:
        text.append(f"{report.bad_lines} line(s) refused:")
        text += report.problems
    emit(args, report.as_json(), "\n".join(text))
    return 1 if report.bad_lines else 0


def prune(args: argparse.Namespace) -> int:
    with database(args).writing() as session:
        floor = prune_changes(session, args.event, args.keep)
    emit(args, {"floor": floor}, f"changes up to {floor} forgotten; older cursors get 410")
    return 0


SHUTDOWN_GRACE_S = 3


def serve(args: argparse.Namespace) -> int:
    import uvicorn  # only this command needs it

    database(args).dispose()  # migrate once, before any worker starts
    os.environ["SCANNER_SERVER_DATABASE_URL"] = args.db
    uvicorn.run(
        "server_stub.api.main:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        ws="none",
        # Doors' long-polls on the changes feed (held up to 30 s) are cut after this long, so a
        # restart never waits them out; the doors ask again (docs/sync.md).
        timeout_graceful_shutdown=SHUTDOWN_GRACE_S,
    )
    return 0


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    def add(name: str, handler: Any, text: str) -> argparse.ArgumentParser:
        return add_command(commands, common, name, handler, text)

    p = add("serve", serve, "run the HTTP API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--log-level", default="info")
    p = add(
        "create-event", create_event, "create an event with its keys; prints an organizer token"
    )
    p.add_argument("name")
    p.add_argument("--id", help="event id (default: 6 random characters)")
    p.add_argument("--timezone", default="UTC", help="IANA name; days count in this zone")
    p.add_argument(
        "--day", action="append", default=[], metavar="YYYY-MM-DD", help="an event day (repeat)"
    )
    p.add_argument(
        "--type", action="append", default=[], metavar="ID[=NAME]", help="a ticket type (repeat)"
    )
    p.add_argument(
        "--list",
        action="append",
        default=[],
        metavar="ID=TYPE,TYPE",
        help="a check-in list (repeat)",
    )
    p.add_argument(
        "--reentry", action="store_true", help="exits are scanned and tickets may come back"
    )
    p.add_argument(
        "--max-code-age", type=int, metavar="SECONDS", help="refuse older SEEDJSON codes"
    )
    p.add_argument("--keys", default="ed25519", help="ed25519, hs256, ed25519,hs256 or none")
    p.add_argument(
        "--seed-secret-env", metavar="VAR", help="read the platform's SEEDJSON secret from $VAR"
    )
    p.add_argument(
        "--seed-secret-file", metavar="PATH", help="read the SEEDJSON secret from a file"
    )
    p.add_argument(
        "--share-seed-secret", action="store_true", help="give devices the SEEDJSON secret"
    )
    add("events", list_events, "list events")
    p = add("organizer-token", organizer_token, "make an organizer token for an event (or revoke)")
    p.add_argument("event")
    p.add_argument("--label")
    p.add_argument("--revoke", metavar="TOKEN_ID", help="revoke a token (the part before the dot)")
    p = add("enroll-code", enroll_code, "make a one-time, expiring enrolment code for one door")
    p.add_argument("event")
    p.add_argument("--door", required=True, help="the door's name (an id: not blank, <= 64)")
    p.add_argument("--list", help="the door's check-in list (default: every ticket type)")
    p.add_argument(
        "--ttl", type=int, default=24 * 3600, metavar="SECONDS", help="1 to 2592000 (30 days)"
    )
    p = add("devices", list_devices, "list an event's devices, or revoke one")
    p.add_argument("event")
    p.add_argument("--revoke", metavar="DEVICE_ID")
    add("platform-key", platform_key, "print the snapshot-signing key's fingerprint and public key")
    p = add(
        "export-snapshot",
        export_snapshot,
        "write the signed snapshot file (.gz: compressed), mode 0600. Minting secrets (HS256 "
        "keys, the SEEDJSON secret) are left out unless --include-secrets",
    )
    p.add_argument("event")
    p.add_argument("-o", "--output", required=True)
    p.add_argument(
        "--include-secrets",
        action="store_true",
        help="put the HS256 keys (and the SEEDJSON secret, if the event shares it) in the file: "
        "doors need them to verify such codes; anyone holding the file can then mint tickets",
    )
    p = add(
        "import-journal",
        journal,
        "import the journal file a scanner exported: good lines are imported, bad ones listed "
        "(exit 1); a journal of another event is refused unless --force",
    )
    p.add_argument("event")
    p.add_argument("file")
    p.add_argument("--device", help="device id, when the file has no header line")
    p.add_argument(
        "--force", action="store_true", help="import a journal whose header names another event"
    )
    p = add("prune-changes", prune, "forget old change-log records (devices behind re-snapshot)")
    p.add_argument("event")
    p.add_argument("--keep", type=int, default=100_000)
