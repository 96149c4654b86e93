"""The door's camera, a part of the door session: opened from a spec (or a frame source handed
over), its codes handed to the door, its state told as `CameraStateChanged` events, and a look
through any camera for the settings. A camera that cannot be opened leaves the door working
without one (hand scanner and search).

    session.camera.open("0")                     # or use("0") in the background
    session.camera.state.message                 # "camera 0 running", "no camera: ..."
    session.camera.step()                        # one frame on this thread (synchronous)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import TYPE_CHECKING

from scanner.app import preferences
from scanner.app.events import CameraState, CameraStateChanged, EventHub
from scanner.app.worker import Worker
from scanner.store.store import Store

if TYPE_CHECKING:  # imported when first used: a command that only checks codes loads no camera
    from scanner.app.camera_choice import CameraOption
    from scanner.app.camera_feed import CameraFeed, PreviewFrame
    from scanner.app.camera_preview import CameraPreview
    from scanner.camera.pipeline import CodeEvent, FrameDecoder, PipelineStats
    from scanner.camera.sources import FrameSource

CodeSink = Callable[["CodeEvent"], None]


class DoorCamera:
    def __init__(
        self,
        store: Store,
        events: EventHub,
        jobs: Worker,
        on_code: CodeSink,
        *,
        synchronous: bool,
        repeat_window_s: float,
    ) -> None:
        self._store = store
        self._events = events
        self._jobs = jobs  # opening and probing cameras take a while
        self._on_code = on_code
        self._synchronous = synchronous
        self._repeat_window_s = repeat_window_s
        self._started = False
        self._feed: CameraFeed | None = None
        self._spec: str | None = None  # the spec the running camera was opened from
        self._codes: dict[str, tuple[str, ...]] = {}  # specs opened here, with their codes
        self._state = CameraStateChanged(CameraState.NONE, "no camera")

    def start(self) -> None:
        """Capture from now on (threads), this camera and the ones opened later."""
        self._started = True
        if self._feed is not None and not self._synchronous:
            self._feed.start()

    def open(
        self,
        source: str | FrameSource,
        decoder: FrameDecoder | None = None,
        codes: Sequence[str] = (),
        resolution: str | None = None,
    ) -> CameraStateChanged:
        """Use a camera (spec as for `scanner scan --source`, or a source; `codes` for a
        synthetic one, remembered for the spec); replaces the one in use. A spec is opened at
        `resolution` (default: the stored one)."""
        from scanner.app.camera_feed import CameraFeed
        from scanner.camera.sources import SourceUnavailable

        self.close()
        try:
            opened = (
                self._open_spec(source, codes, resolution) if isinstance(source, str) else source
            )
        except (SourceUnavailable, ValueError) as exc:
            self._changed(CameraState.NONE, f"no camera: {exc}")
            return self._state
        self._feed = CameraFeed(
            opened, self._on_code, self._changed, self._repeat_window_s, decoder
        )
        if self._started and not self._synchronous:
            self._feed.start()
        return self._state

    def _open_spec(self, spec: str, codes: Sequence[str], resolution: str | None) -> FrameSource:
        from scanner.app.camera_choice import with_resolution
        from scanner.camera.sources import open_source

        if codes:
            self._codes[spec] = tuple(codes)
        wanted = resolution if resolution is not None else preferences.load(self._store).resolution
        source = open_source(with_resolution(spec, wanted), self._codes.get(spec, ()))
        self._spec = spec
        return source

    def close(self) -> None:
        self._spec = None
        if self._feed is not None:
            self._feed.stop()
            self._feed = None
            self._changed(CameraState.NONE, "no camera")

    def use(self, spec: str, resolution: str | None = None) -> Future[CameraStateChanged]:
        """Switch to camera `spec` ("" for none) in the background: opening one takes a while."""

        def job() -> CameraStateChanged:
            if not spec:
                self.close()
                return self._state
            return self.open(spec, resolution=resolution)

        return self._jobs.submit(job)

    @property
    def spec(self) -> str | None:
        """The spec of the camera in use (None: none, or one handed over as a source)."""
        return self._spec

    @property
    def state(self) -> CameraStateChanged:
        return self._state

    def options(self) -> Future[list[CameraOption]]:
        """No camera, the cameras attached now (probed off the caller's thread), and the
        sources opened here (the demo's synthetic camera)."""
        from scanner.app.camera_choice import camera_options
        from scanner.camera.sources import list_cameras

        known = [*self._codes.copy(), *([self._spec] if self._spec else [])]
        return self._jobs.submit(lambda: camera_options(list_cameras(), known))

    def preview_of(self, spec: str, resolution: str | None = None) -> CameraPreview:
        """A look through camera `spec` for the settings: the running camera's own frames, or
        the camera opened apart (call `start()`, and `stop()` when done)."""
        from scanner.app.camera_choice import with_resolution
        from scanner.app.camera_preview import CameraPreview
        from scanner.camera.sources import open_source

        if not spec:
            return CameraPreview()
        if spec == self._spec and self._feed is not None:
            return CameraPreview(running=self.preview)
        codes = self._codes.get(spec, ())
        return CameraPreview(
            lambda: open_source(with_resolution(spec, resolution), codes),
            synchronous=self._synchronous,
        )

    def preview(self) -> PreviewFrame | None:
        """The running camera's newest frame, for the window."""
        return None if self._feed is None else self._feed.preview()

    def step(self) -> None:
        """Capture and decode one frame on this thread (synchronous sessions)."""
        if self._feed is not None:
            self._feed.step()

    def running(self) -> bool:
        """True while a started camera delivers (a finite file or folder ends by itself)."""
        return self._feed is not None and self._feed.pipeline.running

    def failure(self) -> str | None:
        """Why the open camera's source died (its capture thread ended on an error), or None."""
        return None if self._feed is None else self._feed.pipeline.health.error

    def finished(self) -> bool:
        return self._feed is None or self._feed.source.finished

    def stats(self) -> PipelineStats | None:
        """The open camera's counts so far (frames captured and dropped, decode times; kept
        when it closes), or None without a camera."""
        return None if self._feed is None else self._feed.pipeline.stats

    def _changed(self, state: CameraState, message: str) -> None:
        self._state = CameraStateChanged(state, message)
        self._events.publish(self._state)
