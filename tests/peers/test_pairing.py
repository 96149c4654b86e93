"""An event with no internet at all: a lead pairs the doors by hand (`scanner peers --pair-new`
at one, `--pair SECRET` at the others); they then hear each other like enrolled doors. The peer
settings are checked before anything is kept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scanner.app.demo import DemoEvent
from scanner.cli import exits
from scanner.store.store import Store
from tests.cli.run import event_today, scanner
from tests.conftest import EVENT_NOW
from tests.peers.doors import DoorProcess


def _door(folder: Path, snapshot_file: Path, demo_event: DemoEvent) -> Path:
    """A door with the event's snapshot imported from a file (a device id of its own)."""
    with Store(folder, synchronous=True) as store:
        store.import_snapshot_file(
            snapshot_file, EVENT_NOW, vouched=demo_event.platform_fingerprint
        )
    return event_today(folder)


def test_doors_paired_by_hand_hear_each_other(
    tmp_path: Path,
    snapshot_file: Path,
    demo_event: DemoEvent,
    capsys: pytest.CaptureFixture[str],
    loopback_multicast: None,
) -> None:
    lead, other = (_door(tmp_path / n, snapshot_file, demo_event) for n in ("lead", "other"))
    alone = scanner(capsys, lead, "peers")
    assert "no peer secret" in alone.out
    made = scanner(capsys, lead, "peers", "--pair-new", "--port", "0")
    found = re.search(r"--pair ([A-Z2-7-]+)", made.out)
    assert made.code == exits.OK and found is not None
    assert scanner(capsys, other, "peers", "--pair", found.group(1), "--port", "0").code == 0

    doors = [DoorProcess(lead), DoorProcess(other)]
    try:
        doors[1].nearby(1)
        code = demo_event.codes[demo_event.rows[0].ticket_id]
        admitted = doors[0].scan(code)
        assert admitted["reason"] == "ok"
        doors[1].knows(admitted["entry_id"])
        assert doors[1].scan(code)["reason"] == "already_checked_in"
        listed = scanner(capsys, other, "status")  # beside the running door
        assert "doors nearby: 1" in listed.out
        assert "listens on 127.0.0.1, port any" in listed.out
    finally:
        for door in doors:
            door.close()


def test_peer_settings_are_checked_before_they_are_kept(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = scanner(capsys, data_dir, "peers", "--interface", "nowhere0")
    assert wrong.code == exits.USAGE and "no network interface 'nowhere0'" in wrong.err
    bad = scanner(capsys, data_dir, "peers", "--add", "192.168.1.20")
    assert bad.code == exits.USAGE and "is not host:port" in bad.err
    typo = scanner(capsys, data_dir, "peers", "--pair", "ABCD-1189-!!")
    assert typo.code == exits.USAGE and "letters A-Z and digits 2-7" in typo.err
    kept = scanner(
        capsys, data_dir, "peers", "--add", "192.168.1.20:47820", "--interface", "loopback"
    )
    assert kept.code == exits.OK
    assert "given by hand: 192.168.1.20:47820" in kept.out
    assert "listens on 127.0.0.1" in kept.out
    gone = scanner(capsys, data_dir, "peers", "--remove", "192.168.1.20:47820")
    assert "given by hand" not in gone.out
