"""Which platform keys may sign the snapshots this device imports."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, text

from scanner.checkin.keyring import b64u_encode
from scanner.checkin.snapshot_file import (
    SnapshotError,
    SnapshotHeader,
    TrustCheck,
    key_fingerprint,
    normalise_fingerprint,
)

_KNOWN = text("SELECT 1 FROM trusted_signers WHERE fingerprint = :fp")
_ADD = text(
    "INSERT OR IGNORE INTO trusted_signers (fingerprint, public_b64u, added_at, added_by)"
    " VALUES (:fp, :key, :at, :by)"
)


def add_signer(conn: Connection, public: bytes, now: datetime, added_by: str) -> str:
    fingerprint = key_fingerprint(public)
    params = {"fp": fingerprint, "key": b64u_encode(public), "at": now.isoformat(), "by": added_by}
    conn.execute(_ADD, params)
    return fingerprint


def trust_check(conn: Connection, now: datetime, vouched: str | None = None) -> TrustCheck:
    """Accept known signers; `vouched` (a fingerprint the technician typed) adds a new one."""

    def check(header: SnapshotHeader) -> None:
        fingerprint = header.signer_fingerprint
        if conn.execute(_KNOWN, {"fp": fingerprint}).first() is not None:
            return
        if vouched is not None and normalise_fingerprint(vouched) == fingerprint:
            add_signer(conn, header.signer_public, now, "technician")
            return
        hint = (
            "the fingerprint given with --trust does not match"
            if vouched
            else "if it is your platform's key, import again with --trust"
        )
        raise SnapshotError(
            f"line 1: signed by a key this device does not trust (fingerprint {fingerprint}); "
            f"{hint} (scanner-server platform-key prints it)"
        )

    return check
