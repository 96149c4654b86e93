"""Rendering ticket codes into camera-like frames: the one renderer behind the synthetic frame
source (demo), the decoding tests and the benchmarks.

Everything is seeded: the same seed gives the same frames, so test floors are reproducible.
Frames are 8-bit grayscale; the pipeline reduces camera frames to gray before decoding anyway.
"""

from __future__ import annotations

import dataclasses
import math
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import segno
from numpy.typing import NDArray

from scanner.camera.decoders import ZxingDecoder
from scanner.camera.frames import BadSourceSpec, Frame
from scanner.checkin.issuing import SigningKey, keyring_for, mint_seedjson, mint_tk1
from scanner.checkin.keyring import Keyring

Image = NDArray[Any]  # cv2 and numpy arithmetic mix dtypes freely; pixels are uint8 at the end
FRAME_SIZE = (1280, 720)  # width, height
QUIET_ZONE = 4  # modules of light margin the QR standard asks for

CODE_CATEGORIES = (
    "nominal",
    "blur",
    "motion_blur",
    "rotation",
    "perspective",
    "small",
    "low_light",
    "glare",
    "noise",
    "phone",
    "phone_dark",
    "clutter",
    "multi",
    "damaged",
)
EMPTY_CATEGORIES = ("empty_room", "empty_clutter", "empty_dark", "empty_ticket")
SEEDJSON_SECRET = "synthetic-platform-secret"  # noqa: S105 (test material, not a secret)


class TicketMint:
    """Seeded signed codes in the mix a door sees: TK1 Ed25519, TK1 HS256 and SEEDJSON."""

    def __init__(self, seed: int = 0, event_id: str = "EVT1") -> None:
        rng = np.random.default_rng(seed)
        self.event_id = event_id
        self.ed25519 = SigningKey("E1", "Ed25519", rng.bytes(32))
        self.hs256 = SigningKey("H1", "HS256", rng.bytes(32))

    @property
    def keyring(self) -> Keyring:
        return keyring_for([self.ed25519, self.hs256], SEEDJSON_SECRET)

    def code(self, rng: np.random.Generator) -> str:
        alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
        ticket = "".join(alphabet[i] for i in rng.integers(0, len(alphabet), 10))
        kind = int(rng.integers(0, 3))
        if kind == 0:
            return mint_seedjson(
                SEEDJSON_SECRET, ticket, int(rng.integers(1_600_000_000_000, 1_800_000_000_000))
            )
        key = self.ed25519 if kind == 1 else self.hs256
        return mint_tk1(key, {"e": self.event_id, "t": ticket, "k": "GA"})


@dataclass(frozen=True)
class Sample:
    category: str
    image: Image
    texts: tuple[str, ...]  # the codes drawn in the frame, empty for a frame without a code
    spots: tuple[tuple[float, float, float], ...] = ()  # per code: centre x, y and radius (px)


def qr_modules(text: str) -> Image:
    """The code's modules, dark = 1, with the quiet zone. Level M as the tickets are printed;
    segno picks alphanumeric mode for upper-case TK1 text by itself."""
    qr = segno.make_qr(text, error="m", boost_error=False)
    return np.array(list(qr.matrix_iter(border=QUIET_ZONE)), dtype=np.uint8)


# --- scenes -------------------------------------------------------------------------------


def background(rng: np.random.Generator, size: tuple[int, int], busy: bool) -> Image:
    width, height = size
    top, bottom = rng.uniform(60, 200, 2)
    left_right = rng.uniform(-40, 40)
    ys = np.linspace(top, bottom, height, dtype=np.float32)[:, None]
    xs = np.linspace(-left_right, left_right, width, dtype=np.float32)[None, :]
    img: Image = np.clip(ys + xs, 0, 255).astype(np.uint8)
    for _ in range(int(rng.integers(3, 8)) + (25 if busy else 0)):
        _clutter_item(img, rng, busy)
    return img


