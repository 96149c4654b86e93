"""The timing model: newest frame first, no backlog, one report per code held in view."""

from __future__ import annotations

import logging
import threading
import time

import numpy as np
import pytest

from scanner.camera.decoders import Found, guarded
from scanner.camera.dedupe import RepeatFilter
from scanner.camera.health import CameraState
from scanner.camera.pipeline import DECODE_TIMES, CodeEvent, LatestFrame, ScanPipeline
from scanner.camera.sources import Frame
from scanner.camera.synthetic import SyntheticSource

BLANK = np.zeros((8, 8), np.uint8)


class ListSource:
    """Frames whose pixel (0, 0) names the code in them (0: none), as fast as asked."""

    live = False
    name = "list"

    def __init__(self, codes: list[int]) -> None:
        self.codes = codes
        self.finished = False
        self._next = 0

    def read(self) -> Frame | None:
        if self._next >= len(self.codes):
            self.finished = True
            return None
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
    """The decoder holds frame 0 until the source has delivered all 60: frames 1-58 are
    overwritten unseen and the newest, 59, is decoded next. No timing involved."""
    decoded: list[int] = []
    decoding = threading.Event()
    source_done = threading.Event()

    def slow(image: np.ndarray) -> list[Found]:
        decoded.append(int(image[1, 1]))
        decoding.set()
        source_done.wait()
        return []

    class Counting(ListSource):
        def read(self) -> Frame | None:
            if self._next == 1:
                decoding.wait()  # frame 0 is in the decoder's hands
            frame = super().read()
            if frame is None:
                source_done.set()
            else:
                frame.image[1, 1] = frame.index % 256
            return frame

    pipeline = ScanPipeline(Counting([0] * 60), lambda e: None, slow)
    pipeline.start()
    assert pipeline.wait(timeout=60)
    stats = pipeline.stats
    assert (stats.captured, stats.dropped, stats.decoded) == (60, 58, 2)
    assert decoded == [0, 59]  # always the newest, never a backlog


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

    # lossless: the source waits for each frame to be taken, however loaded the machine is
    pipeline = ScanPipeline(ListSource([1, 2, 0, 3]), consumer, explode, lossless=True)
    pipeline.start()
    assert pipeline.wait(timeout=60)
    assert seen == ["code2", "code3"]
    assert pipeline.stats.dropped == 0 and pipeline.stats.decoded == 4


def test_stop_ends_a_live_source() -> None:
    source = SyntheticSource(paced=True, options="count=50,fps=30")
    first = threading.Event()
    events: list[CodeEvent] = []

    def seen(event: CodeEvent) -> None:
        events.append(event)
        first.set()

    pipeline = ScanPipeline(source, seen)
    pipeline.start()
    assert first.wait(timeout=60)
    pipeline.stop(timeout=60)
    assert not pipeline.running and not pipeline.source_died
    assert events[0].text == source.codes[0]


class BlockingSource(ListSource):
    """A source whose read blocks until released (a camera driver stuck in a read)."""

    live = True

    def __init__(self) -> None:
        super().__init__([0] * 1000)
        self.reading = threading.Event()
        self.release = threading.Event()
        self.closed_while_reading = False
        self.in_read = False
        self.closed = threading.Event()

    def read(self) -> Frame | None:
        if self._next == 1:
            self.in_read = True
            self.reading.set()
            self.release.wait()
            self.in_read = False
        return super().read()

    def close(self) -> None:
        self.closed_while_reading = self.in_read
        self.closed.set()
        super().close()


def test_stop_never_closes_a_source_a_thread_still_reads() -> None:
    source = BlockingSource()
    pipeline = ScanPipeline(source, lambda e: None, pixel_decoder)
    pipeline.start()
    assert source.reading.wait(timeout=60)
    assert not pipeline.stop(timeout=0.01)  # the read is stuck: no closing under it
    assert not source.closed.is_set()
    source.release.set()
    assert source.closed.wait(timeout=60)  # the capture thread closes it once out of read
    assert pipeline.wait(timeout=60) and not source.closed_while_reading


