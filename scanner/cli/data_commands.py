"""Data in and out: verify-code, import, demo."""

from __future__ import annotations

import argparse
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scanner.app.errors import ImportRefused, NoEventError, StoreError
from scanner.app.technician import DataFile, EventSpec, csv_event, is_snapshot
from scanner.checkin.codes import verify_code
from scanner.checkin.keyring import Keyring, KeyringError, keyring_from_text
from scanner.cli import exits
from scanner.cli.commands import Commands
from scanner.cli.exits import CliError
from scanner.cli.output import emit, emit_json


def register(commands: Commands) -> None:
    verify = commands.add_parser("verify-code")
    verify.add_argument("--keyring", required=True, type=Path, help="keyring JSON file")
    verify.add_argument("--json", action="store_true", help="(the output is always JSON lines)")
    verify.add_argument("texts", nargs="+", metavar="TEXT")
    verify.set_defaults(func=run_verify)

    imp = commands.add_parser("import")
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--trust", metavar="FINGERPRINT", help="trust this platform signing key")
    imp.add_argument("--event-id", help="CSV: the event the rows belong to (TK1 'e' claim)")
    imp.add_argument("--name", default="", help="CSV: the event's name")
    imp.add_argument("--timezone", default="UTC", help="CSV: the event's IANA time zone")
    imp.add_argument("--keyring", type=Path, help="CSV: the event's keyring JSON file")
    imp.add_argument(
        "--allow-older",
        action="store_true",
        help="accept a snapshot older than the attendee list in use (this brings back tickets"
        " canceled and codes revoked since: only to undo a mistaken import)",
    )
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(func=run_import)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CliError(f"{path}: no such file", exits.NOT_FOUND) from None
    except OSError as exc:
        raise CliError(f"{path}: cannot read ({exc.strerror})", exits.NOT_FOUND) from None


def _keyring(path: Path) -> Keyring:
    try:
        return keyring_from_text(_read(path))
    except KeyringError as exc:
        raise CliError(f"{path}: {exc}", exits.USAGE) from None


def run_verify(args: argparse.Namespace) -> int:
    keyring = _keyring(args.keyring)
    all_valid = True
    for text in args.texts:
        check = verify_code(text, keyring)
        all_valid &= check.ok
        emit_json(check.to_json())
    return exits.OK if all_valid else exits.REFUSED


def run_import(args: argparse.Namespace) -> int:
    path: Path = args.file
    if not path.is_file():
        raise CliError(f"{path}: no such file", exits.NOT_FOUND)
    try:
        data = DataFile(args.data_dir)
    except StoreError as exc:
        raise CliError(str(exc), exits.DATA_FILE) from None
    try:
        summary = data.import_file(
            path, trust=args.trust, allow_older=args.allow_older, csv_event=_csv_event(args, path)
        )
    except ImportRefused as exc:
        raise CliError(f"{path}: refused, nothing changed: {exc}", exits.IMPORT_REFUSED) from None
    except NoEventError:  # a CSV carries rows only; without --event-id they are the current event's
        raise CliError(
            f"{path}: nothing imported: an attendee CSV replaces the attendee list of the event on "
            "this device, and there is none yet. Import the event's snapshot first, or name a new "
            "event with --event-id ID --keyring FILE [--name NAME] [--timezone ZONE]",
            exits.NO_EVENT,
        ) from None
    finally:
        data.close()
    if args.json:
        emit_json(summary.__dict__)
    else:
        emit(
            f"imported {summary.tickets} tickets for event {summary.event_id}"
            f" ({summary.revocations} revocations, {summary.passages} passages)"
        )
    return exits.OK


def _csv_event(args: argparse.Namespace, path: Path) -> EventSpec | None:
    if is_snapshot(path) or args.event_id is None:
        return None  # a snapshot names its event; CSV rows without one replace the current list
    if args.keyring is None:
        raise CliError("a CSV import for a new event needs --keyring", exits.USAGE)
    try:
        ZoneInfo(args.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise CliError(f"unknown time zone {args.timezone!r}", exits.USAGE) from None
    return csv_event(args.event_id, args.name, args.timezone, _keyring(args.keyring))
