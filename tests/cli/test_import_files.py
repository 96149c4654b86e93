"""`scanner import` tells a snapshot from a CSV by reading it, and says in words what a file it
cannot take is (issue 21, item 6)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from scanner.app.demo import DemoEvent
from scanner.checkin.keyring import b64u_encode
from scanner.cli import exits
from tests.cli.run import scanner


def spelt_otherwise(snapshot: Path, event: DemoEvent, target: Path) -> Path:
    """The snapshot as another platform could write it: `{ "format": ...` with spaces, members in
    another order, the header indented; hashed and signed over those bytes, as the format says."""
    objects = [json.loads(line) for line in snapshot.read_bytes().splitlines()]
    header, records = objects[0], objects[1:-1]
    header = {"format": header.pop("format"), **header}  # "k" no longer first
    lines = [b"   { " + json.dumps(header, indent=None)[1:].encode() + b"\n"]
    lines += [json.dumps(record).encode() + b"\n" for record in records]
    digest = hashlib.sha256(b"".join(lines)).digest()
    signature = Ed25519PrivateKey.from_private_bytes(event.platform_secret).sign(digest)
    end = {"k": "end", "records": len(records), "sha256": digest.hex()}
    lines.append(json.dumps({**end, "sig": b64u_encode(signature)}).encode() + b"\n")
    target.write_bytes(b"".join(lines))
    return target


def test_a_snapshot_spelt_with_spaces_is_read_as_a_snapshot(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, snapshot_file: Path, demo_event: DemoEvent
) -> None:
    spaced = spelt_otherwise(snapshot_file, demo_event, tmp_path / "spaced.jsonl")
    assert spaced.read_bytes().startswith(b'   { "format": "door-scanner-snapshot", "k": ')
    trust = ("--trust", demo_event.platform_fingerprint)
    done = scanner(capsys, tmp_path / "door", "import", str(spaced), *trust, "--json")
    assert done.code == exits.OK, done.err
    assert done.json_lines()[0]["tickets"] == len(demo_event.rows)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"k": "journal", "device_id": "d1", "entries": 0}\n', "'journal' record"),
        ('{\n  "k": "header"\n}\n', "not a snapshot header"),
    ],
)
def test_json_that_is_no_snapshot_is_refused_in_words(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path, text: str, words: str
) -> None:
    path = tmp_path / "some.json"
    path.write_text(text)
    done = scanner(capsys, data_dir, "import", str(path))
    assert done.code == exits.IMPORT_REFUSED, done.err
    assert words in done.err and "nothing changed" in done.err
    assert "CSV" in done.err and "internal error" not in done.err


def test_a_csv_on_a_door_with_no_event_says_what_to_import_first(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    csv = tmp_path / "attendees.csv"
    csv.write_text("ticket_id,holder_name\nT1,Ann Example\n")
    done = scanner(capsys, tmp_path / "door", "import", str(csv))
    assert done.code == exits.NO_EVENT, done.err
    assert "internal error" not in done.err
    assert "snapshot first" in done.err and "--event-id" in done.err
    assert scanner(capsys, tmp_path / "door", "status").code == exits.NO_EVENT  # nothing came in
