"""Importing the journal file a scanner exports after an offline event (docs/server.md).

JSON Lines, optionally gzip: an optional header line `{"k": "journal", "device_id": ...}`, then one
check-in entry per line (the upload's ENTRY shape, `"k": "entry"` optional, an optional
`device_id` of its own). Every line is validated before anything is stored; then the entries go
through the same ingest as uploads, so re-importing a file only finds duplicates.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.orm import Session

from scanner.checkin.snapshot_file import file_lines
from server_stub.models import utcnow
from server_stub.schemas import CheckinEntry
from server_stub.services.ingest import Uploader, ingest

BATCH = 500


class JournalError(ValueError):
    pass


def read_journal(path: Path, device_id: str | None) -> dict[str, list[CheckinEntry]]:
    """Entries by device id; raises JournalError naming the first bad line."""
    by_device: dict[str, list[CheckinEntry]] = defaultdict(list)
    default_device = device_id
    for number, line in enumerate(file_lines(path), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (ValueError, UnicodeDecodeError):
            raise JournalError(f"line {number}: not JSON") from None
        if not isinstance(obj, dict):
            raise JournalError(f"line {number}: not a JSON object")
        kind = obj.pop("k", "entry")
        if kind == "journal":
            default_device = device_id or obj.get("device_id")
            continue
        if kind != "entry":
            raise JournalError(f"line {number}: unknown line kind {kind!r}")
        device = obj.pop("device_id", None) or default_device
        if not isinstance(device, str) or not 1 <= len(device) <= 32:
            raise JournalError(f"line {number}: no device id (give --device or a header line)")
        try:
            by_device[device].append(CheckinEntry.model_validate(obj))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise JournalError(f"line {number}: {where}: {first['msg']}") from None
    return by_device


def import_journal(
    session: Session, event_id: str, path: Path, device_id: str | None = None
) -> Counter[str]:
    counts: Counter[str] = Counter()
    now = utcnow()
    for device, entries in read_journal(path, device_id).items():
        for start in range(0, len(entries), BATCH):
            chunk = entries[start : start + BATCH]
            for result in ingest(session, event_id, Uploader(device), chunk, now):
                counts[result["status"]] += 1
    return counts
