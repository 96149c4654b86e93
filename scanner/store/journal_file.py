"""The journal as a file, for venues with no internet: `scanner-server import-journal` reads it.

JSON Lines: a header `{"k": "journal", "device_id", "event_id", "exported_at", "entries"}`, then one
`{"k": "entry", ...}` per journal entry in the upload's shape. Written to a temporary file, synced
and renamed, so a crash never leaves half a file under the final name. Importing the same file
twice changes nothing on the server (entries are idempotent by id).
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection

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
    with temporary.open("w", encoding="utf-8") as out:
        out.write(json.dumps(header, ensure_ascii=False) + "\n")
        for entry in entries:
            out.write(json.dumps({"k": "entry", **entry.to_wire()}, ensure_ascii=False) + "\n")
        out.flush()
        os.fsync(out.fileno())
    temporary.replace(path)
    return len(entries)
