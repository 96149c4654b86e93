"""Tickets only the cascade's retries read, held up in front of a camera: shared by the
tracking tests and the door's camera tests."""

from __future__ import annotations

from itertools import islice

import numpy as np

from scanner.camera.cascade import Cascade
from scanner.camera.decoders import ZxingDecoder
from scanner.camera.frames import Frame
from scanner.camera.handheld import FPS
from scanner.camera.synthetic import Sample, corpus


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
