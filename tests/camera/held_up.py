"""Tickets only the cascade's retries read, held up in front of a camera: shared by the
tracking tests and the door's camera tests."""

from __future__ import annotations

from itertools import islice

import cv2
import numpy as np

from scanner.camera.cascade import Cascade
from scanner.camera.decoders import ZxingDecoder
from scanner.camera.frames import Frame
from scanner.camera.handheld import FPS
from scanner.camera.synthetic import Sample, TicketMint, corpus, qr_modules


def hard_ticket(category: str, index: int) -> Sample:
    """A ticket zxing alone does not read, and the cheap passes locate but do not read."""
    sample = next(islice(corpus(7, index + 1, [category]), index, None))
    assert ZxingDecoder().decode(sample.image) == []
    sight = Cascade().locate(sample.image)
    assert sight.found == [] and sight.candidates
    return sample


def blurred_ticket() -> Sample:
    """Defocused: neither sharpened nor thresholded does it read; enlarged, it does (chosen
    under OpenCV 4.14, whose resampling decides which rung reads it)."""
    return hard_ticket("blur", 36)


def code_frame(
    text: str,
    size: tuple[int, int] = (1280, 720),
    px: int = 9,
    blur: float = 0.55,
    dark_mode: bool = False,
    background: int = 200,
) -> np.ndarray:
    """`text`'s code at `px` pixels per module in the middle of a plain frame, defocused by
    `blur` of a module; `dark_mode`: light modules on a dark screen, which is its quiet zone."""
    light, ink = (0, 255) if dark_mode else (255, 0)
    modules = np.where(qr_modules(text) > 0, ink, light)
    if dark_mode:
        modules = np.pad(modules, 4, constant_values=light)
    face = np.kron(modules, np.ones((px, px))).astype(np.uint8)
    width, height = size
    frame = np.full((height, width), background, np.uint8)
    y, x = (height - face.shape[0]) // 2, (width - face.shape[1]) // 2
    frame[y : y + face.shape[0], x : x + face.shape[1]] = face
    return cv2.GaussianBlur(frame, (0, 0), blur * px) if blur else frame


def close_ticket() -> tuple[np.ndarray, str]:
    """A ticket held close to the camera (9 px per module) and out of focus: zxing alone does
    not read it, the cheap passes locate it as a coarse code, its sharpened crop reads."""
    text = TicketMint(5).code(np.random.default_rng(5))
    frame = code_frame(text)
    assert ZxingDecoder().decode(frame) == []
    sight = Cascade().locate(frame)
    assert sight.found == [] and any(candidate.coarse for candidate in sight.candidates)
    return frame, text


class HeldUp:
    """The same frame over and over at 30 fps: a ticket held still in front of the camera."""

    live = False

    def __init__(self, image: np.ndarray, frames: int, name: str = "held") -> None:
        self.image, self.frames, self.name = image, frames, name
        self.finished, self._next = False, 0

    def read(self) -> Frame | None:
        if self._next >= self.frames:
            self.finished = True
            return None
        self._next += 1
        return Frame(self.image, 0.0, self._next - 1, (self._next - 1) / FPS)

    def close(self) -> None:
        self.finished = True
