"""Commands about tickets: import, issue codes, cancel, block, transfer."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from scanner.checkin.attendee_csv import read_attendee_csv
from scanner.checkin.reasons import TicketStatus
from server_stub.cli_common import add_command, database, emit
from server_stub.services import issuing, tickets
from server_stub.services.issuing import Issued


def import_attendees(args: argparse.Namespace) -> int:
    with open(args.file, "rb") as handle, database(args).writing() as session:
        rows = (row for _, row in read_attendee_csv(handle))
        counts = tickets.upsert_tickets(session, args.event, rows)
    emit(
        args,
        counts,
        f"{counts['added']} added, {counts['updated']} updated, {counts['unchanged']} unchanged",
    )
    return 0


def add_tickets(args: argparse.Namespace) -> int:
    with database(args).writing() as session:
        ids = tickets.add_tickets(session, args.event, args.type, args.count)
    emit(args, ids, "\n".join(ids))
    return 0


def _write(codes: list[Issued], out: str | None) -> None:
    if out is None:
        return
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    for code in codes:
        issuing.qr_png(code, folder / f"{code.ticket_id}-{code.format.lower()}.png")
    with open(folder / "codes.tsv", "a", encoding="utf-8") as listing:
        for code in codes:
            listing.write(f"{code.ticket_id}\t{code.format}\t{code.code}\n")


def _show(args: argparse.Namespace, codes: list[Issued]) -> None:
    data = [{"ticket_id": c.ticket_id, "format": c.format, "code": c.code} for c in codes]
    emit(args, data, "\n".join(f"{c.ticket_id}\t{c.format}\t{c.code}" for c in codes))


def issue(args: argparse.Namespace) -> int:
    if not args.tickets and not args.all:
        raise ValueError("name tickets or pass --all")
    fmt: Any = args.format.upper()
    with database(args).writing() as session:
        codes = issuing.issue_codes(session, args.event, args.tickets or None, fmt, kid=args.kid)
    _write(codes, args.out)
    _show(args, codes)
    return 0


def set_status(status: TicketStatus) -> Any:
    def handler(args: argparse.Namespace) -> int:
        chosen = TicketStatus.VALID if getattr(args, "unblock", False) else status
        with database(args).writing() as session:
            ids = tickets.set_status(session, args.event, args.tickets, chosen)
        emit(args, ids, f"{len(ids)} ticket(s) now {chosen}")
        return 0

    return handler


def transfer(args: argparse.Namespace) -> int:
    fmt: Any = args.format.upper() if args.format else None
    with database(args).writing() as session:
        code = issuing.transfer(
            session, args.event, args.ticket, name=args.name, email=args.email, fmt=fmt
        )
    _write([code], args.out)
    _show(args, [code])
    return 0


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    def add(name: str, handler: Any, text: str) -> argparse.ArgumentParser:
        sub = add_command(commands, common, name, handler, text)
        sub.add_argument("event")
        return sub

    p = add("import-attendees", import_attendees, "add or update tickets from an attendee CSV")
    p.add_argument("file")
    p = add("add-tickets", add_tickets, "make new tickets with short random ids")
    p.add_argument("--type", required=True)
    p.add_argument("--count", type=int, default=1)
    p = add("issue", issue, "issue codes as text, and as QR PNG files with --out")
    p.add_argument("tickets", nargs="*")
    p.add_argument("--all", action="store_true", help="every valid ticket")
    p.add_argument("--format", choices=["tk1", "seedjson"], default="tk1")
    p.add_argument("--kid", help="TK1 signing key (default: the event's first)")
    p.add_argument("--out", metavar="DIR", help="write <ticket>-<format>.png and codes.tsv here")
    p = add("cancel", set_status(TicketStatus.CANCELED), "cancel tickets (refunds)")
    p.add_argument("tickets", nargs="+")
    p = add("block", set_status(TicketStatus.BLOCKED), "block tickets (or --unblock)")
    p.add_argument("tickets", nargs="+")
    p.add_argument("--unblock", action="store_true")
    p = add("transfer", transfer, "new holder: revoke the ticket's codes and issue a new one")
    p.add_argument("ticket")
    p.add_argument("--name")
    p.add_argument("--email")
    p.add_argument("--format", choices=["tk1", "seedjson"])
    p.add_argument("--out", metavar="DIR")
