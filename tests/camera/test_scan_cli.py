"""`scanner decode` and `scanner scan`: a video of known tickets through the whole door."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from scanner.app.clock import FixedClock
from scanner.app.demo import DemoEvent
from scanner.app.events import VerdictCommitted
from scanner.app.session import DoorSession
from scanner.camera.layouts import Garbling
from scanner.camera.pipeline import LatestFrame
from scanner.camera.synthetic import Sample, SyntheticSource
from scanner.camera.wedge import WedgeScan
from scanner.cli import exits
from tests.cli.run import event_today, scanner

ROOT = Path(__file__).resolve().parents[2]


def _admissible(event: DemoEvent, count: int) -> list[str]:
    rows = [r for r in event.rows if r.status == "valid" and r.ticket_type in ("ga", "vip")]
    return [event.codes[r.ticket_id] for r in rows[:count]]


def _ticket_of(event: DemoEvent, code: str) -> str:
    return next(t for t, c in event.codes.items() if c == code)


@pytest.fixture(scope="module")
def ticket_video(tmp_path_factory: pytest.TempPathFactory, demo_event: DemoEvent) -> Path:
    """Five tickets, each in view for 0.4 s, then the first again 3.6 s after it left (longer
    than the repeat window: one more verdict, `already_checked_in`)."""
    codes = _admissible(demo_event, 5)
    codes.append(codes[0])
    path = tmp_path_factory.mktemp("video") / "tickets.avi"
    source = SyntheticSource(codes, paced=False, options="hold=12,gap=12,seed=3")
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30, (1280, 720), False)
    while (frame := source.read()) is not None:
        writer.write(frame.image)
    writer.release()
    return path


@pytest.mark.parametrize("mode", [[], ["--every-frame"]], ids=["live", "every-frame"])
def test_every_ticket_in_a_video_gives_exactly_one_verdict_in_order(
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    demo_event: DemoEvent,
    ticket_video: Path,
    mode: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # live mode through the threads, but the file waits for each frame to be taken: a loaded
    # machine must not make a ticket's frames drop (that is the timing model's own test)
    monkeypatch.setattr(LatestFrame, "lossless", True)
    ran = scanner(
        capsys, event_today(data_dir), "scan", "--source", str(ticket_video), "--json", *mode
    )
    assert ran.code == exits.OK, ran.err
    verdicts = ran.json_lines()
    expected = [_ticket_of(demo_event, c) for c in _admissible(demo_event, 5)]
    assert [v["ticket_id"] for v in verdicts] == [*expected, expected[0]]
    assert [v["reason"] for v in verdicts] == ["ok"] * 5 + ["already_checked_in"]
    assert all(v["latency_ms"] >= 0 for v in verdicts)


def test_scan_errors_are_one_line_with_distinct_codes(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    missing = scanner(capsys, data_dir, "scan", "--source", "/no/such/video.avi")
    assert missing.code == exits.NOT_FOUND and missing.err.count("\n") == 1
    bad = scanner(capsys, data_dir, "scan", "--source", "camera:0@huge")
    assert bad.code == exits.USAGE and "resolution" in bad.err


def test_scan_on_a_device_with_no_attendee_list_says_so_instead_of_dropping_codes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "ticket.png").write_bytes((ROOT / "packaging" / "smoke" / "ticket.png").read_bytes())
    for source in (str(folder), "keyboard"):
        ran = scanner(capsys, tmp_path / "empty", "scan", "--source", source, "--every-frame")
        assert ran.code == exits.NO_EVENT
        assert (
            ran.err
            == "error: no event on this device yet: import a snapshot or attendee CSV first\n"
        )


def test_scan_exits_non_zero_when_the_source_dies(
    capsys: pytest.CaptureFixture[str], data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scanner.cli import camera_commands
    from tests.camera.test_pipeline import GappySource

    monkeypatch.setattr(
        camera_commands, "open_source", lambda spec, paced: GappySource([0, 0, -1, 0])
    )
    ran = scanner(capsys, data_dir, "scan", "--source", "camera:0")
    assert ran.code == exits.NOT_FOUND
    errors = [line for line in ran.err.splitlines() if line.startswith("error: ")]
    assert errors == ["error: list: the frame source stopped (OSError)"]


def test_scan_from_a_hand_scanner_in_the_terminal_repairs_and_advises(
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    demo_event: DemoEvent,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first, second = _admissible(demo_event, 2)
    garbled = Garbling("us", "de", caps=True).apply(second)
    typed = f"]Q1{first}\r\n\n{garbled}\n"  # an AIM prefix, a blank line, a garbled code
    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    data_dir = event_today(data_dir)
    ran = scanner(capsys, data_dir, "scan", "--source", "keyboard", "--json")
    assert ran.code == exits.OK, ran.err
    verdicts = ran.json_lines()
    assert [v["ticket_id"] for v in verdicts] == [
        _ticket_of(demo_event, first),
        _ticket_of(demo_event, second),
    ]
    assert [v["reason"] for v in verdicts] == ["ok", "ok"]
    assert [v["source"] for v in verdicts] == ["wedge", "wedge"]
    assert verdicts[0]["advice"] is None and "keyboard setting" in verdicts[1]["advice"]
    monkeypatch.setattr("sys.stdin", io.StringIO(garbled + "\n"))
    shown = scanner(capsys, data_dir, "scan", "--source", "keyboard")
    assert "already" in shown.out.lower() and "fix its keyboard setting" in shown.out


def test_decode_prints_one_object_per_image_in_order(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, samples: list[Sample]
) -> None:
    chosen = [
        next(s for s in samples if s.category == "multi"),
        next(s for s in samples if s.category == "empty_clutter"),
        next(s for s in samples if s.category == "phone_dark"),
    ]
    files = []
    for i, sample in enumerate(chosen):
        files.append(str(tmp_path / f"{i}.png"))
        cv2.imwrite(files[-1], sample.image)
    ran = scanner(capsys, None, "decode", "--json", *files)
    assert ran.code == exits.OK
    lines = [json.loads(line) for line in ran.out.splitlines()]
    assert [line["file"] for line in lines] == files
    assert [set(line["codes"]) for line in lines] == [set(s.texts) for s in chosen]
    assert all(isinstance(line["ms"], float) and line["ms"] >= 0 for line in lines)


def test_decode_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert scanner(capsys, None, "decode", str(tmp_path / "none.png")).code == exits.NOT_FOUND
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"no image here")
    ran = scanner(capsys, None, "decode", str(junk))
    assert ran.code == exits.USAGE and "not an image" in ran.err


def test_cameras_lists_without_failing(capsys: pytest.CaptureFixture[str]) -> None:
    ran = scanner(capsys, None, "cameras", "--json")
    assert ran.code == exits.OK
    assert all("device" in json.loads(line) for line in ran.out.splitlines())


@pytest.fixture
def session(data_dir: Path, clock: FixedClock) -> Iterator[DoorSession]:
    """The door as the window and `scanner scan` drive it, every step on the calling thread."""
    opened = DoorSession(
        data_dir, door="Main entrance", operator="tester", clock=clock, synchronous=True
    )
    yield opened
    opened.close()


def test_a_garbled_wedge_scan_is_repaired_admitted_and_advised(
    session: DoorSession, demo_event: DemoEvent
) -> None:
    code = _admissible(demo_event, 1)[0]
    garbled = Garbling("us", "de", caps=True).apply(code)
    verdict = session.submit_wedge(WedgeScan(garbled, 1.0, 1.1)).result()
    assert verdict.verdict.reason == "ok" and verdict.advice is not None
    assert verdict.source == "wedge"


def test_a_damaged_wedge_scan_is_refused_not_repaired(
    session: DoorSession, demo_event: DemoEvent
) -> None:
    code = _admissible(demo_event, 1)[0]
    damaged = code[:-3] + ("A" if code[-3] != "A" else "B") + code[-2:]
    verdict = session.submit_wedge(WedgeScan(damaged.lower(), 1.0, 1.1)).result()
    assert verdict.verdict.outcome == "rejected" and verdict.advice is None


def test_a_synchronous_door_checks_every_frame_on_the_calling_thread(
    session: DoorSession, demo_event: DemoEvent
) -> None:
    codes = _admissible(demo_event, 2)
    verdicts: list[VerdictCommitted] = []
    threads: set[threading.Thread] = set()

    def heard(verdict: VerdictCommitted) -> None:
        verdicts.append(verdict)
        threads.add(threading.current_thread())

    session.subscribe(heard, VerdictCommitted)
    session.camera.open(SyntheticSource(codes, paced=False, options="hold=4,gap=3"))
    while not session.camera.finished():
        session.camera.step()
    assert [v.verdict.ticket_id for v in verdicts] == [_ticket_of(demo_event, c) for c in codes]
    assert threads == {threading.current_thread()}
    assert all(isinstance(v.latency_ms, float) for v in verdicts)
    assert np.all([v.seq > 0 for v in verdicts])
