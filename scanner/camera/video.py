"""Whether this build reads video files, network streams and AVIF images.

OpenCV reads those through FFmpeg and libavif, 42 MB that most doors never use: they scan with a
USB or laptop camera. The packaged Linux build ships them as the video add-on
(`door-scanner-video`). Without it, the build's start-up hook (`packaging/hooks/rthook_video.py`)
calls `mark_addon_missing()`; cameras, image files, folders of images and MJPEG .avi files
(OpenCV's own readers) work the same either way.
"""

from __future__ import annotations

import os
from pathlib import Path

ADDON = "door-scanner-video"
ENVIRONMENT = "SCANNER_VIDEO_ADDON"
# An ISO media file's brand: AVIF images (and sequences) go to libavif, which the add-on holds.
_AVIF_BRANDS = (b"ftypavif", b"ftypavis")


def mark_addon_missing() -> None:
    """Turn OpenCV's FFmpeg backend off (the libraries it would call are placeholders that stop
    the program) and say so to `addon_missing()`. Before cv2 is imported: OpenCV reads its
    variable once. Environment variables, so the build's child processes agree."""
    os.environ["OPENCV_VIDEOIO_PRIORITY_FFMPEG"] = "0"
    os.environ[ENVIRONMENT] = "missing"


def addon_missing() -> bool:
    return os.environ.get(ENVIRONMENT) == "missing"


def needs_addon(what: str) -> str:
    """The message for something only the add-on reads (`what`: "the video clip.mp4")."""
    return (
        f"{what} needs the video add-on ({ADDON}), which is not installed; without it this "
        "build reads cameras, image files, folders of images and MJPEG .avi files"
    )


def unreadable_image(path: Path) -> str | None:
    """Why this build cannot read the image file at `path`, when it is an AVIF image and the
    add-on is missing (OpenCV would hand it to a libavif that is not there); else None."""
    if not addon_missing():
        return None
    try:
        with path.open("rb") as file:
            head = file.read(12)
    except OSError:
        return None  # the reader says what is wrong with the file itself
    return needs_addon(f"the AVIF image {path.name}") if head[4:12] in _AVIF_BRANDS else None
