"""The cascade for video: retries spread across the frames of a ticket, hand-held clips, and
never a code that is not there. Deterministic: seeded frames, frames counted, no clocks."""

from __future__ import annotations

import numpy as np
import pytest

from scanner.camera.cascade import Cascade
from scanner.camera.decoders import ZxingDecoder
from scanner.camera.handheld import EMPTY_CLIP_CATEGORIES, FPS, render_clip
from scanner.camera.pipeline import CodeEvent, ScanPipeline
from scanner.camera.tracking import TrackingCascade
from tests.camera.held_up import HeldUp, blurred_ticket, close_ticket, hard_ticket


def test_a_ticket_located_on_one_frame_is_read_on_the_next_with_another_retry() -> None:
    sample = blurred_ticket()
    tracking = TrackingCascade()
    assert tracking.decode(sample.image) == []  # located; sharpened, thresholded: not read
    assert [f.text for f in tracking.decode(sample.image)] == list(sample.texts)  # enlarged


def test_retries_go_on_frame_after_frame_until_one_reads() -> None:
    sample = hard_ticket("small", 13)  # far away: read by the fourth frame's retries
    tracking = TrackingCascade()
    assert [tracking.decode(sample.image) for _ in range(3)] == [[], [], []]
    assert [f.text for f in tracking.decode(sample.image)] == list(sample.texts)


def test_a_ticket_held_close_is_read_from_the_second_frame_it_is_located_in() -> None:
    """A coarse code is mostly clutter that looks like one for a frame (its retry is the
    costliest on frames without a code); a ticket held close stays."""
    frame, text = close_ticket()
    tracking = TrackingCascade()
    blank = np.full_like(frame, 200)
    assert [tracking.decode(blank) for _ in range(5)] == [[]] * 5  # the camera runs
    assert tracking.decode(frame) == []  # the ticket comes into view
    assert [f.text for f in tracking.decode(frame)] == [text]
    assert [f.text for f in Cascade().decode(frame)] == [text]  # a still: on its one frame


def test_the_per_frame_cascade_climbs_the_whole_ladder_on_one_frame() -> None:
    sample = blurred_ticket()
    assert [f.text for f in Cascade().decode(sample.image)] == list(sample.texts)


def test_a_ticket_held_for_three_seconds_is_reported_once_from_its_second_frame() -> None:
    sample = blurred_ticket()
    events: list[CodeEvent] = []
    ScanPipeline(HeldUp(sample.image, 90), events.append).run_to_end()  # the default decoder
    assert [(e.text, e.frame_index) for e in events] == [(sample.texts[0], 1)]


@pytest.mark.parametrize("category", EMPTY_CLIP_CATEGORIES)
def test_clips_without_a_ticket_never_give_a_code(category: str) -> None:
    tracking = TrackingCascade()
    clip = render_clip(category, 5, 0)
    assert clip.text is None and clip.shown_at is None
    assert all(tracking.decode(frame) == [] for frame in clip.frames)


def test_a_hard_clip_zxing_alone_misses_is_read_within_a_second() -> None:
    clip = render_clip("blur", 11, 3)
    shown = clip.shown_at
    assert shown is not None
    second = clip.frames[shown : shown + int(FPS)]
    alone = ZxingDecoder()
    assert all(clip.text not in {f.text for f in alone.decode(f)} for f in second)
    tracking = TrackingCascade()
    for frame in clip.frames[:shown]:
        tracking.decode(frame)
    assert any(clip.text in {f.text for f in tracking.decode(f)} for f in second)


def test_clips_are_seeded() -> None:
    first, again = render_clip("glare", 3, 1), render_clip("glare", 3, 1)
    assert first.text == again.text and len(first.frames) == len(again.frames)
    assert all(np.array_equal(a, b) for a, b in zip(first.frames, again.frames, strict=True))
    assert render_clip("glare", 3, 2).text != first.text


def test_a_clip_shows_its_ticket_for_at_least_a_second() -> None:
    clip = render_clip("phone", 4, 0)
    shown = clip.shown_at
    assert shown is not None
    assert sum(s.in_view for s in clip.sights[shown:]) >= FPS
    assert not clip.sights[0].in_view and not clip.sights[-1].in_view  # it comes and goes


def test_an_unknown_clip_category_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown clip category"):
        render_clip("tilted", 1, 0)
