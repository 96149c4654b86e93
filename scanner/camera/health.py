"""How a camera is doing, for the door window and `scanner scan`: its decoder failures counted
per kind (the first of each kind logged at warning, never with code text), and its state as a
small typed value with listeners. Each camera (each pipeline) has its own: a preview camera's
failures never count against the door's camera. Qt-free: listeners run on the camera's threads,
so a window hands the state on with a signal."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum

from scanner.listeners import tell

log = logging.getLogger(__name__)

FAILING_AFTER = 3  # frames in a row whose decoding raised before the camera counts as failing


class CameraState(StrEnum):
    NONE = "none"  # no camera, or not started
    RUNNING = "running"  # frames come in and are decoded
    LOST = "lost"  # the source stopped delivering frames (unplugged, stream dropped, died)
    RECONNECTING = "reconnecting"  # still no frames; the source keeps trying to reopen
    FAILING = "failing"  # frames come in, but decoding them keeps raising
    ENDED = "ended"  # a file or folder was read to its end


StateListener = Callable[[CameraState], None]


class DecodeFailures:
    """Decoder exceptions counted per kind ("where: ExceptionType"). The message of an exception
    is never logged: it may quote the code's content."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()

    def record(self, where: str, exc: BaseException) -> None:
        kind = f"{where}: {type(exc).__name__}"
        with self._lock:
            first = kind not in self._counts
            self._counts[kind] = self._counts.get(kind, 0) + 1
        if first:
            log.warning("decoding failed (%s); more of this kind are only counted", kind)

    def counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def total(self) -> int:
        with self._lock:
            return sum(self._counts.values())

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()

    @contextmanager
    def counting(self) -> Iterator[None]:
        """Failures recorded on this thread meanwhile (the nested decoders') count here."""
        token = _counting.set(self)
        try:
            yield
        finally:
            _counting.reset(token)


_counting: ContextVar[DecodeFailures | None] = ContextVar("decode_failures", default=None)
# Decoding outside any camera (doctor's sample image) counts here.
outside_cameras = DecodeFailures()


def record_failure(where: str, exc: BaseException) -> None:
    """Count a decoder's failure for the camera whose frame this thread decodes. The decoders
    nest (pipeline, cascade, each decoder); all report here, so none needs to know its camera."""
    (_counting.get() or outside_cameras).record(where, exc)


class CameraHealth:
    """The camera's state, changed by the pipeline's threads and read (or listened to) by the
    window. A listener that raises is logged and never stops the camera."""

    def __init__(self) -> None:
        self._state = CameraState.NONE
        self._listeners: list[StateListener] = []
        self._lock = threading.Lock()
        self._failed_frames = 0
        self.error: str | None = None  # why the source died, when it did
        self.failures = DecodeFailures()  # this camera's decoder failures, by kind

    @property
    def state(self) -> CameraState:
        return self._state

    def subscribe(self, listener: StateListener) -> None:
        self._listeners.append(listener)

    def frame_decoded(self, raised: bool) -> None:
        if self.error is not None:
            return  # the source died: the last frames in hand do not make it run again
        with self._lock:
            self._failed_frames = self._failed_frames + 1 if raised else 0
            failing = self._failed_frames >= FAILING_AFTER
        self.set(CameraState.FAILING if failing else CameraState.RUNNING)

    def no_frame(self) -> None:
        lost = self._state in (CameraState.LOST, CameraState.RECONNECTING)
        self.set(CameraState.RECONNECTING if lost else CameraState.LOST)

    def died(self, exc: BaseException) -> None:
        self.error = f"the frame source stopped ({type(exc).__name__})"
        self.set(CameraState.LOST)

    def set(self, state: CameraState) -> None:
        with self._lock:
            if state is self._state:
                return
            self._state = state
        tell(self._listeners, state, "camera state")