def _clutter_item(img: Image, rng: np.random.Generator, busy: bool) -> None:
    """One object of a room or a desk: boxes, lines, printed text, a barcode, a checkerboard."""
    height, width = img.shape
    x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
    shade = int(rng.integers(0, 256))
    kind = int(rng.integers(0, 6 if busy else 3))
    if kind == 0:
        w, h = (int(v) for v in rng.integers(20, 300, 2))
        cv2.rectangle(img, (x, y), (x + w, y + h), shade, -1)
    elif kind == 1:
        end = (int(rng.integers(0, width)), int(rng.integers(0, height)))
        cv2.line(img, (x, y), end, shade, int(rng.integers(1, 6)))
    elif kind == 2:
        text = "".join(chr(c) for c in rng.integers(65, 91, int(rng.integers(4, 16))))
        font_scale = float(rng.uniform(0.5, 2.5))
        cv2.putText(img, text, (x, y), cv2.FONT_HERSHEY_SIMPLEX, font_scale, shade, 2)
    elif kind == 3:
        _draw_barcode(img, rng, x, y)
    elif kind == 4:
        _draw_checkerboard(img, rng, x, y)
    else:
        cv2.circle(img, (x, y), int(rng.integers(5, 80)), shade, int(rng.integers(-1, 6)))


def _draw_barcode(img: Image, rng: np.random.Generator, x: int, y: int) -> None:
    """A 1-D barcode-like stripe block: decoders limited to QR must never read anything here."""
    bars = rng.integers(1, 5, 60)
    unit = int(rng.integers(1, 4))
    height = int(rng.integers(30, 120))
    pos = x
    for i, bar in enumerate(bars):
        if i % 2 == 0:
            cv2.rectangle(img, (pos, y), (pos + int(bar) * unit - 1, y + height), 20, -1)
        pos += int(bar) * unit


def _draw_checkerboard(img: Image, rng: np.random.Generator, x: int, y: int) -> None:
    """Nested squares and grids look like finder patterns to a QR detector: false candidates."""
    cell = int(rng.integers(4, 20))
    for i in range(int(rng.integers(3, 8))):
        for j in range(int(rng.integers(3, 8))):
            if (i + j) % 2 == 0:
                x0, y0 = x + i * cell, y + j * cell
                cv2.rectangle(img, (x0, y0), (x0 + cell - 1, y0 + cell - 1), 10, -1)
    side = cell * 7
    cv2.rectangle(img, (x - side, y), (x - 1, y + side - 1), 15, -1)
    cv2.rectangle(img, (x - side + cell, y + cell), (x - cell - 1, y + side - cell - 1), 240, -1)
    inner = (x - side + 2 * cell, y + 2 * cell)
    cv2.rectangle(img, inner, (x - 2 * cell - 1, y + side - 2 * cell - 1), 15, -1)


# --- placing a ticket ---------------------------------------------------------------------


@dataclass(frozen=True)
class Pose:
    """Where a ticket sits in front of the camera: centre, module size at the centre, angles."""

    center: tuple[float, float]
    module_px: float
    roll_deg: float = 0.0
    tilt_x_deg: float = 0.0
    tilt_y_deg: float = 0.0


def _ticket_face(modules: Image, px: int, dark: int, light: int, margin: int) -> Image:
    """The ticket as printed (or shown): the code at `px` pixels per module on paper or screen."""
    code: Image = np.where(modules == 1, dark, light).astype(np.uint8)
    code = cv2.resize(code, None, fx=px, fy=px, interpolation=cv2.INTER_NEAREST)
    border = cv2.BORDER_CONSTANT
    return cv2.copyMakeBorder(code, margin, margin, margin, margin, border, value=light)


def projected_corners(face_side: float, pose: Pose, focal: float = 1100.0) -> Image:
    """The four corners of a square face of `face_side` units after rotating it in 3-D and
    projecting it through a pinhole camera."""
    ax, ay, az = (math.radians(a) for a in (pose.tilt_x_deg, pose.tilt_y_deg, pose.roll_deg))
    rx = np.array([[1, 0, 0], [0, math.cos(ax), -math.sin(ax)], [0, math.sin(ax), math.cos(ax)]])
    ry = np.array([[math.cos(ay), 0, math.sin(ay)], [0, 1, 0], [-math.sin(ay), 0, math.cos(ay)]])
    rz = np.array([[math.cos(az), -math.sin(az), 0], [math.sin(az), math.cos(az), 0], [0, 0, 1]])
    half = face_side / 2
    square = np.array([[-half, -half, 0], [half, -half, 0], [half, half, 0], [-half, half, 0]])
    points = square @ (rz @ ry @ rx).T
    points[:, 2] += focal
    cx, cy = pose.center
    return np.stack(
        [focal * points[:, 0] / points[:, 2] + cx, focal * points[:, 1] / points[:, 2] + cy], axis=1
    ).astype(np.float32)


