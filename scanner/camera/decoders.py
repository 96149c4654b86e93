"""The single QR decoders behind one small interface, each call guarded.

Every decoder is restricted to QR: with all symbologies on, zxing-cpp costs several times more per
empty frame and pyzbar misreads 1-D barcodes in the background. A decoder that raises (OpenCV's
detector asserts on some frames) yields a frame without a code, never a crash.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Protocol

import cv2
import numpy as np
import zxingcpp

from scanner.camera.health import record_failure

log = logging.getLogger(__name__)
Image = np.ndarray
Corners = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Found:
    """One code read from an image, with its corners in that image's pixels."""

    text: str
    corners: Corners = field(default=(), compare=False)


@dataclass(frozen=True)
class Located:
    """A code zxing located but could not read (checksum or format errors): where to look
    harder. `modules` is its side in modules when zxing read its version, else None."""

    corners: Corners
    modules: int | None = None

    def scaled(self, factor: float) -> Located:
        corners = tuple((x * factor, y * factor) for x, y in self.corners)
        return Located(corners, self.modules)


@dataclass
class ZxingResult:
    found: list[Found]
    unread: list[Located]


class Decoder(Protocol):
    name: str

    def decode(self, gray: Image) -> list[Found]: ...


def guarded(decoder: Decoder, gray: Image) -> list[Found]:
    """`decoder.decode` with any exception turned into "no code" (counted, never with content)."""
    try:
        return decoder.decode(gray)
    except Exception as exc:  # any decoder failure is a frame without a code
        record_failure(decoder.name, exc)
        return []


def _position_corners(position: Any) -> Corners:
    points = (position.top_left, position.top_right, position.bottom_right, position.bottom_left)
    return tuple((float(p.x), float(p.y)) for p in points)


def _side_modules(code: Any) -> int | None:
    """A located code's side in modules, from the version zxing read: "7" is a QR code of
    version 7, "M3" a Micro QR code of version 3 (what zxing often takes one finder of a blurred
    QR code for); rectangular rMQR and unread versions give None."""
    version = str((getattr(code, "extra", None) or {}).get("Version", ""))
    if version.isdigit():
        return 17 + 4 * int(version)
    if version[:1] == "M" and version[1:].isdigit():
        return 9 + 2 * int(version[1:])
    return None


class ZxingDecoder:
    """zxing-cpp, QR only. Rotation search is for 1-D codes, so it is off; `invert` also reads
    light-on-dark codes (dark-mode phone screens), which no other decoder here does."""

    def __init__(
        self,
        name: str = "zxing",
        invert: bool = True,
        downscale: bool = True,
        binarizer: str = "LocalAverage",
    ) -> None:
        self.name = name
        self._options = {
            "formats": zxingcpp.BarcodeFormat.QRCode,
            "try_rotate": False,
            "try_invert": invert,
            "try_downscale": downscale,
            "binarizer": getattr(zxingcpp.Binarizer, binarizer),
        }

    def read(self, gray: Image) -> ZxingResult:
        result = ZxingResult([], [])
        for code in zxingcpp.read_barcodes(gray, return_errors=True, **self._options):
            corners = _position_corners(code.position)
            if code.valid and code.text:
                result.found.append(Found(code.text, corners))
            else:
                result.unread.append(Located(corners, _side_modules(code)))
        return result

    def decode(self, gray: Image) -> list[Found]:
        return self.read(gray).found


class PyzbarDecoder:
    """zbar through pyzbar, QR only. Imported lazily: without libzbar the app runs on the others."""

    name = "pyzbar"

    def __init__(self) -> None:
        from pyzbar import pyzbar  # raises ImportError when libzbar is missing

        self._pyzbar = pyzbar
        self._symbols = [pyzbar.ZBarSymbol.QRCODE]

    def decode(self, gray: Image) -> list[Found]:
        found = []
        for symbol in self._pyzbar.decode(gray, symbols=self._symbols):
            try:
                text = symbol.data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            corners = tuple((float(p.x), float(p.y)) for p in symbol.polygon)
            found.append(Found(text, corners))
        return found


def pyzbar_unavailable_reason() -> str | None:
    """Why pyzbar cannot be used here (for `doctor` and the logs), or None when it can."""
    try:
        PyzbarDecoder()
    except ImportError as exc:
        return str(exc) or "pyzbar is not installed"
    return None


class OpenCVDecoder:
    """OpenCV's QRCodeDetector, or its Aruco-based variant: kept for the measurement only."""

    def __init__(self, aruco: bool = False) -> None:
        self.name = "opencv_aruco" if aruco else "opencv"
        self._detector = cv2.QRCodeDetectorAruco() if aruco else cv2.QRCodeDetector()

    def decode(self, gray: Image) -> list[Found]:
        ok, texts, points, _ = self._detector.detectAndDecodeMulti(gray)
        found = []
        for text, quad in zip(texts, points, strict=False) if ok else ():
            if text:
                found.append(Found(text, tuple((float(x), float(y)) for x, y in quad)))
        if found:
            return found
        # The multi-code detector misses codes the single-code path reads: give it its best.
        text, quad, _ = self._detector.detectAndDecode(gray)
        if not text or quad is None:
            return []
        return [Found(text, tuple((float(x), float(y)) for x, y in quad.reshape(-1, 2)))]


def single_decoders() -> list[Decoder]:
    """Every single decoder available on this machine, as the benchmark compares them."""
    decoders: list[Decoder] = [ZxingDecoder(), OpenCVDecoder(), OpenCVDecoder(aruco=True)]
    if pyzbar_unavailable_reason() is None:
        decoders.insert(1, PyzbarDecoder())
    return decoders
