"""The decoding cascade: cheap on the frames that hold no code, thorough where a code was seen.

Chosen by measurement on the synthetic corpus (docs/camera.md has the table):

1. zxing-cpp, QR only, on the whole frame (it also tries the inverted image: dark-mode phones).
   Most frames end here: at a door most frames hold no code at all.
2. If that located nothing, zxing-cpp again with its fixed-threshold binarizer: under a millisecond,
   and it locates motion-blurred and dim codes the local binarizer does not.
3. Only where a pass located a code it could not read (zxing returns those with errors): crop
   that region and retry it sharpened, enlarged and sharpened, then with pyzbar on the sharpened
   and the thresholded crop. The retries cost a few milliseconds on a small crop, not a frame.
4. A dim frame (low light) where nothing was located is smoothed, amplified and read again: both
   binarizers give up on codes only a few grey levels deep in sensor noise.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from scanner.camera.decoders import (
    Corners,
    Decoder,
    Found,
    Image,
    PyzbarDecoder,
    ZxingDecoder,
    ZxingResult,
    guarded,
    pyzbar_unavailable_reason,
)
from scanner.camera.health import record_failure

log = logging.getLogger(__name__)
Retry = Callable[[Image], list[Found]]

DIM_LEVEL = 60  # a frame whose 99th-percentile grey is below this is "dim"
MAX_CROPS = 4  # regions retried per frame, so a cluttered frame cannot run away


def to_gray(frame: Image) -> Image:
    return frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)


def sharpen(gray: Image, sigma: float = 2.0, amount: float = 1.0) -> Image:
    """Unsharp mask: restores module edges that defocus and motion smear."""
    soft = cv2.GaussianBlur(gray, (0, 0), sigma)
    return cv2.addWeighted(gray, 1 + amount, soft, -amount, 0)


def enlarge(gray: Image, factor: float = 2.0) -> Image:
    return cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)


def threshold(gray: Image, block: int = 31) -> Image:
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, block, 5)


def brighten(gray: Image) -> Image:
    """A dim frame, box-filtered against sensor noise and amplified to use the full range."""
    soft = cv2.blur(gray, (3, 3))
    top = float(np.percentile(soft[::8, ::8], 99.5))
    return cv2.convertScaleAbs(soft, alpha=250 / max(top, 1.0))


@dataclass(frozen=True)
class Crop:
    image: Image
    x: int
    y: int
    scale: float = 1.0

    def to_frame(self, found: Found) -> Found:
        corners = tuple(
            (self.x + px / self.scale, self.y + py / self.scale) for px, py in found.corners
        )
        return Found(found.text, corners)


def plausible(corners: Corners, min_side: float = 12.0) -> bool:
    """Whether a located-but-unread quadrilateral can be (part of) a QR code seen by a camera.
    zxing also reports long slivers and frame-sized boxes over clutter, whose retries cost the
    most; a small elongated one is often a tilted code's corner, so it may be longer."""
    if len(corners) != 4:
        return False
    points = np.array(corners, dtype=np.float64)
    sides = np.linalg.norm(points - np.roll(points, -1, axis=0), axis=1)
    shortest, longest = float(sides.min()), float(sides.max())
    max_aspect = 2.5 if longest <= 150 else 1.6
    return shortest >= min_side and longest <= max_aspect * shortest


def crop_around(gray: Image, corners: Corners, max_side: int = 400) -> Crop:
    """The candidate with a margin for its quiet zone, and more around a small candidate: zxing
    often locates only part of a blurred or tilted code. A large crop is shrunk to `max_side`,
    since its modules are big enough to survive it and retries cost by the pixel."""
    xs = [p[0] for p in corners]
    ys = [p[1] for p in corners]
    side = max(max(xs) - min(xs), max(ys) - min(ys))
    pad = side * (0.6 if side >= 80 else 1.5)
    height, width = gray.shape
    x0, x1 = max(0, int(min(xs) - pad)), min(width, int(max(xs) + pad) + 1)
    y0, y1 = max(0, int(min(ys) - pad)), min(height, int(max(ys) + pad) + 1)
    image = gray[y0:y1, x0:x1]
    scale = min(1.0, max_side / max(image.shape))
    if scale < 1.0:
        image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return Crop(image, x0, y0, scale)


