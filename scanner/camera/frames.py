"""What every frame source hands on: frames, the source interface, and the two ways opening a
source fails. The sources themselves (`sources`, `synthetic`) build on this, not on each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

Image = np.ndarray


class SourceUnavailable(RuntimeError):
    """The source cannot be opened: unknown camera, missing file or folder, dead stream."""


class BadSourceSpec(ValueError):
    """The source spec itself is wrong (not a problem of the device)."""


@dataclass(frozen=True)
class Frame:
    image: Image
    captured_at: float  # wall-clock seconds when the frame was taken off the source
    index: int
    # Seconds into a recording (files, synthetic): the time a repeated code is judged by, so a
    # file decoded faster than real time still has its tickets seconds apart. None: live.
    media_time: float | None = None

    @property
    def seen_at(self) -> float:
        return self.captured_at if self.media_time is None else self.media_time


class FrameSource(Protocol):
    name: str
    live: bool  # frames come at the source's pace (camera, stream, paced file)
    finished: bool

    def read(self) -> Frame | None: ...

    def close(self) -> None: ...
