"""The decoding cascade: cheap on the frames that hold no code, thorough where a code was seen.

Chosen by measurement on the synthetic corpus (docs/camera.md has the table):

1. zxing-cpp, QR only, on the whole frame at full size (it also tries the inverted image:
   dark-mode phones; not on a dark frame where nothing is lit). Most frames end here: at a door
   most frames hold no code at all.
2. If that read nothing, zxing-cpp on the frame reduced to a third, the downscaled search zxing
   does by itself (it reads coarse codes: a phone held close), done here on a subsampled frame
   for a fraction of the cost. Images larger than 1920 px (photographs) get zxing's own.
3. If neither located anything: a dim frame (low light; it skips step 2) is reduced to half
   (against sensor noise), amplified and read again; any other frame is read with zxing's
   fixed-threshold binarizer (a quarter of a millisecond), which locates motion-blurred codes
   the local one misses.
4. Only where a pass located a code it could not read (zxing returns those with errors): crop
   that region and climb the retry ladder on it (sharpened; zxing's fixed threshold; enlarged
   twice and sharpened, three times for a code of fine modules; pyzbar on the sharpened and on
   the thresholded crop; last, for modules under 5.5 px, enlarged three times and sharpened
   harder) until one reads. A few milliseconds on a crop,
   not a frame. A coarse candidate (8 px per module or more: a phone held close, or far more
   often finder-like clutter) gets only the cheap rung, on the reduced frame: one crop around
   all of a frame's coarse candidates.

`Cascade.decode` is stateless: one frame, every code in it. Video gets `TrackingCascade`
(tracking.py), which climbs the same ladder one rung per frame across the frames of a ticket.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import cv2
import numpy as np

from scanner.camera.decoders import (
    Corners,
    Decoder,
    Found,
    Image,
    Located,
    PyzbarDecoder,
    ZxingDecoder,
    ZxingResult,
    guarded,
    pyzbar_unavailable_reason,
)
from scanner.camera.health import record_failure

log = logging.getLogger(__name__)
Retry = Callable[[Image], list[Found]]

DIM_LEVEL = 60  # a frame with fewer than 1% of its pixels at this grey or above is "dim"
DIM_SHARE = 0.01
UNLIT_SHARE = 0.001  # a dim frame with fewer than this has no lit screen in it to invert
MAX_CROPS = 4  # regions retried per frame, so a cluttered frame cannot run away
REDUCE_BY = 3  # zxing's own downscaled search: a third each way
REDUCE_UP_TO = 1920  # larger images (photographs) get zxing's own, averaged, search (at 1080p
# the subsampled third read the same codes for two thirds of the cost)
COARSE_PX = 8.0  # a located code with modules this large gets only the cheap rung
FINE_PX = 2.5  # one with modules this small is also enlarged three times
BLURRED_PX = 5.5  # one under this is also enlarged three times and sharpened harder, last


def to_gray(frame: Image) -> Image:
    return frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)


def sharpen(gray: Image, sigma: float = 2.0, amount: float = 1.0) -> Image:
    """Unsharp mask: restores module edges that defocus and motion smear."""
    kernel = _gaussian_kernel(sigma)
    # GaussianBlur's own kernel: its bit-exact 8-bit path costs three times as much, for an
    # image that differs by at most one grey level.
    soft = cv2.sepFilter2D(gray, -1, kernel, kernel)
    return cv2.addWeighted(gray, 1 + amount, soft, -amount, 0)


@functools.cache
def _gaussian_kernel(sigma: float) -> Image:
    """The kernel cv2.GaussianBlur uses on 8-bit images for `sigma`."""
    kernel: Image = cv2.getGaussianKernel(int(sigma * 6 + 1.5) | 1, sigma)
    return kernel


def enlarge(gray: Image, factor: float = 2.0) -> Image:
    return cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)


def threshold(gray: Image, block: int = 31) -> Image:
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, block, 5)


def brighten(gray: Image) -> Image:
    """A dim frame at half size (averaging four pixels halves the sensor noise), amplified to
    use the full range."""
    height, width = gray.shape
    half = cv2.resize(gray, (width // 2, height // 2), interpolation=cv2.INTER_AREA)
    top = _percentile(half[::4, ::4], 99.5)
    gain = np.minimum(np.arange(256) * (250 / max(top, 1.0)), 255).astype(np.uint8)
    bright: Image = cv2.LUT(half, gain, dst=half)  # in place: a fresh half frame costs more
    return bright


def _percentile(sample: Image, q: float) -> float:
    """Of 8-bit pixels, from their histogram: np.percentile sorts, several times slower."""
    counts = np.cumsum(np.bincount(sample.ravel(), minlength=256))
    return float(np.searchsorted(counts, counts[-1] * q / 100))


def lit_share(gray: Image) -> float:
    """The share of pixels at DIM_LEVEL or above, on a 1/64 sample: plenty for a brightness
    estimate. Every 16th row, every 4th pixel in it: half the memory read of every 8th of
    each, the same verdicts on every bench frame."""
    sample = gray[::16, ::4]
    return int(np.count_nonzero(sample >= DIM_LEVEL)) / sample.size


def reduce(gray: Image) -> Image:
    """A camera frame at a third of its size each way, for zxing's downscaled search done here:
    subsampled, where zxing averages. At camera sizes the lens has already averaged neighbouring
    pixels and both read the same codes; averaging costs more than the decoding."""
    return np.ascontiguousarray(gray[1::REDUCE_BY, 1::REDUCE_BY])


@dataclass(frozen=True)
class Crop:
    """Part of a frame: `x`, `y` its corner in frame pixels, `scale` its pixels per frame pixel."""

    image: Image
    x: int
    y: int
    scale: float = 1.0

    def to_frame(self, found: Found) -> Found:
        corners = tuple(
            (self.x + px / self.scale, self.y + py / self.scale) for px, py in found.corners
        )
        return Found(found.text, corners)

    def scaled(self, factor: float) -> Crop:
        return Crop(self.image, self.x, self.y, self.scale * factor)


def side_px(corners: Corners) -> float:
    points = np.array(corners, dtype=np.float64)
    return float(np.linalg.norm(points - np.roll(points, -1, axis=0), axis=1).mean())


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


def crop_around(
    image: Image, corners: Corners, margin: float = 0.0, scale: float = 1.0, max_side: int = 400
) -> Crop:
    """The candidate with a margin for its quiet zone, and more around a small candidate: zxing
    often locates only part of a blurred or tilted code. `corners` and `margin` (more pixels:
    a code that may have moved since it was located) are in frame pixels; `image` is the frame
    at `scale`. A large crop is shrunk to `max_side`, since its modules are big enough to
    survive it and retries cost by the pixel; one under 1.25 times that is left as it is."""
    xs = [p[0] * scale for p in corners]
    ys = [p[1] * scale for p in corners]
    side = max(max(xs) - min(xs), max(ys) - min(ys))
    pad = side * (0.6 if side >= 80 * scale else 2.0) + margin * scale
    height, width = image.shape
    x0, x1 = max(0, int(min(xs) - pad)), min(width, int(max(xs) + pad) + 1)
    y0, y1 = max(0, int(min(ys) - pad)), min(height, int(max(ys) + pad) + 1)
    cut = image[y0:y1, x0:x1]
    shrink = min(1.0, max_side / max(cut.shape)) if cut.size else 1.0
    if shrink < 0.8:  # shrinking a little cost more (0.4-0.7 ms at 426 -> 400) than it saved
        cut = cv2.resize(cut, None, fx=shrink, fy=shrink, interpolation=cv2.INTER_AREA)
    return Crop(cut, round(x0 / scale), round(y0 / scale), scale * shrink)


@dataclass(frozen=True)
class Candidate:
    """A code located but not read: where (frame pixels); the image to retry it in (the frame,
    a dim frame's brightened copy, or for a coarse one the reduced frame) at `scale` pixels per
    frame pixel; and its side in modules when zxing read its version."""

    corners: Corners
    image: Image
    scale: float = 1.0
    modules: int | None = None

    @property
    def module_px(self) -> float | None:
        return side_px(self.corners) / self.modules if self.modules else None

    @property
    def coarse(self) -> bool:
        """8 px per module or more: a phone held close, or finder-like clutter."""
        module = self.module_px
        return module is not None and module >= COARSE_PX

    @property
    def fine(self) -> bool:
        """Under 2.5 px per module: a ticket held far away; its crop is small."""
        module = self.module_px
        return module is not None and module < FINE_PX

    @property
    def blurred(self) -> bool:
        """Under 5.5 px per module (its version read): a defocused code whose modules the
        lens has blurred into each other, which only enlarging further separates."""
        module = self.module_px
        return module is not None and module < BLURRED_PX

    def crop(self, margin: float = 0.0) -> Crop:
        return crop_around(self.image, self.corners, margin, self.scale)


@dataclass
class Sight:
    """What the cheap passes made of a frame: the codes read, and the candidates to retry."""

    found: list[Found]
    candidates: list[Candidate] = field(default_factory=list)


@dataclass(frozen=True)
class Rung:
    """One retry of a candidate's crop: its name, the retry, and how much it enlarged the crop
    (to map what it reads back to the frame)."""

    name: str
    retry: Retry
    enlarged: float = 1.0
    only: Callable[[Candidate], bool] | None = None  # the candidates it is for, if not all


class Cascade:
    """Frame in, every code in it out. Thread-confined: one instance per decoding thread."""

    name = "cascade"

    def __init__(self, use_pyzbar: bool = True) -> None:
        # zxing's own downscaled search is done in `locate`, cheaper and only when needed, for
        # frames up to REDUCE_UP_TO wide; larger images get zxing's own.
        self.primary = ZxingDecoder("zxing", downscale=False)
        self.primary_large = ZxingDecoder("zxing")
        # Without the inverted search (dark-mode screens), for a frame with nothing lit: on a
        # dark frame's noise it cost a third of the frame's decoding at p95; the brightened
        # pass at half size does it there instead.
        self.upright = ZxingDecoder("zxing_upright", invert=False, downscale=False)
        self.reduced = ZxingDecoder("zxing_reduced", downscale=False)
        # The inverted search is the primary's: a second one here found nothing more.
        self.fallback = ZxingDecoder("zxing_fixed", False, False, "FixedThreshold")
        # On a crop it is cheap, and there the inverted search still finds dark-mode screens.
        self.fixed_crop = ZxingDecoder("zxing_fixed_crop", True, False, "FixedThreshold")
        # A brightened dim frame is mostly amplified noise: no inverted search there either,
        # unless the primary went without it (a dim screen in the dark is read here).
        self.dim = ZxingDecoder("zxing_dim", False, False, "FixedThreshold")
        self.dim_inverted = ZxingDecoder("zxing_dim_inverted", True, False, "FixedThreshold")
        self.pyzbar: Decoder | None = None
        if use_pyzbar:
            reason = pyzbar_unavailable_reason()
            if reason is None:
                self.pyzbar = PyzbarDecoder()
            else:
                log.warning("pyzbar unavailable, decoding without it: %s", reason)
        self.ladder = self._build_ladder()
        # zxing-cpp sets itself up on its first image (~8 ms): pay that here, not on a ticket.
        self.primary.decode(np.zeros((64, 64), np.uint8))

    def _build_ladder(self) -> list[Rung]:
        """Retries for a located but unread code, cheapest and most fruitful first."""
        zx, fixed = self.primary, self.fixed_crop
        ladder = [
            Rung("sharpened", lambda img: zx.decode(sharpen(img))),
            Rung("fixed_threshold", fixed.decode),
            Rung("enlarged", lambda img: zx.decode(sharpen(enlarge(img), 3.0, 1.5)), 2.0),
            Rung(
                "enlarged_3x",
                lambda img: zx.decode(sharpen(enlarge(img, 3), 4.0, 1.5)),
                3.0,
                lambda candidate: candidate.fine,
            ),
        ]
        pyzbar = self.pyzbar
        if pyzbar is not None:
            ladder.append(Rung("pyzbar", lambda img: guarded(pyzbar, sharpen(img))))
            ladder.append(Rung("pyzbar_threshold", lambda img: guarded(pyzbar, threshold(img))))
        # The costliest (up to a 1,200 px crop, about 9 ms), so the last; it reads defocused
        # codes of 4-5 px modules nothing else does (blur 0.87 -> 0.97 on the bench's frames).
        ladder.append(
            Rung(
                "enlarged_3x_harder",
                lambda img: zx.decode(sharpen(enlarge(img, 3), 4.0, 2.0)),
                3.0,
                lambda candidate: candidate.blurred,
            )
        )
        return ladder

    def rungs(self, candidate: Candidate | None = None) -> list[Rung]:
        """The ladder for `candidate`: a coarse one's modules need no enlarging, and only the
        cheap rung ever read one; only a fine one is enlarged three times."""
        if candidate is not None and candidate.coarse:
            return self.ladder[:1]
        return [
            rung
            for rung in self.ladder
            if rung.only is None or (candidate is not None and rung.only(candidate))
        ]

    def decode(self, frame: Image) -> list[Found]:
        sight = self.locate(to_gray(frame))
        found = list(sight.found)
        candidates = [
            candidate
            for candidate in largest_first(sight.candidates)[:MAX_CROPS]
            if not part_of_read(candidate, found)
        ]
        coarse = [candidate for candidate in candidates if candidate.coarse]
        if coarse:  # one crop around them all: their crops of the reduced frame overlap
            found.extend(self.retry(coarse_crop(coarse), self.ladder[0]))
        for candidate in candidates:
            if candidate.coarse or part_of_read(candidate, found):
                continue
            crop = candidate.crop()
            for rung in self.rungs(candidate):
                read = self.retry(crop, rung)
                if read:
                    found.extend(read)
                    break
        return unique(found)

    def locate(self, gray: Image, fallback: bool = True) -> Sight:
        """The cheap passes: codes read, and plausible candidates located but not read.
        `fallback=False` skips step 3, the fallback for a frame where nothing was located
        (a video spreads it over its frames)."""
        large = gray.shape[1] > REDUCE_UP_TO
        lit = lit_share(gray)
        dim = lit < DIM_SHARE
        unlit = lit < UNLIT_SHARE and not large
        # Nothing lit: the inverted search for a dark-mode screen is left to the brightened pass.
        result = self._read(
            self.upright if unlit else self.primary_large if large else self.primary, gray
        )
        reduced = None
        if not (large or dim or result.found):  # a dim frame's is the brightened pass below
            reduced = reduce(gray)
            layer = self._read(self.reduced, reduced)
            back = Crop(reduced, 0, 0, 1 / REDUCE_BY)
            result.found.extend(back.to_frame(f) for f in layer.found)
            result.unread.extend(u.scaled(REDUCE_BY) for u in layer.unread)
        if result.found or result.unread:
            return Sight(result.found, self._candidates(result.unread, gray, 1.0, reduced))
        if not fallback:
            return Sight([])
        if dim:  # a fixed threshold finds nothing on a dim frame
            bright = brighten(gray)
            result = self._read(self.dim_inverted if unlit else self.dim, bright)
            found = [Crop(bright, 0, 0, 0.5).to_frame(f) for f in result.found]
            unread = [u.scaled(2) for u in result.unread]
            return Sight(found, self._candidates(unread, bright, 0.5, None))
        result = self._read(self.fallback, gray)
        return Sight(result.found, self._candidates(result.unread, gray, 1.0, reduced))

    def _candidates(
        self, unread: list[Located], image: Image, scale: float, reduced: Image | None
    ) -> list[Candidate]:
        """The plausible ones; a coarse one is retried in the reduced frame, where its modules
        are a few pixels and its crop small."""
        candidates = []
        for u in unread:
            if not plausible(u.corners):
                continue
            candidate = Candidate(u.corners, image, scale, u.modules)
            if candidate.coarse and scale == 1.0:
                # A frame too large for the reduced pass (1080p) is reduced here: shrinking a
                # coarse code's crop of the full frame cost 3-4 ms, clutter's most costly work.
                reduced = reduce(image) if reduced is None else reduced
                candidate = Candidate(u.corners, reduced, 1 / REDUCE_BY, u.modules)
            candidates.append(candidate)
        return candidates

    def _read(self, decoder: ZxingDecoder, gray: Image) -> ZxingResult:
        try:
            return decoder.read(gray)
        except Exception as exc:  # a decoder failure is a frame without a code
            record_failure(decoder.name, exc)
            return ZxingResult([], [])

    def retry(self, crop: Crop, rung: Rung) -> list[Found]:
        """One rung on one crop; what it reads, in frame pixels."""
        if crop.image.size == 0:
            return []
        try:
            found = rung.retry(crop.image)
        except Exception as exc:  # a failed retry only means no code from it
            record_failure("retry", exc)
            return []
        at = crop.scaled(rung.enlarged)
        return [at.to_frame(f) for f in found]


def part_of_read(candidate: Candidate, found: list[Found]) -> bool:
    """Whether a candidate lies on a code already read: it is part of that code."""
    return any(same_place(candidate.corners, f.corners) for f in found if f.corners)


def coarse_crop(coarse: list[Candidate]) -> Crop:
    """One crop around all of a frame's coarse candidates (they share its reduced frame)."""
    corners = tuple(point for candidate in coarse for point in candidate.corners)
    return crop_around(coarse[0].image, corners, scale=coarse[0].scale)


def largest_first(candidates: list[Candidate]) -> list[Candidate]:
    """Smaller candidates near a larger one are usually its parts (a finder pattern of a
    blurred code passes for a Micro QR code): the whole is the one to crop first."""
    return sorted(candidates, key=lambda c: -side_px(c.corners))


def same_place(a: Corners, b: Corners, slack: float = 0.0) -> bool:
    """Whether two located quadrilaterals are (parts of) the same code: their centres closer
    than the larger one's side, plus `slack` (how far it may have moved since)."""
    ax, ay = (sum(p[i] for p in a) / len(a) for i in (0, 1))
    bx, by = (sum(p[i] for p in b) / len(b) for i in (0, 1))
    reach = max(side_px(a), side_px(b)) + slack
    return (ax - bx) ** 2 + (ay - by) ** 2 < reach**2


def unique(found: list[Found]) -> list[Found]:
    seen: dict[str, Found] = {}
    for item in found:
        seen.setdefault(item.text, item)
    return list(seen.values())
