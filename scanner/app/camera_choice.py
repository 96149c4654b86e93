"""Which camera a door uses, and at which resolution: the choices the settings offer.

A choice is a source spec (as for `scanner scan --source`); the resolution is kept apart (in
the door's preferences) and put into the spec when the camera opens, so a door that changes
cameras keeps its resolution.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from scanner.camera.sources import CAMERA_DEFAULT, CameraInfo, is_camera_spec

RESOLUTIONS = ("640x480", "1280x720", "1920x1080", CAMERA_DEFAULT)
STANDARD = "1280x720"  # what a camera is asked for when the door never chose a resolution


class CameraKind(StrEnum):
    NONE = "none"  # hand scanner and search only
    DEVICE = "device"  # a camera attached to this machine
    SYNTHETIC = "synthetic"  # tickets rendered into frames (demo)
    OTHER = "other"  # a video file, stream or image folder given on the command line


@dataclass(frozen=True)
class CameraOption:
    spec: str  # "" for no camera
    kind: CameraKind
    name: str  # the device's own name, or the spec; the window words the kind
    size: tuple[int, int] | None = None  # what the device delivers unasked, when known


NO_CAMERA = CameraOption("", CameraKind.NONE, "")


def camera_options(found: Iterable[CameraInfo], known: Iterable[str]) -> list[CameraOption]:
    """No camera, the cameras attached now, then the sources this door used that are not one
    of them (the demo's synthetic camera, a file or stream given with --source)."""
    known = [spec for spec in dict.fromkeys(known) if spec]
    options = [NO_CAMERA]
    for info in found:
        size = (info.width, info.height) if info.width and info.height else None
        # the spec the door knows it by ("0", "camera:0@1920x1080"), so it is seen as in use
        spec = next((s for s in known if _device_of(s) in (info.device, str(info.index))), None)
        options.append(CameraOption(spec or info.device, CameraKind.DEVICE, info.name, size))
    listed = {option.spec for option in options}
    options += [CameraOption(s, kind_of(s), s) for s in known if s not in listed]
    return options


def _device_of(spec: str) -> str | None:
    """The device a camera spec names ("camera:0@640x480" -> "0"), None for other sources."""
    if kind_of(spec) is not CameraKind.DEVICE:
        return None
    return spec.removeprefix("camera:").partition("@")[0]


def kind_of(spec: str) -> CameraKind:
    if not spec:
        return CameraKind.NONE
    if spec.partition(":")[0] == "synthetic":
        return CameraKind.SYNTHETIC
    return CameraKind.DEVICE if is_camera_spec(spec) else CameraKind.OTHER


def with_resolution(spec: str, resolution: str | None) -> str:
    """`spec` asking for `resolution` ("WxH" or "default"), when it names a camera or the
    synthetic source and does not ask for a size itself; other sources keep their own."""
    if not resolution or resolution not in RESOLUTIONS:
        return spec
    kind = kind_of(spec)
    if kind is CameraKind.DEVICE and "@" not in spec:
        device = spec if spec.startswith("camera:") else f"camera:{spec}"
        return f"{device}@{resolution}"
    if kind is CameraKind.SYNTHETIC and resolution != CAMERA_DEFAULT:
        options = spec.partition(":")[2]
        if "size=" not in options:
            return (
                f"synthetic:{options},size={resolution}"
                if options
                else (f"synthetic:size={resolution}")
            )
    return spec
