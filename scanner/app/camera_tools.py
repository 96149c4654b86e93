"""Cameras and image files for a technician, with no door open: list the cameras, decode the
codes in image files, open a frame source from its spec (the command line's `cameras`, `decode`
and `scan`). OpenCV and the decoders load with this module, so only those commands import it."""

from __future__ import annotations

import time
from pathlib import Path

import cv2

from scanner.camera.cascade import Cascade
from scanner.camera.sources import (
    BadSourceSpec,
    CameraInfo,
    FrameSource,
    NotAnImage,
    SourceUnavailable,
    list_cameras,
    open_source,
    read_image,
)

__all__ = [
    "BadSourceSpec",
    "CameraInfo",
    "FrameSource",
    "ImageDecoder",
    "NotAnImage",
    "SourceUnavailable",
    "list_cameras",
    "open_source",
]


class ImageDecoder:
    """The door's decoder cascade, run on image files one after another."""

    def __init__(self) -> None:
        self.cascade = Cascade()

    def decode_file(self, path: Path) -> tuple[list[str], float]:
        """The code texts found in the image and the milliseconds decoding took."""
        image = read_image(path)
        if image.ndim == 3 and image.shape[2] == 4:
            image = cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
        started = time.perf_counter()
        texts = [found.text for found in self.cascade.decode(image)]
        return texts, (time.perf_counter() - started) * 1000
