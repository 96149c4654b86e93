"""The timing model: newest frame first, no backlog, one report per code held in view."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from scanner.camera.decoders import Found
from scanner.camera.dedupe import RepeatFilter
from scanner.camera.pipeline import CodeEvent, LatestFrame, ScanPipeline
from scanner.camera.sources import Frame
from scanner.camera.synthetic import SyntheticSource

BLANK = np.zeros((8, 8), np.uint8)


class ListSource:
    """Frames whose pixel (0, 0) names the code in them (0: none), as fast as asked."""

    live = False
    name = "list"

    def __init__(self, codes: list[int], delay_s: float = 0.0) -> None:
        self.codes = codes
        self.delay_s = delay_s
        self.finished = False
        self._next = 0

    def read(self) -> Frame | None:
        if self._next >= len(self.codes):
            self.finished = True
            return None
        time.sleep(self.delay_s)
        image = BLANK.copy()
        image[0, 0] = self.codes[self._next]
        self._next += 1
        return Frame(image, time.time(), self._next - 1)

    def close(self) -> None:
        self.finished = True


def pixel_decoder(image: np.ndarray) -> list[Found]:
    value = int(image[0, 0])
    return [Found(f"code{value}")] if value else []


def test_repeat_filter_reports_a_held_code_once_and_a_new_one_at_once() -> None:
    repeats = RepeatFilter(window_s=2.0)
    assert repeats.admit("A", 0.0)
    assert not any(repeats.admit("A", t / 10) for t in range(1, 100))  # held for 10 s
    assert repeats.admit("B", 10.0)  # a different code: at once
    assert not repeats.admit("A", 10.5)  # A was seen 0.6 s ago
    assert repeats.admit("A", 13.0)  # out of sight for longer than the window


def test_repeat_filter_window_zero_reports_every_sighting() -> None:
    repeats = RepeatFilter(window_s=0.0)
    assert all(repeats.admit("A", float(t)) for t in range(3))
    with pytest.raises(ValueError):
        RepeatFilter(-1.0)


def test_latest_frame_keeps_only_the_newest() -> None:
    box = LatestFrame()
    assert box.put(Frame(BLANK, 1.0, 1)) is False
    assert box.put(Frame(BLANK, 2.0, 2)) is True  # frame 1 dropped
    taken = box.take(timeout=0.1)
    assert taken is not None and taken.index == 2
    assert box.take(timeout=0.01) is None


def test_step_runs_synchronously_and_carries_capture_time() -> None:
    events: list[CodeEvent] = []
    source = ListSource([0, 7, 7, 7, 0, 9])
    pipeline = ScanPipeline(source, events.append, pixel_decoder, repeat_window_s=5)
    pipeline.run_to_end()
    assert [e.text for e in events] == ["code7", "code9"]
    assert [e.frame_index for e in events] == [1, 5]
    assert all(e.decoded_at >= e.captured_at for e in events)
    assert pipeline.stats.decoded == 6 and pipeline.stats.dropped == 0


def test_a_slow_decoder_drops_stale_frames_instead_of_queueing_them() -> None:
    decoded: list[int] = []

    def slow(image: np.ndarray) -> list[Found]:
        decoded.append(int(image[1, 1]))
        time.sleep(0.03)
        return []

    class Counting(ListSource):
        def read(self) -> Frame | None:
            frame = super().read()
            if frame is not None:
                frame.image[1, 1] = frame.index % 256
            return frame

    pipeline = ScanPipeline(Counting([0] * 60, delay_s=0.002), lambda e: None, slow)
    pipeline.start()
    assert pipeline.wait(timeout=10)
    stats = pipeline.stats
    assert stats.captured == 60 and stats.dropped > 20
    assert stats.decoded + stats.dropped == stats.captured  # every frame decoded or dropped
    assert decoded == sorted(decoded)  # always forward, never an old frame after a new one
    assert decoded[-1] == 59  # the last frame is decoded, not lost


def test_a_failing_decoder_or_consumer_does_not_stop_the_pipeline() -> None:
    def explode(image: np.ndarray) -> list[Found]:
        if int(image[0, 0]) == 1:
            raise RuntimeError("decoder bug")
        return pixel_decoder(image)

    seen: list[str] = []

    def consumer(event: CodeEvent) -> None:
        seen.append(event.text)
        if event.text == "code2":
            raise RuntimeError("consumer bug")

    pipeline = ScanPipeline(ListSource([1, 2, 0, 3], delay_s=0.01), consumer, explode)
    pipeline.start()
    assert pipeline.wait(timeout=10)
    assert seen == ["code2", "code3"]


def test_stop_ends_a_live_source_promptly() -> None:
    source = SyntheticSource(paced=True, options="count=50,fps=30")
    events: list[CodeEvent] = []
    pipeline = ScanPipeline(source, events.append)
    pipeline.start()
    deadline = time.monotonic() + 10
    while not events and time.monotonic() < deadline:
        time.sleep(0.02)
    started = time.monotonic()
    pipeline.stop()
    assert time.monotonic() - started < 2 and not pipeline.running
    assert events and events[0].text == source.codes[0]
    assert threading.active_count() < 50
