"""A camera as the door session sees it: codes for the door, the newest frame for a preview,
where the last code was found, and its state (running, lost, reconnecting, failing, ended: the
pipeline's own, in words).

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
from scanner.camera.decoders import Corners, Found, Image
from scanner.camera.pipeline import CodeSink, FrameDecoder, ScanPipeline
from scanner.camera.sources import Frame, FrameSource
from scanner.camera.tracking import TrackingCascade

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


class PreviewSlot:
    """A frame source that keeps the newest frame for the preview (the camera's state is the
    pipeline's own: `ScanPipeline.health`)."""

    live: bool

    def __init__(self, source: FrameSource) -> None:
        self._source = source
        self.name = source.name
        self.live = source.live
        self._lock = threading.Lock()
        self._latest: Frame | None = None

    @property
    def finished(self) -> bool:
        return self._source.finished

    @finished.setter
    def finished(self, value: bool) -> None:
        self._source.finished = value

    def read(self) -> Frame | None:
        frame = self._source.read()
        if frame is not None:
            with self._lock:
                self._latest = frame
        return frame

    def latest(self) -> Frame | None:
        with self._lock:
            return self._latest

    def close(self) -> None:
        self._source.close()


def state_words(state: CameraState, name: str) -> str:
    """The camera's state in plain words for door staff and the log (never a code's text)."""
    return {
        CameraState.NONE: "no camera",
        CameraState.RUNNING: f"camera {name} running",
        CameraState.LOST: f"camera {name} lost: no picture",
        CameraState.RECONNECTING: f"camera {name} lost: reconnecting",
        CameraState.FAILING: f"camera {name}: its pictures cannot be decoded",
        CameraState.ENDED: f"camera {name}: the recording ended",
    }[state]


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
    """One camera for one door: its pipeline (threads), preview slot and state. Its decoder is
    its own `TrackingCascade` (what it remembers of earlier frames belongs to this camera's
    picture): a door that changes camera builds a new feed, so nothing carries over."""

    def __init__(
        self,
        source: FrameSource,
        on_code: CodeSink,
        on_state: StateSink,
        repeat_window_s: float,
        decoder: FrameDecoder | None = None,
    ) -> None:
        self.source = PreviewSlot(source)
        self.decoder = RecordingDecoder(decoder or TrackingCascade().decode)
        self.pipeline = ScanPipeline(self.source, on_code, self.decoder, repeat_window_s)
        name = source.name
        self.pipeline.health.subscribe(lambda state: on_state(state, state_words(state, name)))

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
