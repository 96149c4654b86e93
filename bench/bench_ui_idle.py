"""CPU of the whole door window while idle: a 30 fps camera (MJPEG, no code in view) decoded
live and shown in the preview, sync idle, for 20 s. Percent of one core, whole process; the
preview's painted frame rate beside it. Compare with bench_idle_cpu (no window)."""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

import cv2
from _common import DAY, NOW, emit, loaded_store, sized
from _ui import LoopingVideo, application, finish, run_for, window_for

from scanner.app.clock import FixedClock
from scanner.app.demo import make_event, write_snapshot
from scanner.app.session import DoorSession
from scanner.camera.synthetic import SyntheticSource

SECONDS, FPS = sized(20, 2), 30
WARM_UP_S = sized(2, 0.5)


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def empty_clip(path: Path, frames: int = 90) -> None:
    source = SyntheticSource(paced=False, options=f"count=1,hold=0,gap={frames},seed=9")
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), FPS, (1280, 720), False)
    while (frame := source.read()) is not None:
        writer.write(frame.image)
    writer.release()


def main() -> None:
    app = application()
    event = make_event(200, seed=11)
    with tempfile.TemporaryDirectory() as tmp:
        snapshot = write_snapshot(event, Path(tmp) / "s.jsonl", DAY, NOW)
        data = loaded_store(Path(tmp), event, snapshot)
        clip = Path(tmp) / "empty.avi"
        empty_clip(clip)
        session = DoorSession(data, door="Main entrance", clock=FixedClock(NOW))
        session.camera.open(LoopingVideo(str(clip)))  # type: ignore[arg-type]
        window = window_for(session)
        session.start()
        run_for(WARM_UP_S)
        painted, cpu, wall = window.camera.painted, cpu_seconds(), time.monotonic()
        run_for(SECONDS)
        painted = window.camera.painted - painted
        cpu, wall = cpu_seconds() - cpu, time.monotonic() - wall
        verdicts = len(window.recent.events)
        finish(window, session)
    emit(
        "ui_idle_cpu",
        seconds=round(wall, 1),
        camera_fps=FPS,
        preview_fps=round(painted / wall, 1),
        cpu_percent_of_one_core=round(100 * cpu / wall, 1),
        false_verdicts=verdicts,
    )
    del app


if __name__ == "__main__":
    main()
