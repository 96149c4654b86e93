"""Frame-to-verdict latency: a 30 fps video of tickets through capture, decoding, the check-in
core and the durable journal commit, live (paced at 30 fps, capture and decode on their own
threads, verdicts on the main thread as the CLI's `scan` does).

Target (issue 5): p95 under 60 ms, with no ticket missed or repeated. "frame" latency runs from
the capture of the frame the code was read in; "appearance" from the first frame showing the
ticket (so it also counts frames the decoder could not read or never got).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import cv2
import numpy as np
from _common import DAY, NOW, emit, loaded_store, ms_percentiles, sized

from scanner.app.clock import FixedClock
from scanner.app.demo import make_event, write_snapshot
from scanner.app.door import open_door
from scanner.app.scan_pipeline import DoorScanner, ScanOutcome
from scanner.camera.sources import VideoSource
from scanner.camera.synthetic import SyntheticSource

TICKETS = sized(20, 3)
HOLD, GAP, FPS = 12, 12, 30


def write_video(codes: list[str], path: Path, lead_in: int = 0) -> None:
    """The tickets shown one after another; `lead_in` frames of an empty scene first (the
    camera runs a moment before the first guest)."""
    source = SyntheticSource(codes, paced=False, options=f"hold={HOLD},gap={GAP},seed=5")
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), FPS, (1280, 720), False)
    for _ in range(lead_in):
        writer.write(np.full((720, 1280), 128, np.uint8))
    while (frame := source.read()) is not None:
        writer.write(frame.image)
    writer.release()


def main() -> None:
    event = make_event(200, seed=11)
    rows = [r for r in event.rows if r.status == "valid" and r.ticket_type in ("ga", "vip")]
    expected = [r.ticket_id for r in rows[:TICKETS]]
    with tempfile.TemporaryDirectory() as tmp:
        snapshot = write_snapshot(event, Path(tmp) / "s.jsonl", DAY, NOW)
        data = loaded_store(Path(tmp), event, snapshot)
        video = Path(tmp) / "tickets.avi"
        write_video([event.codes[t] for t in expected], video)
        outcomes: list[ScanOutcome] = []
        door = open_door(data, "Main entrance", clock=FixedClock(NOW), operator="bench")
        scanner = DoorScanner(door, VideoSource(str(video), paced=True), outcomes.append)
        scanner.run()
        door.close()
    assert scanner.pipeline is not None
    stats = scanner.pipeline.stats
    got = [o.result.verdict.ticket_id for o in outcomes]
    period = HOLD + GAP
    appearance = [
        o.latency_ms / 1000 + ((o.event.frame_index or 0) % period) / FPS for o in outcomes
    ]
    emit(
        "frame_latency",
        tickets=TICKETS,
        verdicts=len(outcomes),
        in_order_exactly_once=got == expected,
        missed=len(set(expected) - set(got)),
        repeated=len(got) - len(set(got)),
        frame_to_verdict=ms_percentiles([o.latency_ms / 1000 for o in outcomes]),
        appearance_to_verdict=ms_percentiles(appearance),
        frames_captured=stats.captured,
        frames_dropped=stats.dropped,
        decode=ms_percentiles([ms / 1000 for ms in stats.decode_ms]),
        p95_under_60ms=ms_percentiles([o.latency_ms / 1000 for o in outcomes])["p95_ms"] < 60,
    )


if __name__ == "__main__":
    main()
