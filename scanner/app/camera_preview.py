"""A look through one camera while the door's settings are open, without disturbing the door.

The camera the door runs is shown from the door's own preview slot (a device cannot be opened
twice); any other is opened on a thread of its own, captured without decoding, and closed again
with the preview. Synchronous previews (tests) open and read only when `step()` is called.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from scanner.app.camera_feed import PreviewFrame
from scanner.app.events import CameraState, CameraStateChanged
from scanner.camera.sources import FrameSource, SourceUnavailable

log = logging.getLogger(__name__)
Opener = Callable[[], FrameSource]


class CameraPreview:
    """Frames of one camera for a settings dialog: `latest()` and `state`, polled by a view."""

    def __init__(
        self,
        opener: Opener | None = None,
        running: Callable[[], PreviewFrame | None] | None = None,
        synchronous: bool = False,
    ) -> None:
        self._opener = opener
        self._running = running
        self._synchronous = synchronous
        self._source: FrameSource | None = None
        self._latest: PreviewFrame | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if running is not None:
            self.state = CameraStateChanged(CameraState.RUNNING, "the door's camera")
        elif opener is None:
            self.state = CameraStateChanged(CameraState.NONE, "no camera")
        else:
            self.state = CameraStateChanged(CameraState.RUNNING, "opening the camera")

    @property
    def shares_the_door_camera(self) -> bool:
        return self._running is not None

    def start(self) -> None:
        """Open and capture on a thread of its own (not for synchronous previews)."""
        if self._opener is None or self._synchronous or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="camera-preview", daemon=True)
        self._thread.start()

    def step(self) -> None:
        """Open (the first time) and read one frame on the calling thread."""
        if self._opener is None or (self._source is None and not self._open()):
            return
        assert self._source is not None
        frame = self._source.read()
        if frame is not None:
            with self._lock:
                self._latest = PreviewFrame(frame.image, frame.index, frame.captured_at, None)

    def latest(self) -> PreviewFrame | None:
        if self._running is not None:
            return self._running()
        with self._lock:
            return self._latest

    def stop(self) -> None:
        """Stop capturing and release the camera (waits for the capture thread)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._close()

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                self.step()
                source = self._source
                if source is None or source.finished:
                    return
        finally:
            self._close()

    def _open(self) -> bool:
        assert self._opener is not None
        try:
            source = self._opener()
        except (SourceUnavailable, ValueError) as exc:
            self._opener = None  # said once; a preview does not retry
            self.state = CameraStateChanged(CameraState.NONE, str(exc))
            return False
        with self._lock:
            self._source = source
        self.state = CameraStateChanged(CameraState.RUNNING, source.name)
        return True

    def _close(self) -> None:
        with self._lock:
            source, self._source = self._source, None
        if source is not None:
            source.close()