def place_face(scene: Image, face: Image, face_px_per_unit: float, pose: Pose) -> None:
    """Warp a square `face` image (drawn at `face_px_per_unit` pixels per module) into `scene`
    so that one module measures `pose.module_px` pixels; anti-aliased like a lens would."""
    side_units = face.shape[0] / face_px_per_unit
    target = projected_corners(side_units * pose.module_px, pose)
    shrink = face_px_per_unit / pose.module_px
    if shrink > 1:
        face = cv2.GaussianBlur(face, (0, 0), 0.45 * shrink)
    n = face.shape[0] - 1
    source = np.array([[0, 0], [n, 0], [n, n], [0, n]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(source, target)
    height, width = scene.shape
    warped = cv2.warpPerspective(face, matrix, (width, height), flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(
        np.full(face.shape, 255, np.uint8), matrix, (width, height), flags=cv2.INTER_LINEAR
    )
    alpha = mask.astype(np.float32) / 255.0
    scene[:] = (scene * (1 - alpha) + warped * alpha).astype(np.uint8)


def paper_ticket(modules: Image, rng: np.random.Generator, px: int = 6) -> Image:
    ink, paper = int(rng.integers(10, 60)), int(rng.integers(200, 250))
    return _ticket_face(modules, px, ink, paper, margin=int(px * rng.uniform(1, 4)))


def damaged_ticket(modules: Image, rng: np.random.Generator, px: int = 6) -> Image:
    """A paper ticket that has spent a day in a pocket: creases, stains, faded patches and pen
    strokes across the code, as much as still reads when the ticket is scanned flat. Damage
    beyond the code's error correction, or over a finder pattern, would make a ticket no camera
    reads in any frame, which measures nothing about decoding: such damage is drawn anew."""
    clean = paper_ticket(modules, rng, px)
    for _ in range(20):
        face = clean.copy()
        _damage(face, modules.shape[0], px, rng)
        if ZxingDecoder(downscale=False).decode(face):
            return face
    return clean


def _damage(face: Image, side_modules: int, px: int, rng: np.random.Generator) -> None:
    paper = int(np.percentile(face[:px, :px], 50))
    n = side_modules - 2 * QUIET_ZONE  # the code's side in modules
    margin = (face.shape[0] - side_modules * px) // 2
    origin = margin + QUIET_ZONE * px  # the code's top-left module, in face pixels

    def spot(away_from_finders: bool) -> tuple[int, int]:
        while True:
            mx, my = (float(v) for v in rng.uniform(0, n, 2))
            in_finder = ((mx < 9 or mx > n - 9) and my < 9) or (mx < 9 and my > n - 9)
            if not (away_from_finders and in_finder):
                return int(origin + mx * px), int(origin + my * px)

    for _ in range(int(rng.integers(3, 8))):
        kind = int(rng.integers(0, 4))
        centre = spot(away_from_finders=kind in (1, 2))
        if kind == 0:  # a crease: a light fold line with a thin shadow beside it
            angle = float(rng.uniform(0, math.pi))
            reach = n * px
            dx, dy = math.cos(angle) * reach, math.sin(angle) * reach
            a = (int(centre[0] - dx), int(centre[1] - dy))
            b = (int(centre[0] + dx), int(centre[1] + dy))
            cv2.line(face, a, b, min(255, paper + 10), max(1, int(px * rng.uniform(0.4, 0.9))))
            shadow = (int(math.sin(angle) * px * 0.6), -int(math.cos(angle) * px * 0.6))
            a2, b2 = (a[0] + shadow[0], a[1] + shadow[1]), (b[0] + shadow[0], b[1] + shadow[1])
            cv2.line(face, a2, b2, max(0, paper - 70), max(1, px // 4))
        elif kind == 1:  # a stain: dark and light modules both pulled towards its tone
            mask = np.zeros(face.shape, np.uint8)
            axes = (int(px * rng.uniform(2, 6)), int(px * rng.uniform(2, 6)))
            cv2.ellipse(mask, centre, axes, float(rng.uniform(0, 180)), 0, 360, 255, -1)
            alpha = (mask > 0) * float(rng.uniform(0.35, 0.6))
            face[:] = (face * (1 - alpha) + float(rng.uniform(90, 160)) * alpha).astype(np.uint8)
        elif kind == 2:  # a scuffed patch: the ink there faded towards the paper
            half = (int(px * rng.uniform(1.5, 4)), int(px * rng.uniform(1.5, 4)))
            x0, y0 = max(0, centre[0] - half[0]), max(0, centre[1] - half[1])
            patch = face[y0 : centre[1] + half[1], x0 : centre[0] + half[0]].astype(np.float32)
            fade = float(rng.uniform(0.3, 0.6))
            patch = paper - (paper - patch) * fade
            face[y0 : centre[1] + half[1], x0 : centre[0] + half[0]] = patch.astype(np.uint8)
        else:  # a pen stroke
            points = [centre]
            for _ in range(int(rng.integers(1, 3))):
                step = rng.uniform(-n * px / 3, n * px / 3, 2)
                points.append((int(points[-1][0] + step[0]), int(points[-1][1] + step[1])))
            stroke = np.array(points, np.int32).reshape(-1, 1, 2)
            width = max(1, int(px * rng.uniform(0.25, 0.5)))
            cv2.polylines(face, [stroke], False, int(rng.integers(20, 80)), width)


def phone_screen(modules: Image, rng: np.random.Generator, dark_mode: bool, px: int = 6) -> Image:
    """A phone showing the code: a black bezel around a lit screen; dark mode swaps the colours."""
    lit, unlit = int(rng.integers(190, 255)), int(rng.integers(15, 50))
    dark, light = (lit, unlit) if dark_mode else (unlit, lit)
    screen = _ticket_face(modules, px, dark, light, margin=px * 2)
    bezel = px * 2
    face: Image = cv2.copyMakeBorder(
        screen, bezel, bezel, bezel, bezel, cv2.BORDER_CONSTANT, value=8
    )
    # Screens show a faint pixel grid and reflections: a low-amplitude ripple.
    ys, xs = np.mgrid[0 : face.shape[0], 0 : face.shape[1]]
    ripple = 10 * np.sin(xs * rng.uniform(0.8, 1.6)) * np.sin(ys * rng.uniform(0.8, 1.6))
    shown: Image = np.clip(face + ripple, 0, 255).astype(np.uint8)
    return shown


# --- corpus categories --------------------------------------------------------------------


def _pose(
    rng: np.random.Generator,
    size: tuple[int, int],
    module_px: tuple[float, float],
    extent_modules: float,
    roll: float = 15,
    tilt: float = 15,
) -> Pose:
    """A random pose whose ticket stays inside the frame."""
    width, height = size
    fits = (min(width, height) / 2 - 10) / (extent_modules * 0.75)  # largest that stays inside
    m = min(float(rng.uniform(*module_px)), fits)
    reach = extent_modules * m * 0.75 + 10
    center = (float(rng.uniform(reach, width - reach)), float(rng.uniform(reach, height - reach)))
    roll_deg = float(rng.uniform(-roll, roll))
    tilt_x, tilt_y = (float(v) for v in rng.uniform(-tilt, tilt, 2))
    return Pose(center, m, roll_deg, tilt_x, tilt_y)


def _face_for(category: str, modules: Image, rng: np.random.Generator) -> Image:
    if category in ("phone", "phone_dark"):
        return phone_screen(modules, rng, dark_mode=category == "phone_dark")
    if category == "damaged":
        return damaged_ticket(modules, rng)
    return paper_ticket(modules, rng)


# Per category: module size range (pixels), roll and tilt limits (degrees).
GEOMETRY: dict[str, tuple[tuple[float, float], float, float]] = {
    "nominal": ((3.0, 6.0), 15, 15),
    "blur": ((3.5, 6.0), 15, 15),
    "motion_blur": ((3.5, 6.0), 15, 15),
    "rotation": ((2.5, 4.5), 180, 10),
    "perspective": ((3.0, 5.0), 30, 60),
    "small": ((1.3, 2.5), 10, 10),
    "low_light": ((3.0, 5.0), 15, 15),
    "glare": ((3.5, 6.0), 15, 15),
    "noise": ((2.5, 4.5), 15, 15),
    "phone": ((2.5, 4.5), 25, 30),
    "phone_dark": ((2.5, 4.5), 25, 30),
    "clutter": ((2.2, 4.5), 20, 20),
    "multi": ((2.5, 4.5), 20, 15),
    "damaged": ((3.0, 5.0), 15, 15),
}


def _place_codes(
    scene: Image, category: str, texts: Sequence[str], rng: np.random.Generator
) -> list[Pose]:
    module_px, roll, tilt = GEOMETRY[category]
    height, width = scene.shape
    lanes = len(texts)
    poses = []
    for lane, text in enumerate(texts):
        modules = qr_modules(text)
        face = _face_for(category, modules, rng)
        extent = face.shape[0] / 6  # faces are drawn at 6 px per module
        # Several tickets share the frame side by side, one lane each, so none overlap.
        lane_size = (width // lanes, height)
        pose = _pose(rng, lane_size, module_px, extent, roll, tilt)
        cx, cy = pose.center
        pose = dataclasses.replace(pose, center=(cx + lane * lane_size[0], cy))
        place_face(scene, face, 6, pose)
        poses.append(pose)
    return poses


def _degrade(scene: Image, category: str, poses: list[Pose], rng: np.random.Generator) -> Image:
    """What the category does to the whole frame after the tickets are in it."""
    m = poses[0].module_px if poses else 4.0
    img: Image = scene.astype(np.float32)
    if category == "blur":
        img = cv2.GaussianBlur(img, (0, 0), m * float(rng.uniform(0.35, 0.55)))
    elif category == "motion_blur":
        img = motion_blur(img, m * float(rng.uniform(1.0, 2.2)), float(rng.uniform(0, 180)))
    elif category in ("low_light", "empty_dark"):
        img = img * float(rng.uniform(0.06, 0.18)) + rng.normal(0, 4, img.shape)
    elif category == "glare":
        img = _glare(img, poses[0], rng)
    elif category == "noise":
        img = img + rng.normal(0, float(rng.uniform(25, 45)), img.shape)
    elif category in ("phone", "phone_dark"):
        # Screens are glossy: a soft reflection on top of a slightly defocused code.
        img = _glare(cv2.GaussianBlur(img, (0, 0), 1.0), poses[0], rng, strength=(40, 140))
    return np.clip(img, 0, 255).astype(np.uint8)


def motion_blur(img: Image, length: float, angle_deg: float) -> Image:
    size = max(3, math.ceil(length) | 1)
    kernel: Image = np.zeros((size, size), np.float32)
    kernel[size // 2, :] = 1.0
    rotation = cv2.getRotationMatrix2D((size / 2 - 0.5, size / 2 - 0.5), angle_deg, 1.0)
    kernel = cv2.warpAffine(kernel, rotation, (size, size))
    return cv2.filter2D(img, -1, kernel / kernel.sum())


def _glare(
    img: Image, pose: Pose, rng: np.random.Generator, strength: tuple[float, float] = (150, 300)
) -> Image:
    """A bright reflection over part of the ticket, saturating what it covers."""
    height, width = img.shape
    cx, cy = pose.center
    spread = pose.module_px * 10
    gx, gy = cx + rng.uniform(-spread, spread), cy + rng.uniform(-spread, spread)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    sigma = pose.module_px * float(rng.uniform(4, 9))
    blob = np.exp(-((xs - gx) ** 2 + (ys - gy) ** 2) / (2 * sigma**2))
    lit: Image = img + float(rng.uniform(*strength)) * blob
    return lit


SENSOR_NOISE = 2.5  # standard deviation of the sensor's noise, in grey levels


def camera_finish(img: Image, rng: np.random.Generator, grain: Image | None = None) -> Image:
    """What every frame goes through: lens softness, sensor noise and MJPEG compression.
    `grain` is sensor noise drawn beforehand (`SensorGrain`), cheaper than drawing it here."""
    soft = cv2.GaussianBlur(img, (0, 0), 0.6).astype(np.float32)
    noise = rng.normal(0, SENSOR_NOISE, img.shape) if grain is None else grain
    noisy = np.clip(soft + noise, 0, 255).astype(np.uint8)
    quality = int(rng.integers(60, 90))
    ok, jpeg = cv2.imencode(".jpg", noisy, [cv2.IMWRITE_JPEG_QUALITY, quality])
    decoded: Image | None = cv2.imdecode(jpeg, cv2.IMREAD_GRAYSCALE) if ok else None
    return noisy if decoded is None else decoded


class SensorGrain:
    """Sensor noise for many frames from a few drawn fields, each frame a randomly shifted cut of
    one: drawing a frame's worth of normal deviates costs more than the rest of a frame."""

    def __init__(self, rng: np.random.Generator, size: tuple[int, int], fields: int = 3) -> None:
        width, height = size
        self._size = size
        shape = (fields, height + 64, width + 64)
        self._fields = (rng.standard_normal(shape, np.float32) * SENSOR_NOISE).astype(np.float32)

    def draw(self, rng: np.random.Generator) -> Image:
        width, height = self._size
        field, dx, dy = (int(v) for v in rng.integers(0, (len(self._fields), 64, 64)))
        cut: Image = self._fields[field, dy : dy + height, dx : dx + width]
        return cut


def render_sample(
    category: str, rng: np.random.Generator, mint: TicketMint, size: tuple[int, int] = FRAME_SIZE
) -> Sample:
    busy = category in ("clutter", "empty_clutter", "empty_ticket")
    scene = background(rng, size, busy)
    texts: tuple[str, ...] = ()
    poses: list[Pose] = []
    if category in CODE_CATEGORIES:
        count = int(rng.integers(2, 4)) if category == "multi" else 1
        texts = tuple(mint.code(rng) for _ in range(count))
        poses = _place_codes(scene, category, texts, rng)
    elif category == "empty_ticket":
        _place_blank_ticket(scene, rng)
    elif category not in EMPTY_CATEGORIES:
        raise ValueError(f"unknown category {category!r}")
    spots = tuple(
        (*p.center, p.module_px * len(qr_modules(t)) * 0.75)
        for p, t in zip(poses, texts, strict=True)
    )
    return Sample(category, camera_finish(_degrade(scene, category, poses, rng), rng), texts, spots)


def blank_ticket_face(rng: np.random.Generator) -> Image:
    """A printed ticket with text and boxes but no code (a ticket folded the wrong way)."""
    face: Image = np.full((300, 300), int(rng.integers(200, 250)), np.uint8)
    for _ in range(12):
        _clutter_item(face, rng, busy=True)
    return face


def _place_blank_ticket(scene: Image, rng: np.random.Generator) -> None:
    face = blank_ticket_face(rng)
    pose = _pose(rng, (scene.shape[1], scene.shape[0]), (3.0, 5.0), 50)
    place_face(scene, face, 6, pose)


def corpus(
    seed: int,
    per_category: int,
    categories: Sequence[str] = CODE_CATEGORIES + EMPTY_CATEGORIES,
    size: tuple[int, int] = FRAME_SIZE,
) -> Iterator[Sample]:
    """`per_category` frames of each category. Each frame has its own generator derived from
    (seed, category, index), so a subset or a different count renders the same frames."""
    mint = TicketMint(seed)
    for category in categories:
        tag = zlib.crc32(category.encode())  # stable across runs, unlike hash()
        for index in range(per_category):
            yield render_sample(category, np.random.default_rng([seed, tag, index]), mint, size)


# --- a moving synthetic camera ------------------------------------------------------------


@dataclass(frozen=True)
class SyntheticOptions:
    fps: float = 30.0
    hold: int = 18  # frames each ticket is in view
    gap: int = 12  # frames with no ticket between two tickets
    count: int = 5  # tickets made up when no codes are given
    seed: int = 0
    module: float = 4.0  # pixels per module
    size: tuple[int, int] = FRAME_SIZE
    loop: bool = False

    @classmethod
    def parse(cls, text: str) -> SyntheticOptions:
        """`fps=30,hold=18,gap=12,count=5,seed=0,module=4,size=1280x720,loop=1`."""
        fields: dict[str, object] = {}
        for item in filter(None, (part.strip() for part in text.split(","))):
            key, _, value = item.partition("=")
            if key == "size":
                width, height = (int(v) for v in value.lower().split("x"))
                fields["size"] = (width, height)
            elif key in ("fps", "module"):
                fields[key] = float(value)
            elif key in ("hold", "gap", "count", "seed"):
                fields[key] = int(value)
            elif key == "loop":
                fields["loop"] = value not in ("0", "false", "no")
            else:
                raise ValueError(f"unknown synthetic option {key!r}")
        return cls(**fields)  # type: ignore[arg-type]


class SyntheticSource:
    """Tickets shown to a camera one after another: each slides a little while in view for
    `hold` frames, then `gap` frames show the empty scene. Deterministic for a seed."""

    def __init__(
        self,
        codes: Sequence[str] = (),
        paced: bool = True,
        clock: Callable[[], float] = time.time,
        options: str | SyntheticOptions = "",
    ) -> None:
        try:
            opts = (
                options
                if isinstance(options, SyntheticOptions)
                else SyntheticOptions.parse(options)
            )
        except ValueError as exc:
            raise BadSourceSpec(f"synthetic source: {exc}") from None
        self.options = opts
        self.name = "synthetic"
        self.live = paced
        self.finished = False
        rng = np.random.default_rng(opts.seed)
        mint = TicketMint(opts.seed)
        self.codes = list(codes) or [mint.code(rng) for _ in range(opts.count)]
        self._faces = [paper_ticket(qr_modules(code), rng) for code in self.codes]
        self._background = background(rng, opts.size, busy=False)
        self._rng = rng
        self._clock = clock
        self._index = 0
        self._started: float | None = None

    @property
    def frame_count(self) -> int:
        return len(self.codes) * (self.options.hold + self.options.gap)

    def code_in_frame(self, index: int) -> str | None:
        period = self.options.hold + self.options.gap
        slot, offset = divmod(index % max(self.frame_count, 1), period)
        return self.codes[slot] if offset < self.options.hold else None

    def read(self) -> Frame | None:
        if self.finished:
            return None
        if not self.options.loop and self._index >= self.frame_count:
            self.finished = True
            return None
        if self.live:
            self._pace()
        image = self.render(self._index)
        frame = Frame(image, self._clock(), self._index, self._index / self.options.fps)
        self._index += 1
        return frame

    def render(self, index: int) -> Image:
        scene = self._background.copy()
        code = self.code_in_frame(index)
        if code is not None:
            period = self.options.hold + self.options.gap
            slot, offset = divmod(index % self.frame_count, period)
            place_face(scene, self._faces[slot], 6, self._pose(offset))
        return camera_finish(scene, self._rng)

    def _pose(self, offset: int) -> Pose:
        """Drifting right and turning slightly while held, as a hand does."""
        width, height = self.options.size
        progress = offset / max(self.options.hold - 1, 1)
        center = (width * (0.4 + 0.2 * progress), height * (0.5 + 0.05 * math.sin(offset / 3)))
        return Pose(center, self.options.module, roll_deg=-8 + 16 * progress, tilt_x_deg=10)

    def _pace(self) -> None:
        now = time.monotonic()
        if self._started is None:
            self._started = now
        due = self._started + self._index / self.options.fps
        if due > now:
            time.sleep(due - now)

    def close(self) -> None:
        self.finished = True
