"""Tickets held up to a camera: seeded 30 fps clips for the per-ticket measure and its tests.

A clip is what a door's camera sees of one guest: the empty scene, the ticket swung in from an
edge, held for a second while the hand drifts, shakes, tilts and moves nearer or further, then
swung out. Each frame is degraded as the per-frame corpus degrades its category (module sizes,
angles, defocus, glare and screens from `synthetic`), but the degradation varies smoothly from
frame to frame as a hand makes it vary, and motion blurs the ticket by how fast it moves. Clips
without a ticket show a blank card (text and boxes, no code) handled the same way.

Everything is seeded by (seed, category, index): the same arguments give the same pixels.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from scanner.camera.synthetic import (
    FRAME_SIZE,
    GEOMETRY,
    Image,
    Pose,
    SensorGrain,
    TicketMint,
    background,
    blank_ticket_face,
    camera_finish,
    damaged_ticket,
    motion_blur,
    paper_ticket,
    phone_screen,
    projected_corners,
    qr_modules,
)

FPS = 30.0
LEAD = 6  # empty frames before the ticket comes and after it has gone
HOLD = 30  # frames it is held still (but never quite still): one second
SWING_SPEED = (25.0, 60.0)  # mean speed swinging it in and out, pixels per frame
TREMOR_MODULES = 0.25  # amplitude of a hand's tremor, in modules
EXPOSURE = 0.4  # the share of a frame interval the shutter is open: motion blur per px/frame
FACE_PX = 6  # faces are drawn at this many pixels per module

TICKET_CATEGORIES = ("nominal", "small", "blur", "damaged", "glare", "phone")
HARD_CATEGORIES = ("small", "blur", "damaged", "glare", "phone")
EMPTY_CLIP_CATEGORIES = ("none_room", "none_clutter", "none_dark")


@dataclass(frozen=True)
class Sight:
    """What one frame shows of the ticket."""

    in_view: bool = False  # the whole code is inside the frame
    module_px: float = 0.0  # the code's module size
    smear_px: float = 0.0  # how far the ticket moved while the shutter was open


@dataclass(frozen=True)
class Clip:
    category: str
    text: str | None  # the ticket's code; None for a clip without one
    frames: list[Image]
    sights: list[Sight]

    @property
    def shown_at(self) -> int | None:
        """The frame the ticket is first shown in: the whole code in view and moving less than
        a module while the shutter is open. Before that it is still being swung in, a blur no
        decoder reads; from there a decoder has its chance."""
        return next(
            (i for i, s in enumerate(self.sights) if s.in_view and s.smear_px < s.module_px), None
        )

    @property
    def first_in_view(self) -> int | None:
        return next((i for i, s in enumerate(self.sights) if s.in_view), None)


@dataclass(frozen=True)
class _Hand:
    """A smooth random path: a few slow sways plus a fast small tremor, per coordinate."""

    amplitude: np.ndarray
    frequency: np.ndarray
    phase: np.ndarray

    @classmethod
    def new(cls, rng: np.random.Generator, sway: float, tremor: float) -> _Hand:
        amplitude = np.array([sway, sway * 0.5, tremor])
        frequency = np.array([rng.uniform(0.2, 0.6), rng.uniform(0.6, 1.5), rng.uniform(5, 9)])
        return cls(amplitude, frequency, rng.uniform(0, 2 * math.pi, 3))

    def at(self, t: float) -> float:
        waves = np.sin(2 * math.pi * self.frequency * t + self.phase)
        return float(np.dot(self.amplitude, waves))


class _Motion:
    """Where the ticket is in each frame of a clip: centre, module size and angles."""

    def __init__(self, rng: np.random.Generator, category: str, extent: float) -> None:
        (low, high), roll, tilt = GEOMETRY[category]
        width, height = FRAME_SIZE
        self.size = (float(rng.uniform(low, high)), float(rng.uniform(low, high)))
        self.size_hand = _Hand.new(rng, (high - low) * 0.08, (high - low) * 0.01)
        reach = extent * max(self.size) * 0.8 + 20  # half the ticket, tilted, plus a margin
        reach_x, reach_y = min(reach, width / 2 - 1), min(reach, height / 2 - 1)
        self.start = (rng.uniform(reach_x, width - reach_x), rng.uniform(reach_y, height - reach_y))
        # Held, it drifts by up to about its own size: a hand does not cross the frame.
        shift = rng.uniform(-reach, reach, 2) * 0.6
        self.end = (
            float(np.clip(self.start[0] + shift[0], reach_x, width - reach_x)),
            float(np.clip(self.start[1] + shift[1], reach_y, height - reach_y)),
        )
        drift = min(reach_x, reach_y) * 0.15
        # A hand's tremor is a fraction of a millimetre, about a quarter of a printed module:
        # in pixels it scales with the ticket's distance, as the modules do.
        tremor = TREMOR_MODULES * (self.size[0] + self.size[1]) / 2
        self.hands = (_Hand.new(rng, drift, tremor), _Hand.new(rng, drift, tremor))
        self.roll = (float(rng.uniform(-roll, roll)), _Hand.new(rng, min(roll, 30) * 0.25, 0.3))
        self.tilts = [(float(rng.uniform(-tilt, tilt) * 0.7), _Hand.new(rng, tilt * 0.3, 0.3))]
        self.tilts.append((float(rng.uniform(-tilt, tilt) * 0.7), _Hand.new(rng, tilt * 0.3, 0.3)))
        self.limits = (roll, tilt, low, high)
        # The ticket swings in from just beyond one edge and out beyond another; a smooth swing
        # peaks at 1.5 times its mean speed.
        self.come_from = _off_frame(self.start, reach * 1.2)
        self.go_to = _off_frame(self.end, reach * 1.2)
        speed = float(rng.uniform(*SWING_SPEED))
        self.swing_in = max(3, math.ceil(1.5 * math.dist(self.come_from, self.start) / speed))
        self.swing_out = max(3, math.ceil(1.5 * math.dist(self.end, self.go_to) / speed))
        self.held = LEAD + self.swing_in  # the first frame it is held still
        self.length = self.held + HOLD + self.swing_out + LEAD

    def present(self, frame: int) -> bool:
        return LEAD <= frame < self.held + HOLD + self.swing_out

    def velocity(self, frame: int) -> tuple[float, float]:
        """Pixels per frame, as the centre moves around `frame`."""
        before, after = self.pose(frame - 1).center, self.pose(frame + 1).center
        return ((after[0] - before[0]) / 2, (after[1] - before[1]) / 2)

    def pose(self, frame: int) -> Pose:
        t = frame / FPS
        eased = _smooth(min(max(frame - self.held, 0), HOLD - 1) / (HOLD - 1))
        x = self.start[0] + (self.end[0] - self.start[0]) * eased + self.hands[0].at(t)
        y = self.start[1] + (self.end[1] - self.start[1]) * eased + self.hands[1].at(t)
        last_held = self.held + HOLD - 1
        if frame < self.held:
            x, y = _towards((x, y), self.come_from, (self.held - frame) / self.swing_in)
        elif frame > last_held:
            x, y = _towards((x, y), self.go_to, (frame - last_held) / self.swing_out)
        roll, tilt, low, high = self.limits
        module = self.size[0] + (self.size[1] - self.size[0]) * eased + self.size_hand.at(t)
        return Pose(
            (x, y),
            float(np.clip(module, low, high)),
            float(np.clip(self.roll[0] + self.roll[1].at(t), -roll, roll)),
            float(np.clip(self.tilts[0][0] + self.tilts[0][1].at(t), -tilt, tilt)),
            float(np.clip(self.tilts[1][0] + self.tilts[1][1].at(t), -tilt, tilt)),
        )


def _off_frame(point: tuple[float, float], distance: float) -> tuple[float, float]:
    """Just beyond the edge nearest to `point`: left, right or bottom (tickets come up from a
    hand, not down from the ceiling)."""
    width, height = FRAME_SIZE
    x, y = point
    return min(
        ((-distance, y), (width + distance, y), (x, height + distance)),
        key=lambda beyond: math.dist(beyond, point),
    )


def _towards(
    held: tuple[float, float], away: tuple[float, float], share: float
) -> tuple[float, float]:
    """`share` of the way from the held point to the point out of view, as a swing goes: from
    rest, fastest midway, to rest."""
    eased = _smooth(min(share, 1.0))
    return (held[0] + (away[0] - held[0]) * eased, held[1] + (away[1] - held[1]) * eased)


def _smooth(share: float) -> float:
    return share * share * (3 - 2 * share)


def _face(category: str, modules: Image, rng: np.random.Generator) -> Image:
    if category == "phone":
        return phone_screen(modules, rng, dark_mode=bool(rng.integers(0, 2)))
    if category == "damaged":
        return damaged_ticket(modules, rng)
    return paper_ticket(modules, rng)


def _layer(face: Image, pose: Pose, code_modules: int) -> tuple[Image, Image, int, int, bool]:
    """The face warped into the frame's coordinates, cut to its bounding box: pixels, coverage
    (0..1), the box's top-left corner, and whether the whole code lies inside the frame."""
    width, height = FRAME_SIZE
    side_units = face.shape[0] / FACE_PX
    corners = projected_corners(side_units * pose.module_px, pose)
    code = projected_corners(code_modules * pose.module_px, pose)
    in_view = bool(
        np.all((code[:, 0] >= 0) & (code[:, 0] < width) & (code[:, 1] >= 0) & (code[:, 1] < height))
    )
    pad = 24  # room for motion blur to smear the edge
    x0 = max(0, int(corners[:, 0].min()) - pad)
    y0 = max(0, int(corners[:, 1].min()) - pad)
    x1 = min(width, int(corners[:, 0].max()) + pad)
    y1 = min(height, int(corners[:, 1].max()) + pad)
    if x1 <= x0 or y1 <= y0:
        return np.zeros((0, 0), np.float32), np.zeros((0, 0), np.float32), 0, 0, False
    shrink = FACE_PX / pose.module_px
    if shrink > 1:
        face = cv2.GaussianBlur(face, (0, 0), 0.45 * shrink)
    n = face.shape[0] - 1
    source = np.array([[0, 0], [n, 0], [n, n], [0, n]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(source, corners - np.array([x0, y0], np.float32))
    box = (x1 - x0, y1 - y0)
    pixels = cv2.warpPerspective(face, matrix, box, flags=cv2.INTER_LINEAR).astype(np.float32)
    ones = np.full(face.shape, 1.0, np.float32)
    cover = cv2.warpPerspective(ones, matrix, box, flags=cv2.INTER_LINEAR)
    return pixels, cover, x0, y0, in_view


@dataclass(frozen=True)
class _Look:
    """How a category degrades the ticket, beyond its geometry."""

    defocus: tuple[float, float] = (0.0, 0.0)  # Gaussian sigma, as a share of a module
    defocus_px: float = 0.0  # and at least this many pixels
    glare: tuple[float, float] | None = None  # strength range of a reflection


_LOOKS = {
    "blur": _Look(defocus=(0.35, 0.55)),
    "glare": _Look(glare=(150, 300)),
    "phone": _Look(defocus_px=1.0, glare=(40, 140)),
}


class _Renderer:
    def __init__(self, category: str, rng: np.random.Generator, text: str | None) -> None:
        self.category = category
        self.rng = rng
        self.look = _LOOKS.get(category, _Look())
        busy = category == "none_clutter"
        self.scene = background(rng, FRAME_SIZE, busy)
        if text is None:
            self.face = blank_ticket_face(rng)
            self.code_modules = 0
            geometry = "nominal"
        else:
            modules = qr_modules(text)
            self.face = _face(category, modules, rng)
            self.code_modules = modules.shape[0] - 8  # without the quiet zone
            geometry = category
        self.motion = _Motion(rng, geometry, self.face.shape[0] / FACE_PX / 2)
        low, high = self.look.defocus
        self.focus = (_Hand.new(rng, (high - low) / 2, 0.0), (low + high) / 2)
        self.glare = (_Hand.new(rng, 6.0, 0.5), _Hand.new(rng, 6.0, 0.5), rng.uniform(0, 1))
        self.grain = SensorGrain(rng, FRAME_SIZE)

    def frame(self, index: int) -> tuple[Image, Sight]:
        scene: Image = self.scene.copy()
        sight = Sight()
        if self.motion.present(index):
            pose = self.motion.pose(index)
            dx, dy = self.motion.velocity(index)
            smear = math.hypot(dx, dy) * EXPOSURE
            in_view = self._place(scene, pose, index, (dx, dy))
            if self.code_modules:
                sight = Sight(in_view, pose.module_px, smear)
        if self.category == "none_dark":
            dark = scene * np.float32(0.12) + self.grain.draw(self.rng) * 1.6
            scene = np.clip(dark, 0, 255).astype(np.uint8)
        return camera_finish(scene, self.rng, self.grain.draw(self.rng)), sight

    def _place(self, scene: Image, pose: Pose, index: int, velocity: tuple[float, float]) -> bool:
        pixels, cover, x0, y0, in_view = _layer(self.face, pose, self.code_modules)
        if pixels.size == 0:
            return False
        sigma = max(self.look.defocus_px, pose.module_px * self._defocus(index))
        if sigma > 0.3:
            pixels = cv2.GaussianBlur(pixels, (0, 0), sigma)
            cover = cv2.GaussianBlur(cover, (0, 0), sigma)
        smear = math.hypot(*velocity) * EXPOSURE
        if smear >= 1.5:
            angle = math.degrees(math.atan2(velocity[1], velocity[0]))
            pixels, cover = motion_blur(pixels, smear, angle), motion_blur(cover, smear, angle)
        if self.look.glare is not None:
            pixels = self._glare(pixels, pose, x0, y0, index)
        height, width = pixels.shape
        region = scene[y0 : y0 + height, x0 : x0 + width]
        mixed = region * (1 - cover) + pixels * cover
        region[:] = np.clip(mixed, 0, 255).astype(np.uint8)
        return in_view

    def _defocus(self, index: int) -> float:
        hand, middle = self.focus
        low, high = self.look.defocus
        return float(np.clip(middle + hand.at(index / FPS), low, high))

    def _glare(self, pixels: Image, pose: Pose, x0: int, y0: int, index: int) -> Image:
        """A reflection that wanders over the ticket as the hand tilts it."""
        assert self.look.glare is not None
        t = index / FPS
        hand_x, hand_y, level = self.glare
        low, high = self.look.glare
        gx = pose.center[0] + pose.module_px * hand_x.at(t) - x0
        gy = pose.center[1] + pose.module_px * hand_y.at(t) - y0
        sigma = pose.module_px * 6.5
        strength = low + (high - low) * (0.5 + 0.5 * math.sin(2 * math.pi * (0.4 * t + level)))
        ys, xs = np.mgrid[0 : pixels.shape[0], 0 : pixels.shape[1]].astype(np.float32)
        blob = np.exp(-((xs - gx) ** 2 + (ys - gy) ** 2) / (2 * sigma**2))
        lit: Image = pixels + strength * blob
        return lit


def render_clip(category: str, seed: int, index: int, mint: TicketMint | None = None) -> Clip:
    """One clip of `category` (a ticket category or a `none_` one); seeded by all three."""
    if category not in TICKET_CATEGORIES + EMPTY_CLIP_CATEGORIES:
        raise ValueError(f"unknown clip category {category!r}")
    rng = np.random.default_rng([seed, zlib.crc32(category.encode()), index])
    text = None if category in EMPTY_CLIP_CATEGORIES else (mint or TicketMint(seed)).code(rng)
    renderer = _Renderer(category, rng, text)
    frames, sights = [], []
    for i in range(renderer.motion.length):
        image, sight = renderer.frame(i)
        frames.append(image)
        sights.append(sight)
    return Clip(category, text, frames, sights)


def clips(seed: int, per_category: int, categories: Sequence[str]) -> Iterator[Clip]:
    """`per_category` clips of each category, one at a time (a clip holds 60-120 frames)."""
    mint = TicketMint(seed)
    for category in categories:
        for index in range(per_category):
            yield render_clip(category, seed, index, mint)
