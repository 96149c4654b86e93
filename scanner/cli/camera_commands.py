"""Camera work from the command line: `cameras`, `decode` and `scan` (the door without a window)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from scanner.app.camera_tools import (
    BadSourceSpec,
    ImageDecoder,
    NotAnImage,
    SourceUnavailable,
    list_cameras,
    open_source,
)
from scanner.app.events import VerdictCommitted
from scanner.app.session import DoorSession
from scanner.checkin.wording import describe
from scanner.cli import exits
from scanner.cli.commands import Commands
from scanner.cli.context import session_for
from scanner.cli.exits import CliError
from scanner.cli.output import correction_fields, emit, emit_correction, emit_json
from scanner.lang import _

KEYBOARD = "keyboard"


def register(commands: Commands) -> None:
    cameras = commands.add_parser("cameras")
    cameras.add_argument("--json", action="store_true")
    cameras.set_defaults(func=run_cameras)

    decode = commands.add_parser("decode")
    decode.add_argument("files", metavar="FILE", nargs="+")
    decode.add_argument("--json", action="store_true", help="one JSON object per image")
    decode.set_defaults(func=run_decode)

    scan = commands.add_parser("scan")
    scan.add_argument(
        "--source",
        required=True,
        metavar="SPEC",
        help="camera index or device (0, camera:0@1920x1080, /dev/video2), video file or "
        "stream URL, folder:DIR, synthetic[:fps=30,count=5,...], or keyboard (a USB hand "
        "scanner typing into this terminal, one code per line)",
    )
    scan.add_argument("--door", help="door name; a check-in list's name limits ticket types")
    scan.add_argument("--exit", action="store_true", help="record exits instead of entries")
    scan.add_argument("--json", action="store_true", help="one JSON object per verdict")
    scan.add_argument(
        "--repeat-window",
        type=float,
        default=2.0,
        metavar="SECONDS",
        help="a code seen again within this time is reported once (default 2)",
    )
    scan.add_argument(
        "--every-frame",
        action="store_true",
        help="decode every frame of a file or folder in order, not paced like a live camera",
    )
    scan.add_argument("--seconds", type=float, help="stop after this long (live sources)")
    scan.set_defaults(func=run_scan)


def run_cameras(args: argparse.Namespace) -> int:
    cameras = list_cameras()
    for camera in cameras:
        if args.json:
            emit_json(camera.to_json())
        else:
            size = f"{camera.width}x{camera.height}" if camera.width else "size unknown"
            emit(f"{camera.index}  {camera.device}  {camera.name}  {size}")
    if not cameras and not args.json:
        emit("no camera found")
    return exits.OK


def run_decode(args: argparse.Namespace) -> int:
    missing = [name for name in args.files if not Path(name).is_file()]
    if missing:
        raise CliError(f"no such file: {missing[0]}", exits.NOT_FOUND)
    decoder = ImageDecoder()
    for name in args.files:
        try:
            texts, took_ms = decoder.decode_file(Path(name))
        except NotAnImage as exc:
            raise CliError(str(exc), exits.USAGE) from None
        ms = round(took_ms, 2)
        if args.json:
            emit_json({"file": name, "codes": texts, "ms": ms})
        else:
            emit(f"{name}: " + (" | ".join(texts) if texts else "no code") + f"  ({ms} ms)")
    return exits.OK


def run_scan(args: argparse.Namespace) -> int:
    if args.repeat_window < 0:
        raise CliError("--repeat-window cannot be negative", exits.USAGE)
    if args.source == KEYBOARD:
        return _run_keyboard(args)
    try:
        source = open_source(args.source, paced=not args.every_frame)
    except BadSourceSpec as exc:
        raise CliError(str(exc), exits.USAGE) from None
    except SourceUnavailable as exc:
        raise CliError(str(exc), exits.NOT_FOUND) from None
    with session_for(args, exit=args.exit, repeat_window_s=args.repeat_window) as session:
        session.require_event()  # else every code would be dropped without a word
        session.subscribe(lambda event: _show(event, args.json), VerdictCommitted)
        session.camera.open(source)
        failure = None
        if args.every_frame:
            while not session.camera.finished():
                session.camera.step()
        else:
            failure = _run_live(session, args.seconds)
        session.drain()
    if failure is not None:
        raise CliError(f"{source.name}: {failure}", exits.NOT_FOUND)
    return exits.OK


def _run_live(session: DoorSession, seconds: float | None) -> str | None:
    """Scan until a file ends, `seconds` pass, or Ctrl+C; why the source died, if it did."""
    session.start()
    deadline = None if seconds is None else time.monotonic() + seconds
    while session.camera.running() and (deadline is None or time.monotonic() < deadline):
        time.sleep(0.05)
    failure = session.camera.failure()
    session.camera.close()
    return failure


def _run_keyboard(args: argparse.Namespace) -> int:
    """A hand scanner in keyboard mode types each code and Enter into the terminal: every line
    is one scan, through the same Caps Lock and layout repair as the door window's."""
    with session_for(args, exit=args.exit) as session:
        session.require_event()
        session.subscribe(lambda event: _show(event, args.json), VerdictCommitted)
        if sys.stdin.isatty():
            sys.stderr.write("scan codes with the hand scanner; Ctrl-D ends\n")
        for line in sys.stdin:
            scanned = session.submit_scanned_line(line, time.time())
            if scanned is not None:
                scanned.result()
    return exits.OK


def _show(event: VerdictCommitted, as_json: bool) -> None:
    verdict = event.verdict
    latency = event.latency_ms or 0.0
    if as_json:
        emit_json(
            {
                "scan_id": event.entry_id,
                "seq": event.seq,
                "source": event.source,
                "frame": event.frame,
                "latency_ms": round(latency, 1),
                "advice": event.advice,
                **verdict.to_json(),
                **correction_fields(event.clock_correction),
            }
        )
        return
    wording = describe(verdict, event.timezone, _)
    emit(f"{wording.one_line()}  [scan {event.entry_id}, {latency:.0f} ms]")
    emit_correction(event.clock_correction)
    if event.advice:
        emit(f"  {event.advice}")
