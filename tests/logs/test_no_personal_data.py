"""A whole door day at debug level leaves no names, e-mails, codes, tokens or keys in the logs."""

from __future__ import annotations

import base64
import logging
import os
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

from scanner.app.logs import FILE_NAME, RedactingFormatter, redact, setup_logging
from scanner.checkin.attendees import AttendeeRow
from scanner.store import inspection, sealing
from scanner.store.device import load_enrolment
from server_stub.db import open_database
from server_stub.services.tickets import upsert_tickets
from server_stub.testing import live_server, seed_event, sqlite_url
from tests.cli.run import Ran

PEOPLE = [
    ("Zoë Ødegaard-Nguyễn", "zoe.odegaard@example.org"),
    ("Łukasz Kowalski", "lukasz.k@example.net"),
    ("Siobhán O'Brien", "siobhan+door@example.com"),
]


def _door(directory: Path, logs: Path, *args: str) -> Ran:
    env = {**os.environ, "SCANNER_LOG_DIR": str(logs), "SCANNER_LOG_LEVEL": "DEBUG"}
    argv = [sys.executable, "-m", "scanner", "--data-dir", str(directory), *args]
    done = subprocess.run(argv, capture_output=True, text=True, check=False, env=env)
    return Ran(done.returncode, done.stdout, done.stderr)


def test_a_door_day_at_debug_level_logs_no_personal_data_or_secret(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    event = seed_event(url, tickets_per_type=3, ticket_types=("ga",))
    ids = event.ticket_ids
    _name_tickets(url, event.event_id, ids)
    door, logs = tmp_path / "door", tmp_path / "logs"
    secrets_used = [event.organizer_token, *event.codes.values()]
    with ExitStack() as running:
        server = running.enter_context(live_server(url))
        code = event.enrollment_code()
        secrets_used.append(code)
        assert _door(door, logs, "enroll", server.url, code).code == 0
        first = _door(door, logs, "check", event.codes[ids[0]], "--json")
        assert first.code == 0, first.err
        scan_id = first.json_lines()[0]["scan_id"]
        assert _door(door, logs, "check", event.codes[ids[0]]).code == 1  # already in
        tampered = event.codes[ids[1]][:-4] + "AAAA"
        assert _door(door, logs, "check", tampered).code == 1
        assert _door(door, logs, "check", "not a ticket " + PEOPLE[2][1]).code == 1
        assert PEOPLE[0][0] in _door(door, logs, "search", PEOPLE[0][0].split()[0]).out
        assert PEOPLE[1][0] in _door(door, logs, "search", PEOPLE[1][1]).out
        undo = _door(door, logs, "undo", scan_id, "--reason", f"wrong person: {PEOPLE[1][0]}")
        assert undo.code == 0, undo.err
        assert _door(door, logs, "check", event.codes[ids[2]]).code == 0
        assert _door(door, logs, "sync").code == 0
        secrets_used.append(_device_token(door))
        assert _door(door, logs, "doctor", "--json", "--skip", "camera", "--skip", "qt").out
        running.close()  # the server goes away: sync and doctor meet the fault
        assert _door(door, logs, "check", event.codes[ids[1]]).code == 0
        assert _door(door, logs, "sync").code != 0
        assert _door(door, logs, "doctor", "--skip", "camera", "--skip", "qt").out
    (door / "scanner.sqlite3").write_bytes(b"damaged" * 100)  # a broken file on top
    assert _door(door, logs, "status").code != 0
    text = _all_logs(logs)
    assert "command check started" in text and "DEBUG" in text  # the log really was written
    key = sealing.key_path().read_bytes()
    forbidden = [p for person in PEOPLE for p in (*person, person[0].split()[0])]
    forbidden += [*secrets_used, key.hex(), base64.urlsafe_b64encode(key).decode().rstrip("=")]
    leaks = [word for word in forbidden if word.lower() in text.lower()]
    assert leaks == []


def test_the_formatter_blanks_what_a_careless_call_would_leak(tmp_path: Path) -> None:
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "ticket %s for %s", ("TK1.E1.abc.def", "a@b.org"), None
    )
    line = RedactingFormatter("%(message)s").format(record)
    assert line == "ticket [redacted] for [redacted]"
    sql = "(sqlite3.IntegrityError) [SQL: INSERT INTO t VALUES (?, ?)] [parameters: ('Zoë', 'z')]"
    assert "Zoë" not in redact(sql) and "[SQL: INSERT" in redact(sql)
    assert redact('{"token": "s3cr3t-v4lue"}') == '{"token": "[redacted]"}'
    assert redact("Authorization: Bearer abc.def") == "Authorization: [redacted] [redacted]"


def test_log_files_rotate_in_the_log_folder_readable_by_this_user_only(tmp_path: Path) -> None:
    os.environ["SCANNER_LOG_DIR"] = str(tmp_path)
    umask = os.umask(0o022)
    try:
        path = setup_logging("INFO")
        assert path == tmp_path / FILE_NAME and (path.stat().st_mode & 0o077) == 0
        handler = next(h for h in logging.getLogger().handlers if hasattr(h, "maxBytes"))
        for _ in range(3):
            handler.doRollover()  # type: ignore[attr-defined]
        assert (tmp_path / f"{FILE_NAME}.3").exists()
        modes = {p.name: p.stat().st_mode & 0o777 for p in tmp_path.glob(f"{FILE_NAME}*")}
        assert set(modes.values()) == {0o600}, modes  # the files begun by a rollover too
    finally:
        os.umask(umask)
        os.environ["SCANNER_LOG_DIR"] = str(Path(os.environ["SCANNER_KEY_FILE"]).parent / "logs")
        setup_logging("INFO")


def _name_tickets(url: str, event_id: str, ids: list[str]) -> None:
    db = open_database(url)
    try:
        with db.writing() as session:
            rows = [
                AttendeeRow(ticket_id, "ga", holder_name=name, email=email)
                for ticket_id, (name, email) in zip(ids, PEOPLE, strict=True)
            ]
            upsert_tickets(session, event_id, rows)
    finally:
        db.dispose()


def _all_logs(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob(f"{FILE_NAME}*")))


def _device_token(directory: Path) -> str:
    with inspection.reading(directory) as conn:
        enrolment = load_enrolment(conn)
    assert enrolment is not None
    return enrolment.token
