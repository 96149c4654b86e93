"""A camera as the door session sees it: codes for the door, the newest frame for a preview,
where the last code was found, and whether the camera is running, lost or reconnecting.

The preview never slows decoding: the capture thread leaves the newest frame in a slot that a
view polls at its own pace (newest first; older frames are simply overwritten), and decoding
runs on its own thread from the camera pipeline's one-frame mailbox.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from scanner.app.events import CameraState
from scanner.camera.cascade import Cascade
from scanner.camera.decoders import Corners, Found, Image
from scanner.camera.pipeline import CodeSink, FrameDecoder, ScanPipeline
from scanner.camera.sources import Frame, FrameSource

StateSink = Callable[[CameraState, str], None]
DETECTION_SHOWN_S = 0.6  # how long an outline stays on the preview after a code was read


@dataclass(frozen=True)
class Detection:
    corners: tuple[Corners, ...]
    frame_index: int
    at: float


@dataclass(frozen=True)
class PreviewFrame:
    image: Image  # BGR or gray, as the source delivered it
    index: int
    captured_at: float
    detection: Detection | None  # the code outlined, when one was read moments ago


class WatchedSource:
    """A frame source that keeps the newest frame for the preview and reports lost frames."""

    live: bool

    def __init__(self, source: FrameSource, on_state: StateSink) -> None:
        self._source = source
        self._on_state = on_state
        self.name = source.name
        self.live = source.live
        self._lock = threading.Lock()
        self._latest: Frame | None = None
        self._state = CameraState.NONE
        self._misses = 0

    @property
    def finished(self) -> bool:
        return self._source.finished

    @finished.setter
    def finished(self, value: bool) -> None:
        self._source.finished = value

    @property
    def state(self) -> CameraState:
        return self._state

    def read(self) -> Frame | None:
        frame = self._source.read()
        if frame is not None:
            self._misses = 0
            with self._lock:
                self._latest = frame
            self._set(CameraState.RUNNING, f"camera {self.name} running")
        elif self.live and not self._source.finished:
            self._misses += 1
            if self._state is CameraState.RUNNING:
                self._set(CameraState.LOST, f"camera {self.name} lost: no picture")
            elif self._state is CameraState.LOST and self._misses > 1:
                self._set(CameraState.RECONNECTING, f"camera {self.name} lost: reconnecting")
        return frame

    def latest(self) -> Frame | None:
        with self._lock:
            return self._latest

    def _set(self, state: CameraState, message: str) -> None:
        if state is not self._state:
            self._state = state
            self._on_state(state, message)

    def close(self) -> None:
        self._source.close()


class RecordingDecoder:
    """Wraps a decoder and remembers where it last found a code (for the outline)."""

    def __init__(self, decoder: FrameDecoder, clock: Callable[[], float] = time.monotonic) -> None:
        self._decode = decoder
        self._clock = clock
        self.last: Detection | None = None
        self._frames = 0

    def __call__(self, image: Image) -> list[Found]:
        found = self._decode(image)
        self._frames += 1
        if found:
            self.last = Detection(tuple(f.corners for f in found), self._frames, self._clock())
        return found


class CameraFeed:
    """One camera for one door: its pipeline (threads), preview slot and state."""

    def __init__(
        self,
        source: FrameSource,
        on_code: CodeSink,
        on_state: StateSink,
        repeat_window_s: float,
        decoder: FrameDecoder | None = None,
    ) -> None:
        self.source = WatchedSource(source, on_state)
        cascade = Cascade()
        self.decoder = RecordingDecoder(decoder or cascade.decode)
        self.pipeline = ScanPipeline(self.source, on_code, self.decoder, repeat_window_s)

    def start(self) -> None:
        self.pipeline.start()

    def stop(self) -> None:
        self.pipeline.stop()

    def step(self) -> None:
        """One frame captured and decoded on the calling thread (tests, benchmarks)."""
        self.pipeline.step()

    def preview(self) -> PreviewFrame | None:
        frame = self.source.latest()
        if frame is None:
            return None
        detection = self.decoder.last
        if detection is not None and time.monotonic() - detection.at > DETECTION_SHOWN_S:
            detection = None
        return PreviewFrame(frame.image, frame.index, frame.captured_at, detection)
