"""Issuing ticket codes (TK1 or SEEDJSON), transfers, and their QR images.

QR images use error level M and, for TK1, the alphanumeric mode: small, low-version symbols decode
far more often when small or blurred than level-H ones (measured for the project).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import segno
from sqlalchemy import select
from sqlalchemy.orm import Session

from scanner.checkin.codes import issued_code_digest, seed_code_digest, verify_code
from scanner.checkin.issuing import mint_seedjson, mint_tk1, seedjson_signature
from scanner.checkin.snapshot_file import code_fingerprint
from server_stub.models import Event, IssuedCode, Revocation, Ticket, utcnow
from server_stub.services.changes import append_changes, lock_event
from server_stub.services.events import seed_secret, signing_keys, verifying_keyring
from server_stub.services.tickets import get_tickets, ticket_record

Format = Literal["TK1", "SEEDJSON"]


class IssueError(ValueError):
    pass


@dataclass(frozen=True)
class Issued:
    ticket_id: str
    format: Format
    code: str
    code_fp: str


def _tk1(event: Event, ticket: Ticket, kid: str | None, reissue: bool) -> str:
    keys = signing_keys(event)
    key = next((k for k in keys if kid is None or k.kid == kid), None)
    if key is None:
        raise IssueError(f"event {event.id} has no signing key {kid or ''}".strip())
    claims: dict[str, object] = {"e": event.id, "t": ticket.id, "k": ticket.type}
    if ticket.days:
        claims["d"] = list(ticket.days)
    if reissue:  # signatures are deterministic: a new code must differ from the revoked one
        claims["iat"] = int(time.time())
    return mint_tk1(key, claims)


def _seedjson(event: Event, ticket: Ticket) -> str:
    secret = seed_secret(event)
    if secret is None:
        raise IssueError(f"event {event.id} has no SEEDJSON secret (create-event --seed-secret)")
    stamp = int(time.time() * 1000)
    ticket.seed_sig = seedjson_signature(secret, ticket.id, stamp)
    # doors without the secret compare the whole code, so an edited timestamp is refused
    ticket.code_digest = seed_code_digest(ticket.id, stamp, ticket.seed_sig)
    return mint_seedjson(secret, ticket.id, stamp)


def issue_codes(
    session: Session,
    event_id: str,
    ticket_ids: list[str] | None,
    fmt: Format,
    *,
    kid: str | None = None,
    reissue: bool = False,
) -> list[Issued]:
    """Codes for the given tickets (None: every ticket that is valid), recorded as issued."""
    event = lock_event(session, event_id)
    if ticket_ids is None:
        tickets = list(
            session.scalars(
                select(Ticket).where(Ticket.event_id == event_id, Ticket.status == "valid")
            )
        )
    else:
        tickets = get_tickets(session, event, ticket_ids)
    keyring = verifying_keyring(event)
    issued, changed = [], []
    for ticket in tickets:
        code = _seedjson(event, ticket) if fmt == "SEEDJSON" else _tk1(event, ticket, kid, reissue)
        check = verify_code(code, keyring)
        assert check.code is not None, "a freshly minted code must verify"
        fp = code_fingerprint(check.code.signature)
        issued.append(Issued(ticket.id, fmt, code, fp))
        session.add(
            IssuedCode(event_id=event_id, ticket_id=ticket.id, format=fmt, code_fp=fp, code=code)
        )
        if fmt == "TK1":  # doors that see exactly this code skip the signature check
            ticket.code_digest = issued_code_digest(code)
        changed.append(ticket_record(ticket))  # devices need the new signature or digest
    append_changes(session, event, changed)
    return issued


def revoke_codes(session: Session, event: Event, ticket_id: str) -> list[str]:
    """Revoke every issued code of a ticket; returns their fingerprints."""
    codes = session.scalars(
        select(IssuedCode).where(
            IssuedCode.event_id == event.id,
            IssuedCode.ticket_id == ticket_id,
            IssuedCode.revoked_at.is_(None),
        )
    ).all()
    fps = sorted({c.code_fp for c in codes})
    for code in codes:
        code.revoked_at = utcnow()
    ticket = session.get(Ticket, (event.id, ticket_id))
    if ticket is not None and ticket.code_digest is not None:
        ticket.code_digest = None
        append_changes(session, event, [ticket_record(ticket)])
    for fp in fps:
        session.add(Revocation(event_id=event.id, ticket_id=ticket_id, code_fp=fp))
    append_changes(
        session, event, [{"k": "revocation", "ticket_id": ticket_id, "code_fp": fp} for fp in fps]
    )
    return fps


def transfer(
    session: Session,
    event_id: str,
    ticket_id: str,
    *,
    name: str | None,
    email: str | None,
    fmt: Format | None = None,
) -> Issued:
    """New holder: the old codes stop admitting (revocations), a new code is issued."""
    event = lock_event(session, event_id)
    (ticket,) = get_tickets(session, event, [ticket_id])
    last = session.scalars(
        select(IssuedCode.format)
        .where(IssuedCode.event_id == event_id, IssuedCode.ticket_id == ticket_id)
        .order_by(IssuedCode.id.desc())
    ).first()
    revoke_codes(session, event, ticket_id)
    if name is not None:
        ticket.name = name
    if email is not None:
        ticket.email = email
    ticket.updated_at = utcnow()
    append_changes(session, event, [ticket_record(ticket)])
    chosen: Format = fmt or ("SEEDJSON" if last == "SEEDJSON" else "TK1")
    (new,) = issue_codes(session, event_id, [ticket_id], chosen, reissue=True)
    return new


def qr_symbol(code: Issued) -> segno.QRCode:
    """Level M, never boosted (a higher level would raise the version); TK1 alphanumeric."""
    mode = "alphanumeric" if code.format == "TK1" else "byte"
    return segno.make_qr(code.code, error="m", mode=mode, boost_error=False)


def qr_png(code: Issued, path: Path, scale: int = 8) -> Path:
    qr_symbol(code).save(str(path), kind="png", scale=scale, border=4)
    return path
