"""Frame sources behind one interface: cameras, video files or streams, image folders, and the
synthetic source that renders tickets into moving frames (demo and tests).

A source's `read()` returns the next frame, or None when none is available right now (a camera
unplugged, a stream reconnecting) or ever again (`finished`, the end of a file or folder).
"""

from __future__ import annotations

import glob
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2

# The frame types are defined in `frames`; callers of `open_source` meet them here too.
from scanner.camera import video
from scanner.camera.frames import BadSourceSpec as BadSourceSpec
from scanner.camera.frames import Frame as Frame
from scanner.camera.frames import FrameSource as FrameSource
from scanner.camera.frames import Image
from scanner.camera.frames import SourceUnavailable as SourceUnavailable

log = logging.getLogger(__name__)
Clock = Callable[[], float]
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".pgm", ".ppm"}
CAMERA_DEFAULT = "default"  # `camera:0@default`: ask the camera for no particular size
STREAM_SCHEMES = ("rtsp://", "rtmp://", "http://", "https://", "udp://", "tcp://")


class NotAnImage(ValueError):
    """The file is there but holds no image this build reads."""


def read_image(path: Path) -> Image:
    """The image in the file at `path`, as OpenCV reads it (colour, grey or with alpha)."""
    reason = video.unreadable_image(path)
    if reason is not None:
        raise NotAnImage(reason)
    image: Image | None = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    if image is None:
        raise NotAnImage(f"not an image file: {path}")
    return image


