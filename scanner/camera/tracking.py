"""Spending the effort across frames, not inside one: the door's decoder for video.

A ticket held up is seen in 30 to 60 frames, and successive frames of it differ: what one
frame's retry misses, the next frame's different retry often reads. So each frame gets the
cascade's cheap passes (`Cascade.locate`), and where a code was located but not read a *spot*
is remembered; each frame then climbs one rung of the retry ladder on each spot (sharpened,
enlarged, pyzbar, thresholded: a different one each frame) instead of the whole ladder at once.
A spot the passes do not locate again is still retried where it was, on a crop widened by how
far a hand moves the ticket in the meantime, for a few frames: a ticket swung or blurred out of
the passes' reach is often still readable there. Where a code was read, its spot is dropped and
no retries are spent there while it stays in view: the code is known, and the repeat filter
would suppress it anyway. A spot that climbed the whole ladder without a read (clutter that
looks like a code) is retried only every few frames after that.

Every read is zxing's or zbar's own, error-corrected read of a crop of the current frame:
memory only chooses where and how to look, so it cannot make up a code.
"""

from __future__ import annotations

from dataclasses import dataclass

from scanner.camera.cascade import Candidate, Cascade, crop_around, side_px, to_gray, unique
from scanner.camera.decoders import Corners, Found, Image

SPOT_FRAMES = 8  # a spot not located again for this many frames is forgotten
READ_FRAMES = 15  # where a code was read, no retries for this many frames (half a second)
MOVE_PX = 15  # how far a hand moves a ticket between frames, at most: a stale spot's margin
MAX_SPOTS = 2  # spots retried per frame
AFTER_LADDER_EVERY = 3  # a spot that climbed the whole ladder is retried every third frame
DIM_EVERY = 2  # a dim frame is brightened and read on every second frame


@dataclass
class Spot:
    """Where a code was located but not read."""

    corners: Corners
    modules: int | None
    seen: int  # the frame it was last located in
    rungs: int  # the length of its ladder
    climbed: int = 0  # rungs tried so far; the next rung is climbed % len(ladder)
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
        sight = self.cascade.locate(gray, dim_pass=self.frame % DIM_EVERY == 0)
        found = list(sight.found)
        self._forget(found)
        fresh = self._match(sight.candidates)
        for spot, candidate in fresh[:MAX_SPOTS]:
            found.extend(self._climb(spot, candidate, gray))
        self._forget(found)
        return unique(found)

    def reset(self) -> None:
        """Forget every spot and read (a new camera, or a jump in a recording)."""
        self.spots.clear()
        self.reads.clear()

    def _match(self, candidates: list[Candidate]) -> list[tuple[Spot, Candidate | None]]:
        """This frame's candidates and the remembered spots, paired where they are the same
        code: the spots to retry this frame, those located in it first."""
        paired: list[tuple[Spot, Candidate | None]] = []
        for candidate in candidates:
            if self._recently_read(candidate.corners):
                continue
            spot = next((s for s in self.spots if _same(s.corners, candidate.corners)), None)
            rungs = len(self.cascade.rungs(candidate))
            if spot is None:
                spot = Spot(candidate.corners, candidate.modules, self.frame, rungs)
                self.spots.append(spot)
            else:
                spot.corners, spot.modules, spot.seen, spot.rungs = (
                    candidate.corners,
                    candidate.modules,
                    self.frame,
                    rungs,
                )
            if all(s is not spot for s, _ in paired):
                paired.append((spot, candidate))
        paired.extend((s, None) for s in self._stale())
        return [(s, c) for s, c in paired if self._due(s)]

    def _stale(self) -> list[Spot]:
        """Spots not located in this frame, due for a retry where they were. Not a coarse one:
        the passes read a coarse code that is still there."""
        return [
            s
            for s in self.spots
            if s.seen < self.frame and s.rungs == len(self.cascade.ladder) and self._due(s)
        ]

    def _due(self, spot: Spot) -> bool:
        return spot.climbed < spot.rungs or self.frame - spot.tried >= AFTER_LADDER_EVERY

    def _climb(self, spot: Spot, candidate: Candidate | None, gray: Image) -> list[Found]:
        """One rung on the spot: on this frame's candidate where it was located again, else
        on the frame where it was last located, widened by how far it may have moved."""
        if candidate is not None:
            crop, rungs = candidate.crop(), self.cascade.rungs(candidate)
        else:
            margin = MOVE_PX * (self.frame - spot.seen)
            crop, rungs = crop_around(gray, spot.corners, margin), self.cascade.ladder
        rung = rungs[spot.climbed % len(rungs)]
        spot.climbed += 1
        spot.tried = self.frame
        return self.cascade.retry(crop, rung)

    def _forget(self, found: list[Found]) -> None:
        """Spots where a code was read, or not located for SPOT_FRAMES frames, and reads older
        than READ_FRAMES frames."""
        for item in found:
            if item.corners:
                self.reads.append((item.corners, self.frame))
        self.reads = [(c, at) for c, at in self.reads if self.frame - at < READ_FRAMES]
        self.spots = [
            s
            for s in self.spots
            if self.frame - s.seen < SPOT_FRAMES and not self._recently_read(s.corners)
        ]

    def _recently_read(self, corners: Corners) -> bool:
        return any(_same(corners, read) for read, _ in self.reads)


def _same(a: Corners, b: Corners) -> bool:
    """Whether two located quadrilaterals are the same code: their centres closer than the
    larger one's side (a ticket moves less than its size between frames, and zxing locates
    parts of a blurred code, such as one finder pattern, near its whole)."""
    ax, ay = (sum(p[i] for p in a) / len(a) for i in (0, 1))
    bx, by = (sum(p[i] for p in b) / len(b) for i in (0, 1))
    reach = max(side_px(a), side_px(b)) + MOVE_PX
    return (ax - bx) ** 2 + (ay - by) ** 2 < reach**2