class Cascade:
    """Frame in, every code in it out. Thread-confined: one instance per decoding thread."""

    name = "cascade"

    def __init__(self, use_pyzbar: bool = True) -> None:
        self.primary = ZxingDecoder("zxing")
        self.fallback = ZxingDecoder("zxing_fixed", binarizer="FixedThreshold")
        # A brightened dim frame is mostly amplified noise: skip the inverted and downscaled
        # searches there, which cost the most on noise and found nothing more.
        self.dim = ZxingDecoder("zxing_dim", False, False, "FixedThreshold")
        self.pyzbar: Decoder | None = None
        if use_pyzbar:
            reason = pyzbar_unavailable_reason()
            if reason is None:
                self.pyzbar = PyzbarDecoder()
            else:
                log.warning("pyzbar unavailable, decoding without it: %s", reason)
        self._retries = self._build_retries()
        # zxing-cpp sets itself up on its first image (~8 ms): pay that here, not on a ticket.
        self.primary.decode(np.zeros((64, 64), np.uint8))

    def _build_retries(self) -> list[tuple[Retry, float]]:
        """Retries for a located but unread code, cheapest and most fruitful first; the second
        member is the factor the retry enlarged the crop by."""
        zx = self.primary
        retries: list[tuple[Retry, float]] = [
            (lambda img: zx.decode(sharpen(img)), 1.0),
            (lambda img: zx.decode(sharpen(enlarge(img), 3.0, 1.5)), 2.0),
        ]
        pyzbar = self.pyzbar
        if pyzbar is not None:
            retries.append((lambda img: guarded(pyzbar, sharpen(img)), 1.0))
            retries.append((lambda img: guarded(pyzbar, threshold(img)), 1.0))
        return retries

    def decode(self, frame: Image) -> list[Found]:
        gray = to_gray(frame)
        result, seen_in = self._locate(gray)
        found = list(result.found)
        candidates = [c for c in result.unread if plausible(c)]
        for corners in candidates[:MAX_CROPS]:
            found.extend(self._retry(crop_around(seen_in, corners)))
        return _unique(found)

    def _locate(self, gray: Image) -> tuple[ZxingResult, Image]:
        """The cheap passes: codes read, codes located but unread, and the image they were
        located in (a dim frame's are retried on its brightened copy)."""
        result = self._read(self.primary, gray)
        if result.found or result.unread:
            return result, gray
        result = self._read(self.fallback, gray)
        if result.found or result.unread or not _is_dim(gray):
            return result, gray
        bright = brighten(gray)
        return self._read(self.dim, bright), bright

    def _read(self, decoder: ZxingDecoder, gray: Image) -> ZxingResult:
        try:
            return decoder.read(gray)
        except Exception as exc:  # a decoder failure is a frame without a code
            record_failure(decoder.name, exc)
            return ZxingResult([], [])

    def _retry(self, crop: Crop) -> list[Found]:
        for retry, scale in self._retries:
            try:
                found = retry(crop.image)
            except Exception as exc:  # a failed retry only means no code from it
                record_failure("retry", exc)
                continue
            if found:
                at = Crop(crop.image, crop.x, crop.y, crop.scale * scale)
                return [at.to_frame(f) for f in found]
        return []


def _is_dim(gray: Image) -> bool:
    sample = gray[::8, ::8]  # a 1/64 sample is plenty for a brightness estimate
    return float(np.percentile(sample, 99)) < DIM_LEVEL


def _unique(found: list[Found]) -> list[Found]:
    seen: dict[str, Found] = {}
    for item in found:
        seen.setdefault(item.text, item)
    return list(seen.values())
