"""The journal as a file, for venues with no internet: `scanner-server import-journal` reads it.

JSON Lines: a header `{"k": "journal", "device_id", "event_id", "exported_at", "entries"}`, then one
`{"k": "entry", ...}` per journal entry in the upload's shape. Written to a temporary file, synced
and renamed, so a crash never leaves half a file under the final name. Importing the same file
twice changes nothing on the server (entries are idempotent by id).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection

from scanner.private_files import create_private
from scanner.store import outbox
from scanner.store.records import get_setting


def export_journal(conn: Connection, path: Path, now: datetime, pending_only: bool = False) -> int:
    entries = [
        entry
        for entry, state in outbox.all_entries(conn)
        if not pending_only or state in outbox.UNSENT
    ]
    header = {
        "k": "journal",
        "device_id": get_setting(conn, "device_id"),
        "event_id": get_setting(conn, "enrolled_event_id") or get_setting(conn, "event_id"),
        "exported_at": now.isoformat(),
        "entries": len(entries),
    }
    temporary = path.with_name(f".{path.name}.partial")
    with create_private(temporary) as out:  # names and e-mails of other doors' scans
        out.write(_line(header))
        for entry in entries:
            out.write(_line({"k": "entry", **entry.to_wire()}))
        out.flush()
        os.fsync(out.fileno())
    temporary.replace(path)
    return len(entries)


def _line(record: Mapping[str, object]) -> bytes:
    return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
