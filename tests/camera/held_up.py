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


def close_ticket() -> tuple[np.ndarray, str]:
    """A ticket held close to the camera (9 px per module) and out of focus: zxing alone does
    not read it, the cheap passes locate it as a coarse code, its sharpened crop reads."""
    text = TicketMint(5).code(np.random.default_rng(5))
    px = 9
    face = np.kron(np.where(qr_modules(text) > 0, 0, 255), np.ones((px, px))).astype(np.uint8)
    frame = np.full((720, 1280), 200, np.uint8)
    y, x = (720 - face.shape[0]) // 2, (1280 - face.shape[1]) // 2
    frame[y : y + face.shape[0], x : x + face.shape[1]] = face
    frame = cv2.GaussianBlur(frame, (0, 0), 0.55 * px)
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
