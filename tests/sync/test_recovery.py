"""Recovery paths: a 401 never wipes a door, a transport answer never drops a check-in, a batch
the server cannot take is narrowed so one bad entry never holds back the others."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from scanner.store.device import DeviceLocked
from scanner.sync.engine import HELD_RETRY, Syncer
from scanner.sync.state import Link
from server_stub.db import open_database
from server_stub.services.devices import revoke_device
from tests.cli.run import scanner
from tests.store_jobs import write_sql
from tests.sync.conftest import Device, Platform, short_timeout_client


def _scan_some(device: Device, platform: Platform, count: int = 5) -> list[str]:
    event = platform.event
    for ticket_id in event.ticket_ids[:count]:
        device.scan(event.codes[ticket_id])
    return [row.id for row in device.journal()]


def _tickets(device: Device) -> int:
    return int(device.journal("SELECT COUNT(*) FROM tickets")[0][0])


def _states(device: Device) -> list[str]:
    return [row.upload_state for row in device.journal()]


def _api_body(reason: str, detail: str = "whatever") -> bytes:
    return json.dumps({"reason": reason, "detail": detail}).encode()


def _checkin_requests(platform: Platform, since: int = 0) -> int:
    return sum("/checkins" in path for path in platform.proxy.requests[since:])


def _assert_all_on_server_once(device: Device, platform: Platform, ids: list[str]) -> None:
    on_server = platform.entries_per_id()
    assert {entry: on_server.get(entry) for entry in ids} == dict.fromkeys(ids, 1)


def _recovers(device: Device, platform: Platform, ids: list[str]) -> None:
    """Once the fault clears, one sync puts every entry on the server exactly once."""
    platform.proxy.set("pass")
    assert device.sync().link is Link.ONLINE
    _assert_all_on_server_once(device, platform, ids)


# -- item 2: a 401 never wipes a door -------------------------------------------------------


def _forget_device_on_server(platform: Platform, device: Device) -> None:
    """As a server restored from a backup taken before this door enrolled."""
    db = open_database(platform.server.database_url)
    with db.writing() as session:
        session.execute(
            text("UPDATE enrollment_codes SET device_id = NULL WHERE device_id = :d"),
            {"d": device.store.device_id},
        )
        session.execute(text("DELETE FROM devices WHERE id = :d"), {"d": device.store.device_id})
    db.dispose()


@pytest.mark.parametrize(
    "how", ["proxy_strips_the_token", "proxy_says_401", "server_lost_the_device"]
)
def test_a_401_that_is_not_a_revocation_keeps_the_door_working(
    platform: Platform, enrolled: Device, how: str
) -> None:
    ids = _scan_some(enrolled, platform, 3)
    tickets = _tickets(enrolled)
    if how == "proxy_strips_the_token":
        platform.proxy.set("strip_auth")
    elif how == "proxy_says_401":
        platform.proxy.set("respond", status=401, body=b"<html>Unauthorized</html>")
    else:
        _forget_device_on_server(platform, enrolled)
    state = enrolled.sync()
    assert state.link is Link.FAILING
    assert "did not accept this device's token" in (state.last_error or "")
    assert state.waiting == 3 and _states(enrolled) == ["pending"] * 3
    assert _tickets(enrolled) == tickets  # the attendee list and keys are still there
    assert enrolled.scan(platform.event.codes[platform.event.ticket_ids[5]]) == "ok"
    assert enrolled.sync().link is Link.FAILING  # a later cycle retries, and still keeps all
    assert _tickets(enrolled) == tickets
    if how != "server_lost_the_device":
        platform.proxy.set("pass")
        assert enrolled.sync().link is Link.ONLINE
        _assert_all_on_server_once(enrolled, platform, [row.id for row in enrolled.journal()])
    else:
        assert len(ids) == 3


def _revoke(platform: Platform, device: Device) -> None:
    db = open_database(platform.server.database_url)
    with db.writing() as session:
        assert revoke_device(session, platform.event.event_id, device.store.device_id)
    db.dispose()


def test_a_revocation_locks_the_door_exports_the_journal_and_wipes_only_on_reset(
    platform: Platform, enrolled: Device, capsys: pytest.CaptureFixture[str]
) -> None:
    _scan_some(enrolled, platform, 3)
    tickets = _tickets(enrolled)
    _revoke(platform, enrolled)
    state = enrolled.sync()
    assert state.link is Link.REVOKED and "scanning stopped" in state.describe()
    exported = sorted(enrolled.directory.glob("journal-revoked-*.jsonl"))
    assert len(exported) == 1 and str(exported[0]) in (state.last_error or "")
    assert exported[0].stat().st_mode & 0o777 == 0o600  # names: this user's only (issue 21)
    lines = exported[0].read_text().splitlines()
    assert json.loads(lines[0])["entries"] == 3 and len(lines) == 4
    assert _tickets(enrolled) == tickets  # nothing wiped by the answer itself
    with pytest.raises(DeviceLocked, match="scanner reset"):
        enrolled.scan(platform.event.codes[platform.event.ticket_ids[4]])
    requests = len(platform.proxy.requests)
    assert enrolled.sync().link is Link.REVOKED
    assert platform.proxy.requests[requests:] == []  # a locked door does not call again

    data_dir = enrolled.directory
    enrolled.store.close()
    check = scanner(capsys, data_dir, "check", platform.event.codes[platform.event.ticket_ids[4]])
    assert check.code == 7 and "scanner reset" in check.err
    assert scanner(capsys, data_dir, "sync").code == 7
    unconfirmed = scanner(capsys, data_dir, "reset", "--discard")
    assert unconfirmed.code == 2 and "--yes" in unconfirmed.err
    done = scanner(capsys, data_dir, "reset", "--discard", "--yes")
    assert done.code == 0, done.err
    assert scanner(capsys, data_dir, "sync").code == 5  # not enrolled: offline use only
    journal = scanner(capsys, data_dir, "export-journal", str(data_dir / "after.jsonl"))
    assert journal.code == 0 and "3 journal entries" in journal.out


# -- item 3: a transport answer never drops a check-in --------------------------------------


@pytest.mark.parametrize(
    ("status", "body", "content_type", "words"),
    [
        (404, b"<html>Not Found</html>", "text/html", "404, not from the companion API"),
        (403, b"<html>Forbidden</html>", "text/html", "403, not from the companion API"),
        (400, b"Bad Request", "text/plain", "400, not from the companion API"),
        (502, b"<html>Bad Gateway</html>", "text/html", "502, not from the companion API"),
        (403, _api_body("wrong_event"), "application/json", "403 wrong_event"),
    ],
)
def test_a_batch_level_answer_never_settles_an_entry(
    platform: Platform, enrolled: Device, status: int, body: bytes, content_type: str, words: str
) -> None:
    ids = _scan_some(enrolled, platform, 4)
    platform.proxy.set(
        "respond", path="/checkins", status=status, body=body, content_type=content_type
    )
    state = enrolled.sync()
    assert state.link is Link.FAILING and words in (state.last_error or ""), state.last_error
    assert state.waiting == 4 and state.held == 0
    assert _states(enrolled) == ["pending"] * 4
    assert _checkin_requests(platform) == 1  # nothing to narrow: not about the entries
    _recovers(enrolled, platform, ids)


def test_an_answer_for_other_entries_is_an_error_not_a_loop(
    platform: Platform, enrolled: Device
) -> None:
    ids = _scan_some(enrolled, platform, 2)
    other = {"results": [{"id": "someone-else", "status": "accepted"}] * 2}
    platform.proxy.set(
        "respond",
        path="/checkins",
        status=200,
        body=json.dumps(other).encode(),
        content_type="application/json",
    )
    state = enrolled.sync()
    assert state.link is Link.FAILING
    assert "named other entries than were sent" in (state.last_error or "")
    assert _checkin_requests(platform) == 1 and _states(enrolled) == ["pending"] * 2
    _recovers(enrolled, platform, ids)


def _shifted_syncer(device: Device, by: timedelta) -> Syncer:
    return Syncer(device.store, lambda: datetime.now(UTC) + by, short_timeout_client)


@pytest.mark.parametrize(("status", "reason"), [(500, "internal_error"), (422, "invalid_request")])
def test_a_poison_entry_is_held_back_and_the_others_go(
    platform: Platform, enrolled: Device, status: int, reason: str
) -> None:
    ids = _scan_some(enrolled, platform, 7)
    poison = ids[2]
    platform.proxy.set(
        "poison",
        path="/checkins",
        marker=poison.encode(),
        status=status,
        body=_api_body(reason, "the server cannot take this entry"),
        content_type="application/json",
    )
    state = enrolled.sync()
    assert state.link is Link.ONLINE, state.last_error
    assert state.waiting == 0 and state.held == 1
    assert state.held_reasons == {f"{reason}: the server cannot take this entry": 1}
    _assert_all_on_server_once(enrolled, platform, [i for i in ids if i != poison])
    assert dict(enrolled.journal())[poison] == "held"  # kept, with its reason, never deleted
    assert _checkin_requests(platform) <= 2 * 7

    requests = len(platform.proxy.requests)
    assert enrolled.sync().held == 1  # not retried before its time
    assert _checkin_requests(platform, requests) == 0
    platform.proxy.set("pass")
    later = _shifted_syncer(enrolled, HELD_RETRY + timedelta(seconds=1))
    try:
        state = later.run_once()
    finally:
        later.close()
    assert state.link is Link.ONLINE and state.held == 0 and state.waiting == 0
    _assert_all_on_server_once(enrolled, platform, ids)


def test_a_lone_poison_entry_never_stops_the_pull_and_is_retried_without_failing(
    platform: Platform, enrolled: Device
) -> None:
    (poison,) = _scan_some(enrolled, platform, 1)
    platform.proxy.set(
        "poison",
        path="/checkins",
        marker=poison.encode(),
        status=500,
        body=_api_body("internal_error", "the server failed; see its log"),
        content_type="application/json",
    )
    requests = len(platform.proxy.requests)
    state = enrolled.sync()
    assert state.link is Link.ONLINE and state.held == 1 and state.waiting == 0
    assert any("/changes" in path for path in platform.proxy.requests[requests:])  # pulled
    later = _shifted_syncer(enrolled, HELD_RETRY + timedelta(seconds=1))
    try:
        requests = len(platform.proxy.requests)
        state = later.run_once()  # its turn again, and the server still cannot take it
        assert _checkin_requests(platform, requests) == 1
        assert state.link is Link.ONLINE and state.held == 1
    finally:
        later.close()
    assert dict(enrolled.journal())[poison] == "held"


def test_a_server_that_takes_nothing_is_not_narrowed_to_the_end(
    platform: Platform, enrolled: Device
) -> None:
    ids = _scan_some(enrolled, platform, 8)
    platform.proxy.set(
        "poison",
        path="/checkins",
        marker=b"entries",
        status=500,
        body=_api_body("internal_error", "the server failed; see its log"),
        content_type="application/json",
    )
    state = enrolled.sync()
    assert state.link is Link.FAILING and "500 internal_error" in (state.last_error or "")
    assert state.held == 0 and state.waiting == 8  # nothing held back: no entry's fault
    assert _checkin_requests(platform) <= 8  # 8 -> 4 -> 2 -> 1, 1, 2 -> 1: then it stops
    _recovers(enrolled, platform, ids)


def test_entries_an_older_version_rejected_for_good_are_sent_again(
    platform: Platform, enrolled: Device
) -> None:
    ids = _scan_some(enrolled, platform, 2)
    write_sql(
        enrolled.store,
        "UPDATE journal SET upload_state = 'rejected', server_reason = 'not_found: x'",
    )
    state = enrolled.sync()
    assert state.link is Link.ONLINE and state.waiting == 0 and state.held == 0
    _assert_all_on_server_once(enrolled, platform, ids)


def test_status_and_sync_show_why_entries_are_held_back(
    platform: Platform, enrolled: Device, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = _scan_some(enrolled, platform, 2)
    platform.proxy.set(
        "poison",
        path="/checkins",
        marker=ids[0].encode(),
        status=422,
        body=_api_body("invalid_request", "door too long"),
        content_type="application/json",
    )
    assert enrolled.sync().held == 1
    platform.proxy.set("respond", status=503, body=b"down for maintenance")
    data_dir: Path = enrolled.directory
    enrolled.store.close()
    shown = scanner(capsys, data_dir, "sync")
    assert shown.code == 1
    assert "503, not from the companion API" in shown.out
    assert "1 entries held back" in shown.out and "invalid_request: door too long" in shown.out
    status = scanner(capsys, data_dir, "status")
    assert "invalid_request: door too long" in status.out


# -- item 8: what a newcomer trips over -----------------------------------------------------


def test_the_name_given_at_enrolment_is_what_staff_see(
    platform: Platform, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    door = tmp_path / "named"
    code = platform.event.enrollment_code("north")
    enrolled = scanner(capsys, door, "enroll", platform.proxy.url, code, "--name", "Laptop 3")
    assert enrolled.code == 0, enrolled.err
    ticket = platform.event.codes[platform.event.ticket_ids[0]]
    assert scanner(capsys, door, "check", ticket).code == 0
    again = scanner(capsys, door, "check", ticket)
    assert again.code == 1 and "(north, device Laptop 3)" in again.out, again.out
    shown = scanner(capsys, door, "check", ticket, "--json").json_lines()[0]
    assert shown["first_admission"]["device_name"] == "Laptop 3"


def test_the_progress_line_ends_before_the_result_or_the_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scanner.app import technician
    from scanner.sync.errors import NoConnection
    from scanner.sync.state import SyncState

    def cut_short(*_args: object, progress: Any, **_kwargs: object) -> SyncState:
        progress(1000, 5000)
        raise NoConnection("cannot reach the server (no network, or the server is down)")

    def done(*_args: object, progress: Any, **_kwargs: object) -> SyncState:
        progress(1000, 5000)
        progress(4990, 5000)  # a total that counts passages too: never "done == total"
        return SyncState(Link.ONLINE)

    monkeypatch.setattr(technician, "enroll", cut_short)
    failed = scanner(capsys, tmp_path / "a", "enroll", "http://127.0.0.1:9", "CODE")
    assert failed.err == (
        "\rsnapshot: 1000 / 5000 records\n"
        "error: cannot reach the server (no network, or the server is down)\n"
    )
    monkeypatch.setattr(technician, "enroll", done)
    ok = scanner(capsys, tmp_path / "b", "enroll", "http://127.0.0.1:9", "CODE")
    assert ok.code == 0 and ok.err.endswith("4990 / 5000 records\n")
