"""The cost of a frame with no code, the frame a door sees most: cascade time per frame at
1280x720 and 1920x1080, one thread pinned to one core.

Target (issue 5): p95 under 5 ms at 1280x720 (30 fps with most of a core to spare). "gray" is
the decode of a grayscale frame; "colour" adds the BGR-to-gray conversion a camera frame needs.
"""

from __future__ import annotations

import time

import cv2
from _common import emit, ms_percentiles, one_core, sized

from scanner.camera.cascade import Cascade
from scanner.camera.synthetic import EMPTY_CATEGORIES, corpus

SEED = 4242
PER_CATEGORY = sized(50, 1)


def measure(size: tuple[int, int], cascade: Cascade) -> dict[str, object]:
    gray_times, colour_times, by_category = [], [], {}
    false_codes = 0
    for sample in corpus(SEED, PER_CATEGORY, EMPTY_CATEGORIES, size):
        colour = cv2.cvtColor(sample.image, cv2.COLOR_GRAY2BGR)
        started = time.perf_counter()
        false_codes += len(cascade.decode(sample.image))
        gray_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        cascade.decode(colour)
        colour_times.append(time.perf_counter() - started)
        by_category.setdefault(sample.category, []).append(gray_times[-1])
    return {
        "gray": ms_percentiles(gray_times),
        "colour": ms_percentiles(colour_times),
        "gray_by_category": {c: ms_percentiles(t) for c, t in by_category.items()},
        "false_codes": false_codes,
    }


def main() -> None:
    one_core()
    cv2.setNumThreads(1)
    cascade = Cascade()
    results = {f"{w}x{h}": measure((w, h), cascade) for w, h in ((1280, 720), (1920, 1080))}
    p95 = results["1280x720"]["gray"]["p95_ms"]  # type: ignore[index]
    emit(
        "empty_frame",
        frames_per_size=PER_CATEGORY * len(EMPTY_CATEGORIES),
        p95_720p_under_5ms=p95 < 5,
        **results,
    )


if __name__ == "__main__":
    main()
