"""Doctor's checks of the scanning hardware and software: cameras and QR decoders."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from scanner.app.findings import DoctorSettings, Finding, Level

if TYPE_CHECKING:
    from scanner.camera.decoders import Image
    from scanner.camera.sources import Frame, FrameSource

SAMPLE = "DOOR-SCANNER-DOCTOR"


def check_decoders(_settings: DoctorSettings) -> Iterator[Finding]:
    try:
        import numpy as np
        import zxingcpp

        from scanner.camera import decoders
    except ImportError as exc:
        yield Finding(
            "decoders",
            Level.PROBLEM,
            f"the camera decoders cannot load ({exc})",
            "reinstall the scanner; hand scanners and search still work",
        )
        return
    code = zxingcpp.create_barcode(SAMPLE, zxingcpp.BarcodeFormat.QRCode)
    image: Image = np.pad(np.asarray(code.to_image(scale=4)), 24, constant_values=255)
    zxing = [found.text for found in decoders.ZxingDecoder().decode(image)]
    if zxing != [SAMPLE]:
        yield Finding(
            "decoders",
            Level.PROBLEM,
            "zxing-cpp is installed but did not read a test code",
            "reinstall the scanner (its zxing-cpp library is broken)",
        )
    else:
        yield Finding(
            "decoders", Level.OK, "zxing-cpp reads QR codes", "", {"decoder": "zxing-cpp"}
        )
    yield _pyzbar(image)
    yield _video_addon()


def _video_addon() -> Finding:
    from scanner.camera import video

    if not video.addon_missing():
        return Finding(
            "decoders", Level.OK, "video files and network cameras can be read", "",
            {"video": True},
        )  # fmt: skip
    return Finding(
        "decoders",
        Level.INFO,
        "video files (.mp4, .mkv) and network cameras (rtsp://) need the video add-on,"
        " which is not installed; USB and laptop cameras need nothing more",
        f"to scan from those, install {video.ADDON} (the .deb, or the .tar.gz unpacked over"
        " this folder)",
        {"video": False, "addon": video.ADDON},
    )


def _pyzbar(image: Image) -> Finding:
    from scanner.camera.decoders import PyzbarDecoder, pyzbar_unavailable_reason

    reason = pyzbar_unavailable_reason()
    if reason is not None:
        return Finding(
            "decoders",
            Level.WARNING,
            f"zbar is not available ({reason}): damaged or small codes are read less often",
            "install the zbar library (Debian/Ubuntu: sudo apt install libzbar0); "
            "a packaged build carries its own copy",
            {"decoder": "pyzbar"},
        )
    if [found.text for found in PyzbarDecoder().decode(image)] != [SAMPLE]:
        return Finding(
            "decoders",
            Level.WARNING,
            "zbar is installed but did not read a test code",
            "reinstall libzbar0; zxing-cpp still reads codes",
            {"decoder": "pyzbar"},
        )
    return Finding("decoders", Level.OK, "zbar reads QR codes", "", {"decoder": "pyzbar"})


def check_cameras(settings: DoctorSettings) -> Iterator[Finding]:
    try:
        from scanner.camera.sources import SourceUnavailable, list_cameras, open_source
    except ImportError as exc:
        yield Finding(
            "camera",
            Level.PROBLEM,
            f"camera support cannot load ({exc})",
            "reinstall the scanner; hand scanners and search still work",
        )
        return
    if settings.camera is None:
        locked = [node for node in _video_nodes() if not os.access(node, os.R_OK | os.W_OK)]
        cameras = list_cameras()
        if not cameras:
            yield _no_camera(locked)
            return
        spec = str(cameras[0].index)
        name = f"{cameras[0].name} ({cameras[0].device})"
        others = [c.device for c in cameras[1:]]
    else:
        spec, name, others = settings.camera, settings.camera, []
    try:
        source = open_source(spec)
    except SourceUnavailable as exc:
        yield _silent(name, str(exc))
        return
    try:
        frame = _first_frame(source, settings.timeout_s)
    finally:
        source.close()
    if frame is None:
        yield _silent(name, f"no picture within {settings.timeout_s:.0f} s")
        return
    height, width = frame.image.shape[:2]
    yield Finding(
        "camera",
        Level.OK,
        f"{name} delivers frames ({width}x{height})",
        "",
        {"camera": name, "width": width, "height": height, "other_cameras": others},
    )


def _video_nodes() -> list[str]:
    folder = "/dev"
    if not os.path.isdir(folder):
        return []
    return [f"{folder}/{n}" for n in sorted(os.listdir(folder)) if n.startswith("video")]


def _no_camera(locked: list[str]) -> Finding:
    if locked:
        return Finding(
            "camera",
            Level.PROBLEM,
            f"cameras are attached ({', '.join(locked)}) but this user may not use them",
            "add this user to the 'video' group (sudo usermod -aG video $USER), then log in again",
            {"devices": locked},
        )
    return Finding(
        "camera",
        Level.WARNING,
        "no camera found",
        "plug in a USB camera (and close other programs using it); "
        "hand scanners and search work without one",
    )


def _silent(name: str, why: str) -> Finding:
    return Finding(
        "camera",
        Level.PROBLEM,
        f"{name} is attached but delivers no frames: {why}",
        "close other programs using the camera, plug it in again, or try another USB port",
        {"camera": name},
    )


def _first_frame(source: FrameSource, timeout_s: float) -> Frame | None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and not source.finished:
        frame = source.read()
        if frame is not None:
            return frame
    return None