def test_decode_times_are_kept_in_a_bounded_ring() -> None:
    pipeline = ScanPipeline(ListSource([0] * (DECODE_TIMES + 500)), lambda e: None, pixel_decoder)
    pipeline.run_to_end()
    assert pipeline.stats.decoded == DECODE_TIMES + 500
    assert len(pipeline.stats.decode_ms) == DECODE_TIMES


class GappySource(ListSource):
    """Frames and gaps (None while not finished), like a camera unplugged for a moment; code -1
    raises, as a driver whose process died."""

    live = True

    def read(self) -> Frame | None:
        if self._next < len(self.codes) and self.codes[self._next] is None:
            self._next += 1
            return None
        if self._next < len(self.codes) and self.codes[self._next] == -1:
            raise OSError("device gone")
        return super().read()


def test_the_camera_state_follows_frames_gaps_and_decoder_failures(
    caplog: pytest.LogCaptureFixture,
) -> None:
    states: list[CameraState] = []

    def broken_listener(state: CameraState) -> None:
        raise RuntimeError("window bug")

    def decode(image: np.ndarray) -> list[Found]:
        if int(image[0, 0]) == 9:
            raise ValueError("secret-code-text")
        if int(image[0, 0]) == 8:
            raise KeyError("secret-code-text")
        return pixel_decoder(image)

    frames: list[int | None] = [1, None, None, None, 2, 9, 9, 8, 3, 9]
    pipeline = ScanPipeline(GappySource(frames), lambda e: None, decode)  # type: ignore[arg-type]
    pipeline.health.subscribe(states.append)
    pipeline.health.subscribe(broken_listener)
    assert pipeline.state is CameraState.NONE
    with caplog.at_level(logging.WARNING):
        pipeline.run_to_end()
    assert states == [
        CameraState.RUNNING,
        CameraState.LOST,
        CameraState.RECONNECTING,
        CameraState.RUNNING,
        CameraState.FAILING,  # three frames in a row raised
        CameraState.RUNNING,
        CameraState.ENDED,
    ]
    assert pipeline.health.failures.counts() == {
        "pipeline: ValueError": 3,
        "pipeline: KeyError": 1,
    }
    warnings = [r.getMessage() for r in caplog.records if r.name.startswith("scanner.camera")]
    assert len([w for w in warnings if "decoding failed" in w]) == 2  # the first of each kind
    assert not any("secret" in r.getMessage() for r in caplog.records)


class Broken:
    """A nested decoder that always raises (reported through `guarded`, as the cascade's are)."""

    name = "broken"

    def decode(self, image: np.ndarray) -> list[Found]:
        raise ValueError("secret-code-text")


def test_decoder_failures_count_for_their_own_camera_only() -> None:
    """A preview camera whose decoder keeps failing, decoding while the door's camera decodes,
    never makes the door's camera count as failing."""
    door_decoding, preview_done = threading.Event(), threading.Event()

    def door_decoder(image: np.ndarray) -> list[Found]:
        door_decoding.set()
        assert preview_done.wait(30)  # the preview's frame fails meanwhile, on its thread
        return pixel_decoder(image)

    def preview_decoder(image: np.ndarray) -> list[Found]:
        return guarded(Broken(), image)

    door = ScanPipeline(ListSource([1, 2, 3]), lambda e: None, door_decoder)  # type: ignore[arg-type]
    preview = ScanPipeline(ListSource([0, 0, 0]), lambda e: None, preview_decoder)  # type: ignore[arg-type]

    def previewing() -> None:
        for _ in range(3):
            assert door_decoding.wait(30)
            door_decoding.clear()
            preview.step()
            preview_done.set()

    thread = threading.Thread(target=previewing)
    thread.start()
    for _ in range(3):
        door.step()
        preview_done.clear()
    thread.join(30)
    assert preview.state is CameraState.FAILING
    assert preview.health.failures.counts() == {"broken: ValueError": 3}
    assert door.state is CameraState.RUNNING and door.health.failures.total() == 0


def test_a_source_that_dies_is_reported_not_silent() -> None:
    pipeline = ScanPipeline(GappySource([1, 2, -1, 3]), lambda e: None, pixel_decoder)  # type: ignore[arg-type]
    pipeline.start()
    assert pipeline.wait(timeout=60)
    assert pipeline.source_died and pipeline.state is CameraState.LOST
    assert "OSError" in (pipeline.health.error or "")
