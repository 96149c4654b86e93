"""Spending the effort across frames, not inside one: the door's decoder for video.

A ticket held up is seen in 30 to 60 frames, and successive frames of it differ: what one
frame's retry misses, the next frame's different retry often reads. So every frame gets the
cascade's cheap full-frame passes (`Cascade.locate`; its fallback pass, for frames where they
located nothing, on every second frame), and where a code was located but not read a *spot* is
remembered (and followed as the hand moves it). Each frame then retries the spots it located,
those remembered from earlier frames first, with two rungs of the retry ladder instead of all
of them: the first (sharpened: cheap, and it reads the most) and, when that does not read, the
next of the others in turn (fixed threshold, enlarged, pyzbar, ...), a different one each
frame. Where a code was read, its spot is dropped and no retries are spent there for half a
second: the code is known, and the repeat filter would suppress it anyway. A spot that climbed
its whole ladder without a read (clutter that looks like a code) is retried only every third
frame after that. A spot not located for a few frames is forgotten. (Retrying a spot where it
was when the passes no longer locate it was measured too: it read nothing more, and was left
out.)

Every read is zxing's or zbar's own error-corrected read of a crop of the current frame:
memory only chooses where and how to look, so it cannot make up a code.
"""

from __future__ import annotations

from dataclasses import dataclass

from scanner.camera.cascade import (
    Candidate,
    Cascade,
    Rung,
    largest_first,
    same_place,
    to_gray,
    unique,
)
from scanner.camera.decoders import Corners, Found, Image

SPOT_FRAMES = 8  # a spot not located again for this many frames is forgotten
READ_FRAMES = 15  # where a code was read, no retries for this many frames (half a second)
MOVE_PX = 15  # how far a hand moves a ticket between frames, at most
MAX_SPOTS = 2  # spots retried per frame
AFTER_LADDER_EVERY = 3  # a spot that climbed the whole ladder is retried every third frame
FALLBACK_EVERY = 2  # the cascade's fallback pass (fixed threshold, or a dim frame brightened)


@dataclass
class Spot:
    """Where a code was located but not read."""

    corners: Corners
    born: int  # the frame it was first located in
    seen: int  # the frame it was last located in
    ladder: list[Rung]  # the retries for it (Cascade.rungs)
    climbed: int = 0  # rungs beyond the first tried so far
    tried: int = -1  # the frame it was last retried in


class TrackingCascade:
    """Frames of a video in order, every code in each out. Thread-confined, like `Cascade`."""

    name = "tracking"

    def __init__(self, cascade: Cascade | None = None) -> None:
        self.cascade = cascade or Cascade()
        self.frame = 0
        self.spots: list[Spot] = []
        self.reads: list[tuple[Corners, int]] = []  # where codes were read, and when

    def decode(self, frame: Image) -> list[Found]:
        self.frame += 1
        gray = to_gray(frame)
        sight = self.cascade.locate(gray, fallback=self.frame % FALLBACK_EVERY == 0)
        found = list(sight.found)
        self._remember(found)
        for spot, candidate in self._due(sight.candidates)[:MAX_SPOTS]:
            read = self._climb(spot, candidate)
            self._remember(read)
            found.extend(read)
        self._expire()
        return unique(found)

    def _due(self, candidates: list[Candidate]) -> list[tuple[Spot, Candidate]]:
        """The spots located in this frame to retry, each with its candidate here: spots
        remembered from earlier frames first, then new ones."""
        located: dict[int, tuple[Spot, Candidate]] = {}
        for candidate in largest_first(candidates):
            if self._recently_read(candidate.corners):
                continue
            spot = next((s for s in self.spots if _same(s.corners, candidate.corners)), None)
            ladder = self.cascade.rungs(candidate)
            if spot is None:
                spot = Spot(candidate.corners, self.frame, self.frame, ladder)
                self.spots.append(spot)
            elif spot.seen < self.frame:  # the same code, moved: follow it
                spot.corners, spot.seen, spot.ladder = candidate.corners, self.frame, ladder
            located.setdefault(id(spot), (spot, candidate))
        due = sorted(located.values(), key=lambda pair: pair[0].born)
        return [(s, c) for s, c in due if self._ready(s, c)]

    def _ready(self, spot: Spot, candidate: Candidate) -> bool:
        """Every frame until it has climbed its whole ladder, then every few frames. A coarse
        one from its second frame on: a phone held close stays in view, while clutter that
        passes for a code for one frame (the most costly retry on a frame without a code)
        does not."""
        if candidate.coarse and spot.born == self.frame:
            return False
        climbed_all = spot.climbed >= len(spot.ladder) - 1
        return not climbed_all or self.frame - spot.tried >= AFTER_LADDER_EVERY

    def _climb(self, spot: Spot, candidate: Candidate) -> list[Found]:
        """The first rung and, if that does not read, the next of the others."""
        crop = candidate.crop()
        spot.tried = self.frame
        found = self.cascade.retry(crop, spot.ladder[0])
        if found or len(spot.ladder) == 1:
            return found
        rung = spot.ladder[1 + spot.climbed % (len(spot.ladder) - 1)]
        spot.climbed += 1
        return self.cascade.retry(crop, rung)

    def _remember(self, found: list[Found]) -> None:
        """Where codes were read: their spots are done with."""
        for item in found:
            if item.corners:
                self.reads.append((item.corners, self.frame))
        self.spots = [s for s in self.spots if not self._recently_read(s.corners)]

    def _expire(self) -> None:
        """Reads older than READ_FRAMES frames, spots not located for SPOT_FRAMES frames."""
        self.reads = [(c, at) for c, at in self.reads if self.frame - at < READ_FRAMES]
        self.spots = [s for s in self.spots if self.frame - s.seen < SPOT_FRAMES]

    def _recently_read(self, corners: Corners) -> bool:
        return any(_same(corners, read) for read, _ in self.reads)


def _same(a: Corners, b: Corners) -> bool:
    """The same code, moved by a hand between frames."""
    return same_place(a, b, MOVE_PX)
