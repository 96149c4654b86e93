"""CPU use of the camera path while idle: a 30 fps source with no code in view for 15 s,
captured (MJPEG decode, as a USB camera delivers) and decoded live on the pipeline's threads.

Reported as percent of one core for the whole process, and the decoder's share of it.
"""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

import cv2
from _common import emit, ms_percentiles, sized

from scanner.camera.pipeline import ScanPipeline
from scanner.camera.sources import VideoSource
from scanner.camera.synthetic import SyntheticSource

SECONDS, FPS = sized(15, 2), 30


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        video = Path(tmp) / "empty.avi"
        frames = SECONDS * FPS
        source = SyntheticSource(paced=False, options=f"count=1,hold=0,gap={frames},seed=9")
        writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), FPS, (1280, 720))
        while (frame := source.read()) is not None:
            writer.write(cv2.cvtColor(frame.image, cv2.COLOR_GRAY2BGR))
        writer.release()
        codes: list[str] = []
        pipeline = ScanPipeline(VideoSource(str(video), paced=True), lambda e: codes.append(e.text))
        cpu_before, wall_before = cpu_seconds(), time.monotonic()
        pipeline.start()
        pipeline.wait()
        cpu, wall = cpu_seconds() - cpu_before, time.monotonic() - wall_before
    decode_s = sum(pipeline.stats.decode_ms) / 1000
    emit(
        "idle_cpu",
        seconds=round(wall, 2),
        fps=round(pipeline.stats.captured / wall, 1),
        cpu_percent_of_one_core=round(100 * cpu / wall, 1),
        decode_percent_of_one_core=round(100 * decode_s / wall, 1),
        decode=ms_percentiles([ms / 1000 for ms in pipeline.stats.decode_ms]),
        frames_dropped=pipeline.stats.dropped,
        false_codes=len(codes),
    )


if __name__ == "__main__":
    main()