class _Counter:
    """Frame numbering and capture time shared by all sources."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.count = 0

    def frame(self, image: Image, fps: float | None = None) -> Frame:
        self.count += 1
        index = self.count - 1
        return Frame(image, self.clock(), index, None if fps is None else index / fps)


class CameraSource:
    """An OpenCV camera by index or device path. A camera that stops delivering is released and
    reopened every `retry_s`, so one unplugged and plugged back in is picked up without a
    restart; `read()` returns None meanwhile."""

    live = True
    finished = False

    def __init__(
        self,
        device: int | str,
        width: int | None = 1280,
        height: int | None = 720,
        fps: float | None = 30,
        autofocus: bool | None = None,
        exposure: float | None = None,
        retry_s: float = 1.0,
        clock: Clock = time.time,
    ) -> None:
        self.device = device
        self.name = f"camera:{device}"
        self._settings = {
            cv2.CAP_PROP_FRAME_WIDTH: width,
            cv2.CAP_PROP_FRAME_HEIGHT: height,
            cv2.CAP_PROP_FPS: fps,
            cv2.CAP_PROP_AUTOFOCUS: None if autofocus is None else float(autofocus),
            cv2.CAP_PROP_EXPOSURE: exposure,
        }
        self._retry_s = retry_s
        self._counter = _Counter(clock)
        self._capture: cv2.VideoCapture | None = None
        self._next_attempt = 0.0
        if not self._open():
            raise SourceUnavailable(f"camera {device} cannot be opened")

    def _open(self) -> bool:
        capture = cv2.VideoCapture(self.device)
        if not capture.isOpened():
            capture.release()
            return False
        for prop, value in self._settings.items():
            if value is not None:
                capture.set(prop, value)  # drivers ignore what they cannot do; that is fine
        self._capture = capture
        return True

    def read(self) -> Frame | None:
        if self._capture is None:
            now = time.monotonic()
            if now < self._next_attempt or not self._open():
                self._next_attempt = max(self._next_attempt, now + self._retry_s)
                time.sleep(min(0.05, self._retry_s))  # no busy loop while the camera is gone
                return None
            log.info("camera %s is back", self.device)
        assert self._capture is not None
        ok, image = self._capture.read()
        if not ok or image is None:
            log.warning("camera %s stopped delivering frames; retrying", self.device)
            self._capture.release()
            self._capture = None
            self._next_attempt = time.monotonic() + self._retry_s
            return None
        return self._counter.frame(image)

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None


class VideoSource:
    """A video file or a stream URL. A file is paced at its own frame rate when `paced`, so it
    stands in for a live camera (frames not taken in time are dropped downstream, as live)."""

    RECONNECT_S = 1.0

    def __init__(self, location: str, paced: bool = True, clock: Clock = time.time) -> None:
        self.name = location
        self.is_stream = location.startswith(STREAM_SCHEMES)
        if not self.is_stream and not Path(location).is_file():
            raise SourceUnavailable(f"no such video file: {location}")
        if self.is_stream and video.addon_missing():
            raise SourceUnavailable(video.needs_addon(f"the stream {location}"))
        self._capture = cv2.VideoCapture(location)
        if not self._capture.isOpened():
            raise SourceUnavailable(
                video.needs_addon(f"the video {location}")
                if video.addon_missing()
                else f"cannot open video {location}"
            )
        fps = self._capture.get(cv2.CAP_PROP_FPS)
        self.fps = fps if fps and 1 <= fps <= 240 else 30.0
        self.live = self.is_stream or paced
        self._paced = paced and not self.is_stream
        self.finished = False
        self._counter = _Counter(clock)
        self._started: float | None = None

    def read(self) -> Frame | None:
        if self.finished:
            return None
        if self._paced:
            self._wait_for_frame_time()
        ok, image = self._capture.read()
        if not ok or image is None:
            self.finished = not self.is_stream
            if self.is_stream:
                self._reconnect()
            return None
        return self._counter.frame(image, None if self.is_stream else self.fps)

    def _reconnect(self) -> None:
        """A dropped stream (camera rebooted, network blip): wait a little and dial again."""
        log.warning("stream stopped delivering frames; reconnecting")
        self._capture.release()
        time.sleep(self.RECONNECT_S)
        self._capture = cv2.VideoCapture(self.name)

    def _wait_for_frame_time(self) -> None:
        now = time.monotonic()
        if self._started is None:
            self._started = now
        due = self._started + self._counter.count / self.fps
        if due > now:
            time.sleep(due - now)

    def close(self) -> None:
        self._capture.release()


class FolderSource:
    """The images of a folder in name order, each once."""

    live = False

    def __init__(self, folder: str | Path, clock: Clock = time.time) -> None:
        self.name = str(folder)
        path = Path(folder)
        if not path.is_dir():
            raise SourceUnavailable(f"no such folder: {folder}")
        self._files = sorted(p for p in path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        self._next = 0
        self._counter = _Counter(clock)
        self.finished = not self._files

    def read(self) -> Frame | None:
        while self._next < len(self._files):
            file = self._files[self._next]
            self._next += 1
            try:
                return self._counter.frame(read_image(file))
            except NotAnImage as exc:
                log.warning("skipping %s: %s", file.name, exc)
        self.finished = True
        return None

    def close(self) -> None:
        self._next = len(self._files)


@dataclass(frozen=True)
class CameraInfo:
    index: int
    device: str
    name: str
    width: int | None = None
    height: int | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "index": self.index,
            "device": self.device,
            "name": self.name,
            "width": self.width,
            "height": self.height,
        }


def list_cameras(max_index: int = 8) -> list[CameraInfo]:
    """The cameras attached now. On Linux the V4L2 device nodes that deliver frames (a webcam
    also exposes a metadata node that cannot); elsewhere, indices that open."""
    if sys.platform.startswith("linux"):
        candidates = [(int(p.removeprefix("/dev/video")), p) for p in _video_nodes()]
    else:
        candidates = [(i, str(i)) for i in range(max_index)]
    found = []
    for index, device in candidates:
        info = _probe(index, device)
        if info is not None:
            found.append(info)
    return found


def _video_nodes() -> list[str]:
    nodes = glob.glob("/dev/video*")
    return sorted((n for n in nodes if n.removeprefix("/dev/video").isdigit()), key=_node_number)


def _node_number(node: str) -> int:
    return int(node.removeprefix("/dev/video"))


def _probe(index: int, device: str) -> CameraInfo | None:
    capture = cv2.VideoCapture(index)
    try:
        if not capture.isOpened():
            return None
        width = int(capture.get(cv2.CAP_PROP_FRAME_WIDTH)) or None
        height = int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT)) or None
    finally:
        capture.release()
    return CameraInfo(index, device, _device_name(index) or f"camera {index}", width, height)


def _device_name(index: int) -> str | None:
    name_file = Path(f"/sys/class/video4linux/video{index}/name")
    try:
        return name_file.read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def open_source(
    spec: str, codes: Sequence[str] = (), paced: bool = True, clock: Clock = time.time
) -> FrameSource:
    """A source from its command-line spec:

    `0`, `camera:0`, `/dev/video0`  a camera; `camera:0@1920x1080` asks for a resolution,
                                    `camera:0@default` takes the camera's own;
    `file.mp4`, `rtsp://...`        a video file or stream;  `folder:DIR` or a directory;
    `synthetic`                     tickets rendered into frames (`codes`, or demo codes).
    """
    kind, _, rest = spec.partition(":")
    if is_camera_spec(spec):
        return _open_camera(rest if kind == "camera" else spec, clock)
    if kind == "synthetic":
        try:
            from scanner.camera.synthetic import SyntheticSource
        except ImportError as exc:  # a door install without the demo extra
            raise SourceUnavailable(
                f"the synthetic camera needs {exc.name}: pip install 'door-scanner[demo]'"
            ) from None
        return SyntheticSource(list(codes), paced=paced, clock=clock, options=rest)
    if kind == "folder" or (not spec.startswith(STREAM_SCHEMES) and os.path.isdir(spec)):
        return FolderSource(rest if kind == "folder" else spec, clock)
    return VideoSource(spec, paced=paced, clock=clock)


def is_camera_spec(spec: str) -> bool:
    """True for a spec naming a camera device (index, `camera:...` or a /dev/video path)."""
    return spec.isdigit() or spec.startswith("/dev/video") or spec.partition(":")[0] == "camera"


def _open_camera(device_spec: str, clock: Clock) -> CameraSource:
    device, _, resolution = device_spec.partition("@")
    width: int | None = 1280
    height: int | None = 720
    if resolution.lower() == CAMERA_DEFAULT:
        width = height = None  # whatever the driver delivers unasked
    elif resolution:
        try:
            width, height = (int(v) for v in resolution.lower().split("x"))
        except ValueError:
            raise BadSourceSpec(f"bad resolution {resolution!r}, expected WxH") from None
    return CameraSource(int(device) if device.isdigit() else device, width, height, clock=clock)
