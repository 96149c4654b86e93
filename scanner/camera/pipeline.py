"""From a frame source to code events: capture on one thread, decode on another.

Decoding always takes the newest frame: the capture thread overwrites a one-frame mailbox, so
a slow decode drops stale frames instead of building a backlog (a door must answer the ticket
in front of it now, not one from two seconds ago). `step()` runs one capture-decode round on
the calling thread, for tests and for processing every frame of a file.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from scanner.camera.decoders import Decoder, Found, Image
from scanner.camera.dedupe import DEFAULT_WINDOW_S, RepeatFilter
from scanner.camera.frames import Frame, FrameSource
from scanner.camera.health import CameraHealth, CameraState
from scanner.camera.tracking import TrackingCascade

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CodeEvent:
    text: str
    captured_at: float  # wall-clock time of the frame (or keystroke) the code came from
    decoded_at: float
    source: str = "camera"
    frame_index: int | None = None


DECODE_TIMES = 2048


@dataclass
class PipelineStats:
    captured: int = 0
    decoded: int = 0
    dropped: int = 0  # frames overwritten before the decoder took them
    codes: int = 0
    # the last DECODE_TIMES decode times: a whole shift's would grow without end
    decode_ms: deque[float] = field(default_factory=lambda: deque(maxlen=DECODE_TIMES))


class LatestFrame:
    """A one-slot mailbox: `put` replaces what is there, `take` waits for something. A lossless
    mailbox makes `put` wait until the last frame was taken instead (every frame of a recording
    decoded through the threads; and tests that must not depend on the machine's speed)."""

    lossless = False

    def __init__(self, lossless: bool | None = None) -> None:
        if lossless is not None:
            self.lossless = lossless
        self._frame: Frame | None = None
        self._closed = False
        self._ready = threading.Condition()

    def put(self, frame: Frame) -> bool:
        """Store `frame`; True when it replaced one nobody took (a dropped frame)."""
        with self._ready:
            if self.lossless:
                self._ready.wait_for(lambda: self._frame is None or self._closed)
            dropped = self._frame is not None
            self._frame = frame
            self._ready.notify_all()
            return dropped

    def take(self, timeout: float | None = None) -> Frame | None:
        with self._ready:
            self._ready.wait_for(lambda: self._frame is not None or self._closed, timeout)
            frame, self._frame = self._frame, None
            self._ready.notify_all()  # a lossless put waits for the slot to be free
            return frame

    def close(self) -> None:
        with self._ready:
            self._closed = True
            self._ready.notify_all()


CodeSink = Callable[[CodeEvent], None]
FrameDecoder = Callable[[Image], list[Found]]


class ScanPipeline:
    """Runs `source` through `decoder` and the repeat filter, calling `on_code` for each new
    code. In threaded mode `on_code` runs on the decoding thread: hand the event on quickly."""

    def __init__(
        self,
        source: FrameSource,
        on_code: CodeSink,
        decoder: Decoder | FrameDecoder | None = None,
        repeat_window_s: float = DEFAULT_WINDOW_S,
        clock: Callable[[], float] = time.time,
        *,
        lossless: bool | None = None,
    ) -> None:
        self.source = source
        self.on_code = on_code
        # Frames come in order: the cascade that spends its retries across them.
        self._decode: FrameDecoder = _as_callable(decoder or TrackingCascade())
        self.repeats = RepeatFilter(repeat_window_s)
        self.stats = PipelineStats()
        self._clock = clock
        self.health = CameraHealth()
        self._mailbox = LatestFrame(lossless)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._source_closed = False
        self._close_lock = threading.Lock()

    @property
    def state(self) -> CameraState:
        return self.health.state

    # --- synchronous ---------------------------------------------------------------------

    def step(self) -> list[CodeEvent]:
        """Read one frame and decode it on this thread; [] also when no frame was available."""
        frame = self._read()
        if frame is None:
            return []
        return self.process(frame)

    def _read(self) -> Frame | None:
        frame = self.source.read()
        if frame is not None:
            self.stats.captured += 1
        elif self.source.finished:
            self.health.set(CameraState.ENDED)
        else:
            self.health.no_frame()
        return frame

    def process(self, frame: Frame) -> list[CodeEvent]:
        started = time.perf_counter()
        failures = self.health.failures
        before = failures.total()
        with failures.counting():
            try:
                found = self._decode(frame.image)
            except Exception as exc:  # a decoder failure is a frame without a code
                failures.record("pipeline", exc)
                found = []
        self.health.frame_decoded(raised=failures.total() > before)
        self.stats.decode_ms.append((time.perf_counter() - started) * 1000)
        self.stats.decoded += 1
        events = []
        for item in found:
            if self.repeats.admit(item.text, frame.seen_at):
                now = self._clock()
                event = CodeEvent(item.text, frame.captured_at, now, "camera", frame.index)
                events.append(event)
                self.stats.codes += 1
                self.on_code(event)
        return events

    def run_to_end(self) -> None:
        """Every frame of a finite source, in order, on this thread."""
        while not self.source.finished and not self._stop.is_set():
            self.step()

    # --- threaded --------------------------------------------------------------------------

    def start(self) -> None:
        if self._threads:
            raise RuntimeError("pipeline already started")
        self._threads = [
            threading.Thread(target=self._capture_loop, name="camera-capture", daemon=True),
            threading.Thread(target=self._decode_loop, name="camera-decode", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    @property
    def running(self) -> bool:
        return any(thread.is_alive() for thread in self._threads)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a finite source to be fully processed; True when it was."""
        deadline = None if timeout is None else time.monotonic() + timeout
        for thread in self._threads:
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            thread.join(remaining)
        return not self.running

    @property
    def source_died(self) -> bool:
        """The capture thread ended on an error (not at the end of a file or on stop())."""
        return self.health.error is not None

    def stop(self, timeout: float = 5.0) -> bool:
        """Stop both threads; the source is closed once no thread reads it any more (by the
        capture thread itself when it is stuck in a read past `timeout`). False when a thread
        still runs."""
        self._stop.set()
        self._mailbox.close()
        for thread in self._threads:
            thread.join(timeout)
        if not self.running:
            self._close_source()
            return True
        log.warning("the camera did not stop in %.0f s; closed when its read returns", timeout)
        return False

    def _close_source(self) -> None:
        with self._close_lock:
            if self._source_closed:
                return
            self._source_closed = True
        self.source.close()

    def _capture_loop(self) -> None:
        try:
            while not self._stop.is_set() and not self.source.finished:
                frame = self._read()
                if frame is not None and self._mailbox.put(frame):
                    self.stats.dropped += 1
        except Exception as exc:
            log.error("frame capture stopped: %s", type(exc).__name__)
            self.health.died(exc)
        finally:
            self._mailbox.close()
            if self._stop.is_set():
                self._close_source()  # stop() left it to this thread

    def _decode_loop(self) -> None:
        while True:
            frame = self._mailbox.take()
            if frame is None:  # closed and drained
                return
            if self._stop.is_set():
                return
            try:
                self.process(frame)
            except Exception:  # a failing consumer must not stop the door's camera
                log.exception("handling a decoded frame failed")


def _as_callable(decoder: Decoder | FrameDecoder) -> FrameDecoder:
    decode = getattr(decoder, "decode", None)
    return decode if callable(decode) else decoder  # type: ignore[return-value]
